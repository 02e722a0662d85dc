package dev.sluice.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.DataSlice;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.chain.ChainState;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import dev.sluice.storage.HashedBlock;
import dev.sluice.storage.VerifyReport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven: each case builds a chain with real pushes, compacts it, and checks that the chain has exactly the
 * shape the limits imply while the data is unchanged (rows via SliceReader and via DuckDB, full verification with
 * logical hashes, the same folded state) and the only new garbage is the replaced blocks and merged-away slices.
 */
class CompactorTest {
    static final String P = "Seed Src Src Schema"; // Seed, two AddPushSource, the schema of the first push

    @TempDir Path root;
    @TempDir Path scratch;

    record Case(String name, Consumer<Fixture> build, Function<Fixture, CompactionOptions> options, String before, String after) {
        @Override
        public String toString() {
            return name;
        }
    }

    static String d1(int n) {
        return Stream.generate(() -> "D1").limit(n).collect(Collectors.joining(" "));
    }

    static void pushes(Fixture f, String source, int... rows) {
        for (int r : rows) f.push(source, r);
    }

    static CompactionOptions records(long n) {
        return CompactionOptions.defaults().withMaxSliceRecords(n);
    }

    /**
     * Sizes of the fixture's one-row slices {min, max}. They differ by a few bytes (Parquet statistics), and the
     * size cases rely on 4 × min > 3 × max, so that "3 × max" admits exactly 3 slices and "3 × min − 1" exactly 2.
     */
    static long[] sliceSizes(Fixture f) {
        var stats = Fixture.slices(f.ds).stream().mapToLong(DataSlice::size).summaryStatistics();
        assertTrue(4 * stats.getMin() > 3 * stats.getMax(), "precondition: slices of similar size " + stats);
        return new long[] {stats.getMin(), stats.getMax()};
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("12 one-row pushes, kamu's defaults: one slice",
                        f -> pushes(f, "v1", 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), f -> CompactionOptions.defaults(),
                        P + " " + d1(12), P + " D12"),
                new Case("12 one-row pushes, max 5 records",
                        f -> pushes(f, "v1", 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), f -> records(5),
                        P + " " + d1(12), P + " D5 D5 D2"),
                new Case("3-row pushes, max 10 records: runs stop before exceeding",
                        f -> pushes(f, "v1", 3, 3, 3, 3, 3), f -> records(10),
                        P + " D3 D3 D3 D3 D3", P + " D9 D6"),
                new Case("a slice over the record limit stays alone",
                        f -> pushes(f, "v1", 2, 15, 2, 2), f -> records(10),
                        P + " D2 D15 D2 D2", P + " D2 D15 D4"),
                new Case("a schema change in the middle splits the runs",
                        f -> {
                            pushes(f, "v1", 1, 1, 1, 1);
                            pushes(f, "v2", 1, 1, 1);
                        }, f -> CompactionOptions.defaults(),
                        P + " " + d1(4) + " Schema " + d1(3), P + " D4 Schema D3"),
                new Case("other metadata events split the runs and stay in place",
                        f -> {
                            pushes(f, "v1", 1, 1, 1);
                            f.setInfo("halfway");
                            pushes(f, "v1", 1, 1, 1);
                        }, f -> CompactionOptions.defaults(),
                        P + " D1 D1 D1 Info D1 D1 D1", P + " D3 Info D3"),
                new Case("watermark-only AddData blocks join the run around them",
                        f -> {
                            pushes(f, "v1", 1, 1);
                            f.advanceWatermark(500);
                            pushes(f, "v1", 1, 1);
                            f.advanceWatermark(500);
                        }, f -> CompactionOptions.defaults(),
                        P + " D1 D1 W D1 D1 W", P + " D4"),
                new Case("a run of watermark-only blocks becomes one",
                        f -> {
                            pushes(f, "v1", 1);
                            f.setInfo("x");
                            f.advanceWatermark(100);
                            f.advanceWatermark(100);
                            f.advanceWatermark(100);
                        }, f -> CompactionOptions.defaults(),
                        P + " D1 Info W W W", P + " D1 Info W"),
                new Case("max size = 3 slices",
                        f -> pushes(f, "v1", 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), f -> CompactionOptions.defaults().withMaxSliceSize(3 * sliceSizes(f)[1]),
                        P + " " + d1(10), P + " D3 D3 D3 D1"),
                new Case("max size = 3 slices minus a byte",
                        f -> pushes(f, "v1", 1, 1, 1, 1, 1, 1, 1), f -> CompactionOptions.defaults().withMaxSliceSize(3 * sliceSizes(f)[0] - 1),
                        P + " " + d1(7), P + " D2 D2 D2 D1"),
                new Case("max size below every slice: nothing to merge",
                        f -> pushes(f, "v1", 1, 1, 1, 1), f -> CompactionOptions.defaults().withMaxSliceSize(sliceSizes(f)[0] - 1),
                        P + " " + d1(4), P + " " + d1(4)),
                new Case("already compact: a second run changes nothing",
                        f -> {
                            pushes(f, "v1", 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
                            new Compactor(f.scratch.resolve("first")).compact(f.ds, records(5));
                        }, f -> records(5),
                        P + " D5 D5 D2", P + " D5 D5 D2"),
                new Case("pushes after a compaction: only the tail is rewritten",
                        f -> {
                            pushes(f, "v1", 1, 1, 1, 1, 1, 1, 1);
                            new Compactor(f.scratch.resolve("first")).compact(f.ds, records(5));
                            pushes(f, "v1", 1, 1, 1, 1);
                        }, f -> records(5),
                        P + " D5 D2 D1 D1 D1 D1", P + " D5 D5 D1"),
                new Case("a single slice: nothing to merge",
                        f -> pushes(f, "v1", 4), f -> CompactionOptions.defaults(), P + " D4", P + " D4"),
                new Case("no data at all: nothing to merge",
                        f -> f.setInfo("empty"), f -> CompactionOptions.defaults(), "Seed Src Src Info", "Seed Src Src Info"),
                new Case("keep metadata only: every data block goes",
                        f -> {
                            pushes(f, "v1", 1, 1);
                            f.setInfo("x");
                            pushes(f, "v2", 1);
                        }, f -> CompactionOptions.defaults().withKeepMetadataOnly(true),
                        P + " D1 D1 Info Schema D1", P + " Info Schema"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void compactsToExactlyWhatTheLimitsImplyWithoutChangingTheData(Case c) throws Exception {
        Fixture f = new Fixture(new FileSystemObjectStore(root), scratch);
        c.build.accept(f);
        Dataset ds = f.ds;
        assertEquals(c.before, Fixture.layout(ds), "chain built by the case");
        List<HashedBlock> oldChain = Fixture.oldestFirst(ds);
        Multihash oldHead = ds.head().orElseThrow();
        ChainState oldState = ds.state();
        List<String> rowsBefore = f.rows(ds);
        List<String> duckBefore = Fixture.duckRows(f.dataFiles(ds));
        Set<String> garbageBefore = new HashSet<>(Fixture.verify(ds).garbage());
        boolean metadataOnly = c.options.apply(f).keepMetadataOnly();

        CompactionReport r = new Compactor(scratch.resolve("compact"), Clock.fixed(Fixture.T0.plus(Duration.ofDays(400)), ZoneOffset.UTC),
                CompactionListener.NONE).compact(ds, c.options.apply(f));

        // Exactly the shape the limits imply, seen through a fresh handle (no cached state).
        Dataset fresh = new DatasetRepository(f.store).get("events");
        assertEquals(c.after, Fixture.layout(fresh));
        boolean noop = c.before.equals(c.after);
        assertEquals(!noop, r.changed());
        assertEquals(oldHead, r.oldHead());
        assertEquals(fresh.head().orElseThrow(), r.newHead());
        assertEquals(words(c.before), r.blocksBefore());
        assertEquals(words(c.after), r.blocksAfter());
        assertEquals(slices(c.before), r.slicesBefore());
        assertEquals(slices(c.after), r.slicesAfter());
        assertEquals(1, r.attempts());
        List<HashedBlock> newChain = Fixture.oldestFirst(fresh);
        assertEquals(oldChain.get(0).hash(), newChain.get(0).hash(), "same Seed");

        // The data did not change: same rows in the same order, read two independent ways; same folded state.
        ChainState newState = fresh.state();
        if (metadataOnly) {
            assertEquals(List.of(), f.rows(fresh));
            assertEquals(null, newState.lastOffset());
        } else {
            assertEquals(rowsBefore, f.rows(fresh));
            assertEquals(duckBefore, Fixture.duckRows(f.dataFiles(fresh)));
            assertEquals(rowsBefore.size(), duckBefore.size());
            assertEquals(oldState.lastOffset(), newState.lastOffset());
            assertEquals(oldState.watermark(), newState.watermark());
            assertEquals(oldState.lastSystemTime(), newState.lastSystemTime(), "merged blocks keep the last system time");
        }
        assertEquals(oldState.schema(), newState.schema());
        assertEquals(oldState.pushSources(), newState.pushSources());

        // Verified end to end (physical and logical hashes); the old objects not reused are garbage, nothing else.
        VerifyReport v = Fixture.verify(fresh);
        Set<String> expectedGarbage = new HashSet<>(garbageBefore);
        expectedGarbage.addAll(Fixture.objectKeys(fresh, oldChain));
        expectedGarbage.removeAll(Fixture.objectKeys(fresh, newChain));
        assertEquals(expectedGarbage, new HashSet<>(v.garbage()));
        if (!noop) assertNotEquals(oldHead, fresh.head().orElseThrow());
        else assertEquals(oldHead, fresh.head().orElseThrow());

        // The dataset keeps working: a push lands after the compacted data.
        long next = newState.nextOffset();
        var pushed = f.push("v2", 2);
        assertEquals(next, pushed.newData().start());
        Fixture.verify(fresh);
    }

    static int words(String layout) {
        return layout.split(" ").length;
    }

    static int slices(String layout) {
        return (int) java.util.Arrays.stream(layout.split(" ")).filter(w -> w.startsWith("D")).count();
    }
}
