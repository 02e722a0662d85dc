package dev.sluice.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.flows.FlowConfig;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.TaskStatus;
import dev.sluice.flows.TaskView;
import dev.sluice.odf.DataSlice;
import dev.sluice.odf.Multihash;
import dev.sluice.storage.Dataset;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RESET and COMPACTION tasks on real datasets. */
class MaintenanceExecutorsTest {
    @TempDir Path dir;

    @Test
    void resetTakesADerivativeBackToMetadataAndARecomputeRebuildsTheSameData() throws Exception {
        try (Harness h = new Harness(dir)) {
            Dataset scores = h.createFixture("kamu-cli__leaderboard__player-scores.yaml");
            Dataset board = h.createFixture("kamu-cli__leaderboard__leaderboard.yaml");
            for (TransformExecutorTest.Case c : TransformExecutorTest.CASES) {
                h.push(scores, c.push());
                h.tick();
            }
            List<DataSlice> original = Rows.slices(board);
            assertEquals(3, original.size());

            TaskView reset = h.run(board, FlowType.RESET);
            assertEquals(TaskStatus.SUCCEEDED, reset.status(), reset.toString());
            assertEquals("reset to metadata (5 blocks dropped)", reset.outcome(), "SetDataSchema and 4 ExecuteTransform");
            assertNull(board.state().lastOffset());
            assertEquals(board.state().sequenceNumber(), h.index.get(board.id()).orElseThrow().getSeq(), "the index followed the reset");
            assertEquals("nothing to reset", h.run(board, FlowType.RESET).outcome());

            // The reset's rewrite made the derivative's own downstream due; its TRANSFORM flow's next run rebuilds it identically.
            TaskView rebuilt = h.run(board, FlowType.TRANSFORM);
            assertEquals(TaskStatus.SUCCEEDED, rebuilt.status());
            assertEquals(original, Rows.slices(board), "same slices, hash for hash");

            h.flows.service().setConfig(Harness.did(board), FlowType.RESET, FlowConfig.manual().withOptions(Map.of(ResetExecutor.RECOMPUTE, "true")));
            Multihash before = board.head().orElseThrow();
            TaskView both = h.run(board, FlowType.RESET);
            assertEquals(TaskStatus.SUCCEEDED, both.status(), both.toString());
            assertEquals("reset and recomputed: 4 steps, 8 new records", both.outcome());
            assertEquals(original, Rows.slices(board));
            assertTrue(!before.equals(board.head().orElseThrow()), "new blocks (new system times), same data");

            TaskView root = h.run(scores, FlowType.RESET);
            assertEquals(TaskStatus.FAILED, root.status());
            assertEquals("player-scores is a root dataset; only derivatives are transformed", root.error());
        }
    }

    @Test
    void compactionMergesSmallSlicesWithTheFlowsLimits() throws Exception {
        try (Harness h = new Harness(dir)) {
            Dataset scores = h.createFixture("kamu-cli__leaderboard__player-scores.yaml");
            Dataset board = h.createFixture("kamu-cli__leaderboard__leaderboard.yaml");
            for (int i = 0; i < 5; i++) h.push(scores, TransformExecutorTest.score(10 + i, "p" + i, i, "0" + (i + 1)));
            String did = Harness.did(scores);

            h.flows.service().setConfig(did, FlowType.COMPACTION, FlowConfig.manual().withOptions(Map.of(CompactionExecutor.MAX_SLICE_RECORDS, "2")));
            TaskView pairs = h.run(scores, FlowType.COMPACTION);
            assertEquals(TaskStatus.SUCCEEDED, pairs.status(), pairs.toString());
            assertEquals("compacted: 5 → 3 slices, 9 → 7 blocks", pairs.outcome());
            assertEquals(List.of(2L, 2L, 1L), Rows.slices(scores).stream().map(s -> s.offsetInterval().end() - s.offsetInterval().start() + 1).toList());
            assertEquals("nothing to compact", h.run(scores, FlowType.COMPACTION).outcome(), "a record limit is a fixed point");

            h.flows.service().setConfig(did, FlowType.COMPACTION, FlowConfig.manual().withOptions(Map.of(CompactionExecutor.MAX_SLICE_SIZE, "-5")));
            TaskView bad = h.run(scores, FlowType.COMPACTION);
            assertEquals(TaskStatus.FAILED, bad.status());
            assertEquals("invalid flow option: maxSliceSize must be a positive whole number, got '-5'", bad.error());

            TaskView derivative = h.run(board, FlowType.COMPACTION);
            assertEquals(TaskStatus.FAILED, derivative.status());
            assertTrue(derivative.error().startsWith("dataset leaderboard is a derivative"), derivative.error());
            assertEquals(FlowConfig.COMPACTION_DEFAULTS.get("maxSliceRecords"), String.valueOf(dev.sluice.compaction.CompactionOptions.DEFAULT_MAX_SLICE_RECORDS));
        }
    }
}
