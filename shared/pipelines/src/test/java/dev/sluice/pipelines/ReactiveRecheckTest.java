package dev.sluice.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.compaction.CompactionOptions;
import dev.sluice.compaction.Compactor;
import dev.sluice.flows.FlowConfig;
import dev.sluice.flows.FlowStatus;
import dev.sluice.flows.FlowTrigger;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.FlowView;
import dev.sluice.flows.SchedulerConfig;
import dev.sluice.flows.TaskStatus;
import dev.sluice.flows.TaskView;
import dev.sluice.flows.TriggerCause;
import dev.sluice.ingest.IngestSource;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit whose reactive trigger was lost — the process died between the head swap and the trigger call — is picked
 * up by the flow's recheck, from the log: the leaderboard fixture, real datasets, dynalite, the DuckDB engine. The
 * crash is a second repository on the same storage without the node's listeners (what a process that committed and
 * died leaves behind: the commit, and nothing else).
 */
class ReactiveRecheckTest {
    static final Duration RECHECK = SchedulerConfig.DEFAULT_REACTIVE_RECHECK;

    @TempDir Path dir;

    /** The same datasets as the node sees them, through a repository no listener hangs off. */
    static Dataset withoutTrigger(Harness h, Dataset ds) {
        return new DatasetRepository(new FileSystemObjectStore(h.dir.resolve("datasets")), h.clock).get(Harness.did(ds));
    }

    static void pushLost(Harness h, Dataset ds, String ndjson) {
        h.push.ingest(withoutTrigger(h, ds), null, "application/x-ndjson", IngestSource.ofBytes(ndjson.getBytes(StandardCharsets.UTF_8)), null);
    }

    @Test
    void aLostTriggerRunsTheTransformOnceAtTheRecheckAndAnUpToDateRecheckRunsNothing() throws Exception {
        try (Harness h = new Harness(dir)) {
            h.clock.freeze();
            Dataset scores = h.createFixture("kamu-cli__leaderboard__player-scores.yaml");
            Dataset board = h.createFixture("kamu-cli__leaderboard__leaderboard.yaml");
            String did = Harness.did(board);
            LogInputBacklog backlog = new LogInputBacklog(h.repo);
            assertTrue(h.tick().isEmpty(), "the first recheck: the input is empty");
            assertEquals(h.clock.instant().plus(RECHECK), h.flows.service().flow(did, FlowType.TRANSFORM).nextDueAt());

            TransformExecutorTest.Case c = TransformExecutorTest.CASES.get(0);
            pushLost(h, scores, c.push());
            assertEquals(2, backlog.unconsumedRecords(did), "the log has 2 records the leaderboard did not consume");
            FlowView f = h.flows.service().flow(did, FlowType.TRANSFORM);
            assertEquals(0, f.pendingRecords(), "the trigger never heard of them");
            h.clock.advance(RECHECK.minusMillis(1));
            assertTrue(h.tick().isEmpty(), "not before the recheck");

            h.clock.advance(Duration.ofMillis(1));
            List<TaskView> ran = h.tick();
            assertEquals(1, ran.size(), "the recheck ran the transform");
            TaskView t = ran.get(0);
            assertEquals(TaskStatus.SUCCEEDED, t.status(), t.toString());
            assertEquals(TriggerCause.INPUT_UPDATED, t.trigger());
            assertEquals(2, t.inputRecords());
            assertEquals((long) c.rows().size(), t.newRecords());
            assertEquals(c.rows(), Rows.all(board, dir.resolve("read"), TransformExecutorTest.CHANGELOG));
            assertEquals(0, backlog.unconsumedRecords(did));
            assertEquals(0, backlog.unconsumedRecords(dev.sluice.odf.DatasetId.generate().toDid()), "a deleted derivative has nothing to run");
            assertTrue(h.tick().isEmpty(), "exactly once");

            // up to date: the next recheck reads the log and runs nothing
            h.clock.advance(RECHECK);
            assertTrue(h.tick().isEmpty());
            assertEquals(1, h.flows.service().tasks(did, 10).size(), "no task was created");
            assertEquals(1, Rows.executes(board));
            f = h.flows.service().flow(did, FlowType.TRANSFORM);
            assertEquals(FlowStatus.WAITING, f.status());
            assertEquals(h.clock.instant().plus(RECHECK), f.nextDueAt(), "re-armed");
        }
    }

    @Test
    void theBatchingRuleHoldsOnARecheck() throws Exception {
        try (Harness h = new Harness(dir)) {
            h.clock.freeze();
            Dataset scores = h.createFixture("kamu-cli__leaderboard__player-scores.yaml");
            Dataset board = h.createFixture("kamu-cli__leaderboard__leaderboard.yaml");
            String did = Harness.did(board);
            h.flows.service().setConfig(did, FlowType.TRANSFORM, FlowConfig.of(new FlowTrigger.Reactive(3, Duration.ofMinutes(30))));
            pushLost(h, scores, TransformExecutorTest.CASES.get(0).push()); // 2 records < 3

            h.clock.advance(RECHECK);
            Instant found = h.clock.instant();
            assertTrue(h.tick().isEmpty(), "2 of 3 records: the batch waits");
            FlowView f = h.flows.service().flow(did, FlowType.TRANSFORM);
            assertEquals(2, f.pendingRecords());
            assertEquals(found.plus(Duration.ofMinutes(30)), f.nextDueAt());

            h.clock.advance(Duration.ofMinutes(30).minusMillis(1));
            assertTrue(h.tick().isEmpty());
            h.clock.advance(Duration.ofMillis(1));
            List<TaskView> ran = h.tick();
            assertEquals(1, ran.size(), "maxBatchingInterval after the records were found");
            assertEquals(TaskStatus.SUCCEEDED, ran.get(0).status(), ran.get(0).toString());
            assertEquals(2, ran.get(0).inputRecords());
            assertEquals(1, Rows.executes(board));

            // enough records found by a recheck: at once
            List<String> rows = new ArrayList<>(TransformExecutorTest.CASES.get(0).rows());
            pushLost(h, scores, TransformExecutorTest.CASES.get(1).push() + TransformExecutorTest.CASES.get(2).push()
                    + TransformExecutorTest.CASES.get(3).push()); // 4 records
            h.clock.advance(RECHECK);
            ran = h.tick();
            assertEquals(1, ran.size());
            assertEquals(4, ran.get(0).inputRecords());
            assertEquals(TaskStatus.SUCCEEDED, ran.get(0).status(), ran.get(0).toString());
            assertEquals(2, Rows.executes(board), "the four records arrived in one input block: one step");
            assertEquals(0, new LogInputBacklog(h.repo).unconsumedRecords(did));
            assertEquals(rows.size() + ran.get(0).newRecords(), Rows.all(board, dir.resolve("read"), TransformExecutorTest.CHANGELOG).size());
        }
    }

    @Test
    void aCompactionWhoseTriggerWasLostIsFoundByTheRecheckAndRecovered() throws Exception {
        try (Harness h = new Harness(dir)) {
            h.clock.freeze();
            Dataset scores = h.createFixture("kamu-cli__leaderboard__player-scores.yaml");
            Dataset board = h.createFixture("kamu-cli__leaderboard__leaderboard.yaml");
            String did = Harness.did(board);
            for (TransformExecutorTest.Case c : TransformExecutorTest.CASES) {
                h.push(scores, c.push());
                h.tick();
            }
            List<String> before = Rows.all(board, dir.resolve("read"), TransformExecutorTest.CHANGELOG);
            LogInputBacklog backlog = new LogInputBacklog(h.repo);
            assertEquals(0, backlog.unconsumedRecords(did));

            // compacted by a process that died before the trigger: same offsets, other blocks
            new Compactor(dir.resolve("compaction")).compact(withoutTrigger(h, scores), CompactionOptions.defaults());
            assertEquals(1, backlog.unconsumedRecords(did), "the consumed block is gone from the input's chain");
            assertTrue(h.tick().isEmpty());

            h.clock.advance(RECHECK);
            List<TaskView> ran = h.tick();
            assertEquals(1, ran.size());
            TaskView t = ran.get(0);
            assertEquals(TaskStatus.SUCCEEDED, t.status(), t.toString());
            assertTrue(t.outcome().endsWith("(recomputed after a breaking change in an input)"), t.outcome());
            assertEquals(0, backlog.unconsumedRecords(did));
            assertEquals(1, Rows.executes(board), "the compacted input is one block: one step");
            assertEquals(8, before.size());
            assertEquals(List.of("0 0 1 eve 200", "1 0 2 alice 100"), Rows.all(board, dir.resolve("read"), TransformExecutorTest.CHANGELOG),
                    "the same top 2, recomputed from the compacted input");
        }
    }
}
