package dev.sluice.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.DataField;
import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DataSlice;
import dev.sluice.odf.DataType;
import dev.sluice.odf.DatasetAlias;
import dev.sluice.odf.DatasetKind;
import dev.sluice.odf.MergeStrategy;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.odf.ReadStep;
import dev.sluice.odf.Transform;
import dev.sluice.odf.TransformInput;
import dev.sluice.state.DatasetIndex;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commits to a root feed the reactive trigger of its derivative through the dataset index's downstream edges. */
class InputUpdatesTest {
    @TempDir Path dir;

    @Test
    void commitsOfAnInputMakeTheDerivativesTransformDue() {
        try (TestState state = TestState.open();
                FlowSystem flows = FlowSystem.builder(state.tables).clock(state.clock).dispatcher(r -> id -> { }).build()) {
            DatasetRepository repo = new DatasetRepository(new FileSystemObjectStore(dir));
            DatasetIndex index = new DatasetIndex(state.tables, repo);
            repo.addListener(index);
            InputUpdates updates = new InputUpdates(flows.scheduler(), state.clock);
            repo.addListener(updates);

            var schema = new DataSchema(List.of(new DataField("score", new DataType.Int64(), null)), null);
            Dataset root = repo.create(DatasetAlias.parse("scores"), DatasetKind.Root, List.of(
                    new MetadataEvent.AddPushSource("default", new ReadStep.NdJson(schema, null, null, null, null), null, new MergeStrategy.Append())));
            Dataset derived = repo.create(DatasetAlias.parse("top"), DatasetKind.Derivative, List.of(new MetadataEvent.SetTransform(
                    List.of(new TransformInput(root.id().toDid(), "scores")), new Transform.Sql("duckdb", null, "SELECT * FROM scores", null, null).normalized())));
            index.sync(root.id());
            index.sync(derived.id());
            String down = derived.id().toDid();
            flows.service().setConfig(down, FlowType.TRANSFORM, FlowConfig.of(new FlowTrigger.Reactive(10, Duration.ofMinutes(5))));

            root.commit(s -> addData(s.nextOffset(), s.lastOffset(), 4));
            FlowView f = flows.service().flow(down, FlowType.TRANSFORM);
            assertEquals(4, f.pendingRecords());
            assertEquals(state.clock.instant().plus(Duration.ofMinutes(5)), f.nextDueAt());
            root.commit(s -> addData(s.nextOffset(), s.lastOffset(), 6));
            f = flows.service().flow(down, FlowType.TRANSFORM);
            assertEquals(10, f.pendingRecords());
            assertEquals(state.clock.instant(), f.nextDueAt());
            root.commit(s -> new MetadataEvent.SetInfo("no data", List.of()));
            assertEquals(10, flows.service().flow(down, FlowType.TRANSFORM).pendingRecords(), "blocks without data add nothing");
            assertEquals(0, updates.failures());
            assertNull(flows.service().flow(down, FlowType.TRANSFORM).activeTaskId());
        }
    }

    /**
     * Behind: a commit only enqueues its count. While the background report is held (its dependency read waits on a
     * latch) three more commits return at once; released, what they queued is reported in one call for the upstream.
     */
    @Test
    void behindTakesTheTriggerOffTheCommitAndReportsWhatQueuedUpInOneCall() throws Exception {
        String down = "did:odf:down";
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger reads = new AtomicInteger();
        DatasetDependencies deps = id -> {
            if (reads.incrementAndGet() == 1) {
                reading.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Set.of(down);
        };
        try (TestState state = TestState.open();
                FlowSystem flows = FlowSystem.builder(state.tables).clock(state.clock).dependencies(deps).dispatcher(r -> id -> { }).build();
                InputUpdates updates = InputUpdates.behind(flows.scheduler(), state.clock)) {
            flows.service().setConfig(down, FlowType.TRANSFORM, FlowConfig.of(new FlowTrigger.Reactive(100, Duration.ofMinutes(5))));
            DatasetRepository repo = new DatasetRepository(new FileSystemObjectStore(dir));
            repo.addListener(updates);
            Dataset root = repo.create(DatasetAlias.parse("up"), DatasetKind.Root, List.of(new MetadataEvent.AddPushSource("default",
                    new ReadStep.NdJson(new DataSchema(List.of(new DataField("score", new DataType.Int64(), null)), null), null, null, null, null),
                    null, new MergeStrategy.Append())));
            try {
                Instant first = state.clock.instant();
                root.commit(s -> addData(s.nextOffset(), s.lastOffset(), 4));
                assertTrue(reading.await(30, TimeUnit.SECONDS), "the background report started");
                state.clock.advance(Duration.ofMinutes(1));
                for (int rows : new int[] {1, 2, 3}) root.commit(s -> addData(s.nextOffset(), s.lastOffset(), rows)); // return while it is held
                assertEquals(0, flows.service().flow(down, FlowType.TRANSFORM).pendingRecords(), "nothing reported yet");
                release.countDown();
                assertTrue(updates.flush(Duration.ofSeconds(30)));
                FlowView f = flows.service().flow(down, FlowType.TRANSFORM);
                assertEquals(10, f.pendingRecords());
                assertEquals(first.plus(Duration.ofMinutes(5)), f.nextDueAt(), "batched from the first commit's time");
                assertEquals(2, reads.get(), "one report for the first commit, one for the three queued behind it");
                assertEquals(0, updates.failures());
            } finally {
                release.countDown();
            }
        }
    }

    private static MetadataEvent addData(long start, Long prev, int rows) {
        Multihash physical = Multihash.sha3("physical " + start);
        Multihash logical = new Multihash(Multihash.ARROW0_SHA3_256, Multihash.sha3("logical " + start).digest());
        return new MetadataEvent.AddData(null, prev, new DataSlice(logical, physical, new OffsetInterval(start, start + rows - 1), 100),
                null, Instant.parse("2020-01-01T00:00:00Z").plusSeconds(start), null, null);
    }
}
