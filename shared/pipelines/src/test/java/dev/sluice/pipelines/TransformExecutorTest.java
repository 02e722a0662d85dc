package dev.sluice.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineProvisioner;
import dev.sluice.engine.InProcessEngineProvisioner;
import dev.sluice.engine.TransformRequest;
import dev.sluice.engine.TransformResponse;
import dev.sluice.flows.FlowConfig;
import dev.sluice.flows.FlowStatus;
import dev.sluice.flows.FlowTrigger;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.FlowView;
import dev.sluice.flows.RetryPolicy;
import dev.sluice.flows.TaskStatus;
import dev.sluice.flows.TaskView;
import dev.sluice.flows.TriggerCause;
import dev.sluice.odf.Transform;
import dev.sluice.storage.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TRANSFORM tasks: the leaderboard fixture following its input through the reactive flow; breaking changes; failures. */
class TransformExecutorTest {
    @TempDir Path dir;

    static String score(int match, String player, int score, String day) {
        return "{\"match_time\":\"2000-01-" + day + "T00:00:00Z\",\"match_id\":" + match + ",\"player_id\":\"" + player + "\",\"score\":" + score + "}\n";
    }

    /** Pushes and the leaderboard rows each must produce ("offset op place player score"), as in shared/transform's LeaderboardTest. */
    record Case(String push, List<String> rows) {}

    static final List<Case> CASES = List.of(
            new Case(score(1, "alice", 100, "01") + score(1, "bob", 80, "01"), List.of("0 0 1 alice 100", "1 0 2 bob 80")),
            new Case(score(2, "charlie", 90, "02"), List.of("2 2 2 bob 80", "3 3 2 charlie 90")),
            new Case(score(3, "dave", 50, "03"), List.of()),
            new Case(score(4, "eve", 200, "04") + score(4, "bob", 95, "04"),
                    List.of("4 2 1 alice 100", "5 3 1 eve 200", "6 2 2 charlie 90", "7 3 2 alice 100")));

    static final String CHANGELOG = "\"offset\", op, place, player_id, score";

    @Test
    void theLeaderboardFollowsEveryPushThroughItsDefaultReactiveFlow() throws Exception {
        try (Harness h = new Harness(dir)) {
            Dataset scores = h.createFixture("kamu-cli__leaderboard__player-scores.yaml");
            Dataset board = h.createFixture("kamu-cli__leaderboard__leaderboard.yaml");
            assertTrue(h.flows.service().flows(Harness.did(scores)).isEmpty(), "a push-only root gets no flow");
            FlowView flow = h.flows.service().flow(Harness.did(board), FlowType.TRANSFORM);
            assertEquals(FlowTrigger.Reactive.immediate(), flow.config().trigger());
            assertNotNull(flow.nextDueAt(), "due at once: a first run catches up with the input");

            // Due at once, as a recheck of the inputs: the input has no data yet, so no task runs.
            assertTrue(h.tick().isEmpty(), "the input has no data yet");
            assertEquals(FlowStatus.WAITING, h.flows.service().flow(Harness.did(board), FlowType.TRANSFORM).status());

            List<String> expected = new java.util.ArrayList<>();
            for (Case c : CASES) {
                h.push(scores, c.push());
                assertEquals(FlowStatus.WAITING, h.flows.service().flow(Harness.did(board), FlowType.TRANSFORM).status());
                List<TaskView> ran = h.tick();
                assertEquals(1, ran.size(), "the push made the transform due");
                TaskView t = ran.get(0);
                assertEquals(TaskStatus.SUCCEEDED, t.status(), t.toString());
                assertEquals(TriggerCause.INPUT_UPDATED, t.trigger());
                assertEquals((long) c.rows().size(), t.newRecords());
                assertTrue(t.log().stream().anyMatch(l -> l.contains("the risingwave transform of leaderboard ran on the duckdb engine")), t.log().toString());
                expected.addAll(c.rows());
                assertEquals(expected, Rows.all(board, dir.resolve("read"), CHANGELOG));
                assertTrue(h.tick().isEmpty(), "nothing new: not due");
            }
            assertEquals(CASES.size(), Rows.executes(board), "one step per input block");
            assertEquals(0, h.index.failures());
        }
    }

    @Test
    void aCompactedInputIsABreakingChangeRecoveredByResetAndRecompute() throws Exception {
        try (Harness h = new Harness(dir)) {
            Dataset scores = h.createFixture("kamu-cli__leaderboard__player-scores.yaml");
            Dataset board = h.createFixture("kamu-cli__leaderboard__leaderboard.yaml");
            Dataset strict = h.create(Files.readString(Harness.fixture("kamu-cli__leaderboard__leaderboard.yaml"))
                    .replace("name: leaderboard", "name: strict-board"));
            h.flows.service().setConfig(Harness.did(strict), FlowType.TRANSFORM, FlowConfig.of(FlowTrigger.Reactive.immediate())
                    .withOptions(Map.of(TransformExecutor.FOR_BREAKING_CHANGE, "NoAction")));
            for (Case c : CASES) {
                h.push(scores, c.push());
                h.tick();
            }
            List<String> before = Rows.all(board, dir.resolve("read"), CHANGELOG);
            assertEquals(4, Rows.executes(board));

            h.flows.service().setConfig(Harness.did(scores), FlowType.COMPACTION, FlowConfig.manual());
            TaskView compacted = h.run(scores, FlowType.COMPACTION);
            assertEquals(TaskStatus.SUCCEEDED, compacted.status(), compacted.toString());
            assertEquals("compacted: 4 → 1 slices, 8 → 5 blocks", compacted.outcome());
            assertEquals(0L, compacted.newRecords());

            // The rewrite made both derivatives due (the reactive trigger follows head replacements).
            List<TaskView> ran = h.tick();
            assertEquals(2, ran.size());
            TaskView recovered = ran.stream().filter(t -> t.datasetId().equals(Harness.did(board))).findFirst().orElseThrow();
            assertEquals(TaskStatus.SUCCEEDED, recovered.status(), recovered.toString());
            assertTrue(recovered.log().stream().anyMatch(l -> l.contains("no longer contains block")), recovered.log().toString());
            assertTrue(recovered.log().stream().anyMatch(l -> l.contains("recovering (forBreakingChange: Recover): reset leaderboard")), recovered.log().toString());
            assertTrue(recovered.outcome().endsWith("(recomputed after a breaking change in an input)"), recovered.outcome());
            assertEquals(1, Rows.executes(board), "the compacted input is one block: one step");
            // The same top 2 as before; the changelog now has it in one step.
            assertEquals(List.of("0 0 1 eve 200", "1 0 2 alice 100"), Rows.all(board, dir.resolve("read"), CHANGELOG));
            assertEquals(8, before.size());
            assertEquals(board.state().sequenceNumber(), h.index.get(board.id()).orElseThrow().getSeq(), "the index followed the reset");

            TaskView refused = ran.stream().filter(t -> t.datasetId().equals(Harness.did(strict))).findFirst().orElseThrow();
            assertEquals(TaskStatus.FAILED, refused.status());
            assertTrue(refused.error().contains("no longer contains block") && refused.error().endsWith("(the flow's forBreakingChange is NoAction)"),
                    refused.error());
            assertEquals(4, Rows.executes(strict), "left as it was");
            assertTrue(h.tick().isEmpty(), "a permanent failure is not retried");
        }
    }

    @Test
    void invalidSqlAndUnavailableEnginesFailForGoodEngineErrorsAreRetried() throws Exception {
        AtomicBoolean flaky = new AtomicBoolean(true);
        InProcessEngineProvisioner real = InProcessEngineProvisioner.load();
        Engine duckdb = real.engineFor("duckdb").orElseThrow();
        EngineProvisioner engines = new EngineProvisioner() {
            @Override
            public Optional<Engine> engineFor(String dialect) {
                return dialect.equals("flaky") ? Optional.of(new Flaky(duckdb, flaky)) : real.engineFor(dialect);
            }

            @Override
            public void close() {
                real.close();
            }
        };
        try (Harness h = new Harness(dir, DefaultFlows.Policy.defaults(), engines)) {
            Dataset scores = h.createFixture("kamu-cli__leaderboard__player-scores.yaml");
            h.push(scores, CASES.get(0).push());
            Dataset badSql = h.create(derivative("bad-sql", "duckdb", "select match_time frm player_scores"));
            Dataset flink = h.create(derivative("flink-only", "flink", "select match_time from player_scores for system_time as of proctime()"));
            Dataset retried = h.create(derivative("retried", "flaky", "select match_time, player_id, score from player_scores"));
            h.flows.service().setConfig(Harness.did(retried), FlowType.TRANSFORM, FlowConfig.of(FlowTrigger.Reactive.immediate())
                    .withRetry(new RetryPolicy(2, Duration.ZERO, RetryPolicy.Backoff.FIXED)));

            List<TaskView> ran = h.tick();
            assertEquals(3, ran.size(), ran.toString());
            TaskView sql = task(ran, badSql);
            assertEquals(TaskStatus.FAILED, sql.status());
            assertTrue(sql.error().startsWith("the transform of bad-sql is invalid") && sql.error().contains("Parser Error"), sql.error());
            TaskView engine = task(ran, flink);
            assertTrue(engine.error().startsWith("engine flink not available"), engine.error());
            TaskView failedOnce = task(ran, retried);
            assertEquals(TaskStatus.FAILED, failedOnce.status());
            assertTrue(failedOnce.error().contains("the flaky engine failed on retried: out of memory"), failedOnce.error());
            assertEquals(FlowStatus.RETRYING, h.flows.service().flow(Harness.did(retried), FlowType.TRANSFORM).status());
            assertEquals(FlowStatus.WAITING, h.flows.service().flow(Harness.did(badSql), FlowType.TRANSFORM).status(), "not retried");

            flaky.set(false);
            List<TaskView> again = h.tick();
            assertEquals(1, again.size(), "only the retryable failure runs again");
            assertEquals(TaskStatus.SUCCEEDED, again.get(0).status(), again.get(0).toString());
            assertEquals(2, again.get(0).attempt());
            assertEquals(2L, again.get(0).newRecords());

            TaskView root = h.run(scores, FlowType.TRANSFORM);
            assertEquals(TaskStatus.FAILED, root.status());
            assertEquals("player-scores is a root dataset; only derivatives are transformed", root.error());
        }
    }

    static TaskView task(List<TaskView> tasks, Dataset ds) {
        return tasks.stream().filter(t -> t.datasetId().equals(Harness.did(ds))).findFirst().orElseThrow();
    }

    static String derivative(String name, String engine, String sql) {
        return "kind: DatasetSnapshot\nversion: 1\ncontent:\n  name: " + name + "\n  kind: Derivative\n  metadata:\n"
                + "    - kind: SetTransform\n      inputs:\n        - datasetRef: player-scores\n          alias: player_scores\n"
                + "      transform:\n        kind: Sql\n        engine: " + engine + "\n        query: \"" + sql + "\"\n"
                + "    - kind: SetVocab\n      eventTimeColumn: match_time\n";
    }

    /** DuckDB under another name that fails with an internal error while {@code failing} is set. */
    record Flaky(Engine real, AtomicBoolean failing) implements Engine {
        @Override
        public String name() {
            return "flaky";
        }

        @Override
        public String build() {
            return real.build();
        }

        @Override
        public boolean recomputes(Transform.Sql transform) {
            return real.recomputes(transform);
        }

        @Override
        public TransformResponse transform(TransformRequest request) {
            return failing.get() ? new TransformResponse.InternalError("out of memory", null) : real.transform(request);
        }
    }
}
