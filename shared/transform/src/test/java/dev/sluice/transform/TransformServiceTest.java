package dev.sluice.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.engine.EngineProvisioner;
import dev.sluice.engine.InProcessEngineProvisioner;
import dev.sluice.engine.TransformRequest;
import dev.sluice.engine.duckdb.DuckDbEngine;
import dev.sluice.odf.DataSlice;
import dev.sluice.odf.ExecuteTransformInput;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetLayout;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import dev.sluice.storage.HashedBlock;
import dev.sluice.storage.LocalS3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransformServiceTest {
    @TempDir Path root;
    @TempDir Path scratch;

    static final String SCORES = "kamu-cli__leaderboard__player-scores.yaml";
    static final String HIGH = "select match_time, match_id, player_id, score from player_scores where score >= 90";

    static String score(int match, String player, int score) {
        return LeaderboardTest.score(match, player, score, "2000-01-0" + Math.min(match, 9) + "T00:00:00Z");
    }

    /** The slice file of the newest AddData of a root, as the filesystem store keeps it. */
    static Path newestSlice(Dataset ds) throws Exception {
        for (HashedBlock b : ds.blocks()) {
            if (b.block().event() instanceof MetadataEvent.AddData a && a.newData() != null) {
                return ds.store().localFile(DatasetLayout.data(ds.id(), a.newData().physicalHash())).orElseThrow().toAbsolutePath();
            }
        }
        throw new AssertionError("no data");
    }

    @Test
    void statelessFilterReadsOnlyTheNewSlicesOneInputBlockPerStep() throws Exception {
        try (InProcessEngineProvisioner real = InProcessEngineProvisioner.load()) {
            var recorder = new TestEngines.Wrapping(real.engineFor("duckdb").orElseThrow(), r -> r);
            try (Workspace ws = new Workspace(new FileSystemObjectStore(root), scratch, TestEngines.only(recorder))) {
                Dataset scores = ws.createFixture(SCORES);
                Dataset high = ws.derivative("high-scores", "player-scores", "datafusion", HIGH);
                ws.push(scores, score(1, "alice", 100) + score(1, "bob", 80));
                TransformResult r1 = ws.transforms.transform(high, 10);
                assertEquals(1, r1.steps().size(), r1.toString());
                // Two pushes before the next transform: two steps, one input block each.
                ws.push(scores, score(2, "carol", 95) + score(2, "dan", 10));
                Path second = newestSlice(scores);
                ws.push(scores, score(3, "erin", 99));
                Path third = newestSlice(scores);
                TransformResult r = ws.transforms.transform(high, 10);
                assertEquals(2, r.steps().size());
                assertEquals(3, recorder.requests.size());
                TransformRequest s2 = recorder.requests.get(1), s3 = recorder.requests.get(2);
                assertEquals(List.of(second), s2.queryInputs().get(0).dataPaths(), "only the new slice");
                assertEquals(List.of(third), s3.queryInputs().get(0).dataPaths());
                assertEquals(List.of(), s3.queryInputs().get(0).priorDataPaths(), "a stateless engine gets no history");
                assertEquals(new OffsetInterval(4, 4), s3.queryInputs().get(0).offsetInterval());
                assertEquals(2L, s3.nextOffset(), "the derivative has written offsets 0 and 1");
                assertNull(s3.prevCheckpointPath());

                var xs = Workspace.executes(high);
                assertEquals(List.of("0 0 alice 100"), ws.rows(high, xs.get(0).newData(), "\"offset\", op, player_id, score"));
                assertEquals(List.of("1 0 carol 95"), ws.rows(high, xs.get(1).newData(), "\"offset\", op, player_id, score"));
                assertEquals(List.of("2 0 erin 99"), ws.rows(high, xs.get(2).newData(), "\"offset\", op, player_id, score"));
                assertNull(xs.get(2).newCheckpoint());
                ExecuteTransformInput qi = xs.get(2).queryInputs().get(0);
                assertEquals(xs.get(1).queryInputs().get(0).newBlockHash(), qi.prevBlockHash());
                assertEquals(scores.head().orElseThrow(), qi.newBlockHash());
                assertEquals(3L, qi.prevOffset());
                assertEquals(4L, qi.newOffset());
                // The system time of the rows is that of the input block consumed, not the clock's.
                assertEquals(List.of(scores.block(qi.newBlockHash()).block().systemTime().toString().replace("T", " ").replace("Z", "+00")),
                        ws.rows(high, xs.get(2).newData(), "strftime(system_time, '%Y-%m-%d %H:%M:%S') || '+00'"));
                assertTrue(new TransformVerifier(ws.transforms).verify(high).ok());
            }
        }
    }

    @Test
    void theEnginesReportedHashesAreTakenButMustMatchTheFileItWrote() throws Exception {
        try (InProcessEngineProvisioner real = InProcessEngineProvisioner.load()) {
            var duck = real.engineFor("duckdb").orElseThrow();
            // Reports the right hashes but one byte too many: refused, nothing stored or committed.
            var misreporting = new TestEngines.Wrapping(duck, r -> r) {
                @Override
                public dev.sluice.engine.TransformResponse transform(TransformRequest request) {
                    var ok = (dev.sluice.engine.TransformResponse.Success) super.transform(request);
                    DataSlice d = ok.newData();
                    return new dev.sluice.engine.TransformResponse.Success(ok.newOffsetInterval(), ok.newWatermark(),
                            new DataSlice(d.logicalHash(), d.physicalHash(), d.offsetInterval(), d.size() + 1));
                }
            };
            try (Workspace ws = new Workspace(new FileSystemObjectStore(root), scratch, TestEngines.only(misreporting))) {
                Dataset scores = ws.createFixture(SCORES);
                Dataset high = ws.derivative("high-scores", "player-scores", "duckdb", HIGH);
                ws.push(scores, score(1, "alice", 100) + score(1, "bob", 80));
                Multihash head = high.head().orElseThrow();
                EngineFailedException e = assertThrows(EngineFailedException.class, () -> ws.transforms.transform(high, 10));
                assertTrue(e.getMessage().contains("reported slice"), e.getMessage());
                assertEquals(head, high.head().orElseThrow());
                assertEquals(List.of(), high.store().list(DatasetLayout.root(high.id()) + DatasetLayout.DATA), "no slice stored");
            }
        }
        // The engine's own report is what gets committed, and it is the file's: verify re-hashes the stored slice.
        try (Workspace ws = new Workspace(new FileSystemObjectStore(root.resolve("ok")), scratch.resolve("ok"))) {
            Dataset scores = ws.createFixture(SCORES);
            Dataset high = ws.derivative("high-scores", "player-scores", "duckdb", HIGH);
            ws.push(scores, score(1, "alice", 100) + score(1, "bob", 80));
            ws.transforms.transform(high, 10);
            DataSlice d = Workspace.executes(high).get(0).newData();
            Path stored = high.store().localFile(DatasetLayout.data(high.id(), d.physicalHash())).orElseThrow();
            assertEquals(d.physicalHash(), TransformService.FileHash.of(stored).hash());
            assertEquals(d.logicalHash(), dev.sluice.data.SliceReader.logicalHash(stored));
            assertEquals(Files.size(stored), d.size());
        }
    }

    @Test
    void aRecomputingEngineGetsTheHistoryToo() throws Exception {
        try (InProcessEngineProvisioner real = InProcessEngineProvisioner.load()) {
            var recorder = new TestEngines.Wrapping(real.engineFor("duckdb").orElseThrow(), r -> r);
            try (Workspace ws = new Workspace(new FileSystemObjectStore(root), scratch, TestEngines.only(recorder))) {
                Dataset scores = ws.createFixture(SCORES);
                Dataset totals = ws.derivative("totals", "player-scores", "duckdb",
                        "select player_id, sum(score) as total, max(match_time) as match_time from player_scores group by player_id");
                ws.push(scores, score(1, "alice", 100) + score(1, "bob", 80));
                Path first = newestSlice(scores);
                ws.push(scores, score(2, "alice", 5));
                Path second = newestSlice(scores);
                ws.transforms.transform(totals, 10);
                TransformRequest s2 = recorder.requests.get(1);
                assertEquals(List.of(first), s2.queryInputs().get(0).priorDataPaths());
                assertEquals(List.of(second), s2.queryInputs().get(0).dataPaths());
                assertTrue(s2.prevCheckpointPath() != null);
                var xs = Workspace.executes(totals);
                assertEquals(List.of("2 2 alice 100", "3 3 alice 105"), ws.rows(totals, xs.get(1).newData(), "\"offset\", op, player_id, total"));
            }
        }
    }

    @Test
    void badSqlIsATypedErrorAndCommitsNothing() throws Exception {
        try (Workspace ws = new Workspace(new FileSystemObjectStore(root), scratch)) {
            Dataset scores = ws.createFixture(SCORES);
            ws.push(scores, score(1, "alice", 100));
            Dataset bad = ws.derivative("bad", "player-scores", "duckdb", "select match_time, player_id frm player_scores");
            Multihash head = bad.head().orElseThrow();
            var e = assertThrows(InvalidTransformException.class, () -> ws.transforms.transform(bad, 10));
            assertTrue(e.getMessage().contains("Parser Error"), e.getMessage());
            assertEquals(head, bad.head().orElseThrow());
            Dataset star = ws.derivative("star", "player-scores", "duckdb", "select * from player_scores");
            var s = assertThrows(InvalidTransformException.class, () -> ws.transforms.transform(star, 10));
            assertTrue(s.getMessage().contains("conflicts with the system column"), s.getMessage());
            var root = assertThrows(InvalidTransformException.class, () -> ws.transforms.transform(scores, 10));
            assertTrue(root.getMessage().contains("root dataset"), root.getMessage());
        }
    }

    @Test
    void otherDialectsRunOnDuckDbWhenItCanElseEngineNotAvailable() throws Exception {
        try (Workspace ws = new Workspace(new FileSystemObjectStore(root), scratch)) {
            Dataset scores = ws.createFixture(SCORES);
            ws.push(scores, score(1, "alice", 100));
            Dataset flink = ws.derivative("flink-join", "player-scores", "flink",
                    "select s.match_time, s.player_id, s.score from player_scores for system_time as of proctime() as s");
            Multihash head = flink.head().orElseThrow();
            var e = assertThrows(EngineNotAvailableException.class, () -> ws.transforms.transform(flink, 10));
            assertTrue(e.getMessage().startsWith("engine flink not available"), e.getMessage());
            assertTrue(e.getMessage().contains("duckdb engine that stands in for it cannot run this query"), e.getMessage());
            assertEquals("flink", e.dialect());
            assertEquals(head, flink.head().orElseThrow());

            Dataset spark = ws.derivative("spark-ok", "player-scores", "spark", HIGH);
            TransformResult r = ws.transforms.transform(spark, 10);
            assertEquals(1, r.steps().size());
            assertTrue(r.notes().get(0).contains("the spark transform of spark-ok ran on the duckdb engine"), r.notes().toString());
            assertEquals("spark", Workspace.executes(spark).get(0).extra().entries().get(TransformService.DIALECT_ATTRIBUTE));

            Dataset pg = ws.derivative("pg", "player-scores", "postgres", HIGH);
            var none = assertThrows(EngineNotAvailableException.class, () -> ws.transforms.transform(pg, 10));
            assertEquals("engine postgres not available: no engine for the postgres dialect is provisioned", none.getMessage());
        }
    }

    @Test
    void theTransformSqlCannotReadFiles() throws Exception {
        try (Workspace ws = new Workspace(new FileSystemObjectStore(root), scratch)) {
            Dataset scores = ws.createFixture(SCORES);
            ws.push(scores, score(1, "alice", 100));
            Path slice = newestSlice(scores);
            List<String> attacks = List.of(
                    "select * from read_csv('/etc/passwd')",
                    "select * from '/etc/passwd'",
                    "select match_time, content from player_scores, read_text('/etc/passwd')",
                    "select * from read_parquet('" + slice + "')",
                    "select match_time, (select count(*) from '" + slice + "') as n from player_scores");
            int i = 0;
            for (String q : attacks) {
                Dataset d = ws.derivative("attack-" + i++, "player-scores", "duckdb", q);
                Multihash head = d.head().orElseThrow();
                var e = assertThrows(InvalidTransformException.class, () -> ws.transforms.transform(d, 10), q);
                assertTrue(e.getMessage().contains("not allowed") || e.getMessage().contains("cannot be queried"), e.getMessage());
                assertEquals(head, d.head().orElseThrow(), q);
            }
        }
    }

    @Test
    void aConcurrentTransformThatCommitsFirstMakesTheOtherReplan() throws Exception {
        CyclicBarrier bothPlanned = new CyclicBarrier(2);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        try (DuckDbEngine duck = new DuckDbEngine()) {
            var meeting = new TestEngines.Wrapping(duck, r -> {
                if (calls.incrementAndGet() > 2) return r; // a re-planned run goes straight through
                try {
                    bothPlanned.await(60, TimeUnit.SECONDS); // both have planned the same step before either commits
                } catch (Exception e) {
                    throw new IllegalStateException("the other transform never arrived", e);
                }
                return r;
            });
            EngineProvisioner p = TestEngines.only(meeting);
            try (Workspace a = new Workspace(new FileSystemObjectStore(root), scratch.resolve("a"), p);
                 Workspace b = new Workspace(new FileSystemObjectStore(root), scratch.resolve("b"), p)) {
                Dataset scores = a.createFixture(SCORES);
                Dataset board = a.createFixture("kamu-cli__leaderboard__leaderboard.yaml");
                a.push(scores, score(1, "alice", 100) + score(1, "bob", 80));
                Dataset boardB = b.repo.get("leaderboard");
                ExecutorService pool = Executors.newFixedThreadPool(2);
                try {
                    Future<TransformResult> fa = pool.submit(() -> a.transforms.transform(board, 10));
                    Future<TransformResult> fb = pool.submit(() -> b.transforms.transform(boardB, 10));
                    TransformResult ra = fa.get(120, TimeUnit.SECONDS), rb = fb.get(120, TimeUnit.SECONDS);
                    assertEquals(1, ra.steps().size() + rb.steps().size(), "exactly one of them committed the step");
                    assertTrue(ra.upToDate() && rb.upToDate());
                } finally {
                    pool.shutdownNow();
                }
                assertEquals(1, Workspace.executes(new DatasetRepository(new FileSystemObjectStore(root)).get("leaderboard")).size());
                assertTrue(meeting.requests.size() >= 2, "both ran the engine");
            }
        }
    }

    @Test
    void aRewrittenInputIsABreakingChangeThatResetRecoversFrom() throws Exception {
        try (Workspace ws = new Workspace(new FileSystemObjectStore(root), scratch)) {
            Dataset scores = ws.createFixture(SCORES);
            Multihash metadataOnly = scores.head().orElseThrow();
            Dataset board = ws.createFixture("kamu-cli__leaderboard__leaderboard.yaml");
            ws.push(scores, score(1, "alice", 100) + score(1, "bob", 80));
            ws.push(scores, score(2, "carol", 90));
            ws.transforms.transform(board, 10);
            // Rewrite the input's history (what compaction does): same metadata, the data in one new block.
            scores.resetTo(scores.head().orElseThrow(), metadataOnly, List.of());
            ws.push(scores, score(1, "alice", 100) + score(1, "bob", 80) + score(2, "carol", 90));
            Multihash head = board.head().orElseThrow();
            var e = assertThrows(InputBreakingChangeException.class, () -> ws.transforms.transform(board, 10));
            assertEquals(scores.id(), e.input());
            assertTrue(e.getMessage().contains("reset 'leaderboard'"), e.getMessage());
            assertEquals(head, board.head().orElseThrow());

            ws.transforms.reset(board);
            TransformResult r = ws.transforms.transform(board, 10);
            assertEquals(1, r.steps().size());
            assertEquals(List.of("0 0 1 alice 100", "1 0 2 carol 90"),
                    ws.rows(board, Workspace.executes(board).get(0).newData(), "\"offset\", op, place, player_id, score"));
        }
    }

    @Test
    void verifyRecomputeDetectsDataThatDoesNotFollowFromTheInputs() throws Exception {
        try (DuckDbEngine duck = new DuckDbEngine()) {
            // A dishonest (or broken) engine: it claims to be this DuckDB build but doubles every score.
            var lying = new TestEngines.Wrapping(duck, r -> TestEngines.withSql(r,
                    r.transform().outputQuery().replace("score\n", "score * 2 as score\n")));
            try (Workspace forged = new Workspace(new FileSystemObjectStore(root), scratch.resolve("f"), TestEngines.only(lying))) {
                Dataset scores = forged.createFixture(SCORES);
                Dataset board = forged.createFixture("kamu-cli__leaderboard__leaderboard.yaml");
                forged.push(scores, score(1, "alice", 100) + score(1, "bob", 80));
                forged.transforms.transform(board, 10);
                forged.push(scores, score(2, "carol", 30));
                forged.transforms.transform(board, 10);
                assertEquals(List.of("0 0 1 alice 200", "1 0 2 bob 160"),
                        forged.rows(board, Workspace.executes(board).get(0).newData(), "\"offset\", op, place, player_id, score"));
                assertTrue(new dev.sluice.storage.DatasetVerifier().verify(board).ok(), "its hashes are all consistent");
            }
            try (Workspace honest = new Workspace(new FileSystemObjectStore(root), scratch.resolve("h"))) {
                Dataset board = honest.repo.get("leaderboard");
                TransformVerifier.Report report = new TransformVerifier(honest.transforms).verify(board);
                assertFalse(report.ok());
                assertEquals(2, report.blocks().size());
                var first = report.blocks().get(0);
                assertEquals(TransformVerifier.Outcome.MISMATCH, first.outcome());
                assertTrue(first.details().stream().anyMatch(d -> d.startsWith("logical hash")), first.details().toString());
                assertTrue(first.details().stream().anyMatch(d -> d.startsWith("physical hash")), first.details().toString());
                assertTrue(first.details().stream().anyMatch(d -> d.startsWith("checkpoint")), first.details().toString());

                // A corrupted checkpoint object is reported on the step that reads it.
                var cp = Workspace.executes(board).get(0).newCheckpoint().physicalHash();
                Path cpFile = board.store().localFile(DatasetLayout.checkpoint(board.id(), cp)).orElseThrow();
                byte[] bytes = Files.readAllBytes(cpFile);
                bytes[bytes.length / 2] ^= 1;
                Files.write(cpFile, bytes);
                var second = new TransformVerifier(honest.transforms).verify(board).blocks().get(1);
                assertEquals(TransformVerifier.Outcome.ERROR, second.outcome());
                assertTrue(second.details().get(0).contains("is corrupt"), second.details().toString());
            }
        }
    }

    @Test
    void unionOfTwoInputsStepsThroughBothInBlockTimeOrder() throws Exception {
        try (Workspace ws = new Workspace(new FileSystemObjectStore(root), scratch)) {
            Dataset a = ws.createFixture(SCORES);
            Dataset b = ws.create(Files.readString(Workspace.fixture(SCORES)).replace("name: player-scores", "name: more-scores"));
            Dataset all = ws.create("""
                    kind: DatasetSnapshot
                    version: 1
                    content:
                      name: all-scores
                      kind: Derivative
                      metadata:
                        - kind: SetTransform
                          inputs:
                            - datasetRef: player-scores
                              alias: a
                            - datasetRef: more-scores
                              alias: b
                          transform:
                            kind: Sql
                            engine: duckdb
                            query: |
                              select match_time, player_id, score from a
                              union all
                              select match_time, player_id, score from b
                        - kind: SetVocab
                          eventTimeColumn: match_time
                    """);
            ws.push(a, score(1, "alice", 1));
            ws.push(b, score(2, "bob", 2));
            ws.push(a, score(3, "carol", 3));
            TransformResult r = ws.transforms.transform(all, 10);
            assertEquals(List.of("a", "b", "a"), r.steps().stream().map(TransformResult.Step::input).toList());
            var xs = Workspace.executes(all);
            List<String> rows = new ArrayList<>();
            for (var x : xs) rows.addAll(ws.rows(all, x.newData(), "\"offset\", player_id"));
            assertEquals(List.of("0 alice", "1 bob", "2 carol"), rows);
            // Every ExecuteTransform lists both inputs; the idle one with no new block.
            ExecuteTransformInput idle = xs.get(1).queryInputs().stream().filter(q -> q.datasetId().equals(a.id())).findFirst().orElseThrow();
            assertNull(idle.newBlockHash());
            assertEquals(xs.get(0).queryInputs().stream().filter(q -> q.datasetId().equals(a.id())).findFirst().orElseThrow().newBlockHash(),
                    idle.prevBlockHash());
            // Output watermark: the minimum of the inputs' watermarks (none while b has none).
            assertNull(xs.get(0).newWatermark());
            assertEquals(java.time.Instant.parse("2000-01-01T00:00:00Z"), xs.get(1).newWatermark());
            assertEquals(b.state().watermark(), xs.get(2).newWatermark(), "b (day 2) is behind a (day 3)");
            assertTrue(new TransformVerifier(ws.transforms).verify(all).ok());
        }
    }

    @Test
    void worksOnS3Storage() throws Exception {
        try (LocalS3Server s3 = LocalS3Server.start(); Workspace ws = new Workspace(s3.newStore("node"), scratch)) {
            Dataset scores = ws.createFixture(SCORES);
            Dataset board = ws.createFixture("kamu-cli__leaderboard__leaderboard.yaml");
            for (int i = 0; i < 2; i++) {
                ws.push(scores, LeaderboardTest.CASES.get(i).push());
                ws.transforms.transform(board, 10);
                assertEquals(LeaderboardTest.CASES.get(i).expected(),
                        ws.rows(board, Workspace.executes(board).get(i).newData(), "\"offset\", op, place, player_id, score"));
            }
            assertTrue(new TransformVerifier(ws.transforms).verify(board).ok());
            List<DataSlice> before = LeaderboardTest.dataOf(board);
            ws.transforms.reset(board);
            ws.transforms.transform(board, 10);
            assertEquals(before, LeaderboardTest.dataOf(board));
        }
    }

    @Test
    void stepLimitLeavesTheRestPending() throws Exception {
        try (Workspace ws = new Workspace(new FileSystemObjectStore(root), scratch)) {
            Dataset scores = ws.createFixture(SCORES);
            Dataset high = ws.derivative("high", "player-scores", "duckdb", HIGH);
            for (int i = 1; i <= 3; i++) ws.push(scores, score(i, "p" + i, 100 + i));
            TransformResult r = ws.transforms.transform(high, 2);
            assertEquals(2, r.steps().size());
            assertFalse(r.upToDate());
            TransformResult rest = ws.transforms.transform(high, 2);
            assertEquals(1, rest.steps().size());
            assertTrue(rest.upToDate());
        }
    }

    @Test
    void waitsForAnInputWithoutSchema() throws Exception {
        try (Workspace ws = new Workspace(new FileSystemObjectStore(root), scratch)) {
            Dataset a = ws.createFixture(SCORES);
            ws.create(Files.readString(Workspace.fixture(SCORES)).replace("name: player-scores", "name: empty-scores"));
            Dataset j = ws.create("""
                    kind: DatasetSnapshot
                    version: 1
                    content:
                      name: joined
                      kind: Derivative
                      metadata:
                        - kind: SetTransform
                          inputs:
                            - datasetRef: player-scores
                              alias: a
                            - datasetRef: empty-scores
                              alias: e
                          transform:
                            kind: Sql
                            engine: duckdb
                            query: select a.match_time, a.player_id, e.score from a left join e on a.player_id = e.player_id
                        - kind: SetVocab
                          eventTimeColumn: match_time
                    """);
            ws.push(a, score(1, "alice", 1));
            TransformResult r = ws.transforms.transform(j, 10);
            assertEquals(0, r.steps().size());
            assertFalse(r.upToDate());
            assertEquals("input 'e' (empty-scores) has no data schema yet", r.waitingFor());
            assertEquals(Optional.empty(), Workspace.executes(j).stream().findFirst());
        }
    }
}
