package dev.sluice.state;

import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measurements (opt-in: {@code -Dsurefire.excludedGroups=none -Dtest=IndexBench}); prints numbers, asserts nothing
 * about time. Filesystem storage in a temp dir, embedded dynalite on loopback.
 */
@Tag("bench")
class IndexBench {
    @TempDir
    Path root;

    static String stats(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        double mean = Arrays.stream(s).average().orElse(0) / 1e6;
        return String.format("n=%d mean=%.2fms p50=%.2fms p90=%.2fms p99=%.2fms", s.length, mean, s[s.length / 2] / 1e6,
                s[(int) (s.length * 0.9)] / 1e6, s[(int) (s.length * 0.99)] / 1e6);
    }

    @Test
    void measure() {
        CallCounter calls = new CallCounter();
        StateTables tables = TestDynamo.tables(TestDynamo.embeddedConfig(), calls);
        int n = 500;

        // commit latency without the index
        DatasetRepository plain = new DatasetRepository(new FileSystemObjectStore(root.resolve("plain")));
        Dataset a = Chains.createRoot(plain, "plain");
        for (int i = 0; i < 50; i++) a.commit(Chains.addData("warm" + i, 1));
        long[] without = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            a.commit(Chains.addData("p" + i, 1));
            without[i] = System.nanoTime() - t;
        }

        // commit latency with the index update
        DatasetRepository indexed = new DatasetRepository(new FileSystemObjectStore(root.resolve("indexed")));
        DatasetIndex index = new DatasetIndex(tables, indexed);
        indexed.addListener(index);
        Dataset b = Chains.createRoot(indexed, "indexed");
        for (int i = 0; i < 50; i++) b.commit(Chains.addData("warm" + i, 1));
        calls.reset();
        long[] with = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            b.commit(Chains.addData("i" + i, 1));
            with[i] = System.nanoTime() - t;
        }
        var inlineCalls = calls.snapshot();
        long inlineTotal = calls.total();
        // commit latency with the write-behind index (the update leaves the commit path)
        DatasetRepository behind = new DatasetRepository(new FileSystemObjectStore(root.resolve("behind")));
        DatasetIndex behindIndex = new DatasetIndex(tables, behind);
        IndexWriteBehind wb = new IndexWriteBehind(behindIndex);
        behind.addListener(wb);
        Dataset c = Chains.createRoot(behind, "behind");
        behindIndex.sync(c.id());
        for (int i = 0; i < 50; i++) c.commit(Chains.addData("warm" + i, 1));
        wb.flush(java.time.Duration.ofMinutes(1));
        calls.reset();
        long[] withBehind = new long[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            c.commit(Chains.addData("b" + i, 1));
            withBehind[i] = System.nanoTime() - t;
        }
        wb.flush(java.time.Duration.ofMinutes(1));
        long drained = System.nanoTime() - t0;
        wb.close();
        if (!behindIndex.get(c.id()).orElseThrow().getHead().equals(c.head().orElseThrow().toMultibase())) {
            throw new AssertionError("write-behind index not at the storage head");
        }
        System.out.println("BENCH commit without index: " + stats(without));
        System.out.println("BENCH commit with write-behind index: " + stats(withBehind) + "; all " + n
                + " indexed after " + drained / 1_000_000 + " ms; calls=" + calls.snapshot());
        System.out.println("BENCH commit with index:    " + stats(with) + " calls/commit=" + (double) inlineTotal / n
                + " " + inlineCalls);

        // chain of 1000 blocks: index vs storage (b has 3 + 50 + 500 blocks; top it up to 1000)
        for (int i = 0; i < 447; i++) b.commit(Chains.addData("top" + i, 1));
        int reps = 15;
        long[] viaIndex = new long[reps];
        long[] viaStorage = new long[reps];
        int size = 0;
        for (int r = 0; r < reps; r++) {
            long t = System.nanoTime();
            size = index.chain(b.id()).size();
            viaIndex[r] = System.nanoTime() - t;
            DatasetRepository cold = new DatasetRepository(new FileSystemObjectStore(root.resolve("indexed")));
            t = System.nanoTime();
            int s2 = cold.get(b.id().toDid()).chain().size();
            viaStorage[r] = System.nanoTime() - t;
            if (s2 != size) throw new AssertionError(s2 + " != " + size);
        }
        calls.reset();
        index.chain(b.id());
        System.out.println("BENCH read " + size + "-block chain via index (Query, decode, verify): " + stats(viaIndex)
                + " calls=" + calls.snapshot());
        System.out.println("BENCH read " + size + "-block chain from filesystem storage (cold handle): " + stats(viaStorage));

        // reindex rate on a 50-dataset workspace
        Path ws = root.resolve("ws");
        DatasetRepository wsRepo = new DatasetRepository(new FileSystemObjectStore(ws));
        ReindexTest.buildWorkspace(wsRepo, null, 50, 40, 0, 0);
        StateTables fresh = TestDynamo.tables(TestDynamo.embeddedConfig(), null);
        Reindexer.Result r = new Reindexer(fresh, wsRepo).run(null);
        System.out.printf("BENCH reindex (empty index): %d datasets, %d blocks in %.2fs = %.0f blocks/s%n", r.datasets(),
                r.blocks(), r.took().toNanos() / 1e9, r.blocksPerSecond());
        Reindexer.Result r2 = new Reindexer(fresh, wsRepo).run(null);
        System.out.printf("BENCH reindex (wipe %d items first): %d blocks in %.2fs = %.0f blocks/s%n", r2.itemsWiped(),
                r2.blocks(), r2.took().toNanos() / 1e9, r2.blocksPerSecond());
        tables.client().close();
        fresh.client().close();
    }
}
