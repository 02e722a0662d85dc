package dev.sluice.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.MetadataEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit loop under contention, run against every ObjectStore implementation. */
abstract class ConcurrentCommitContract {
    static final int THREADS = 8;
    static final int COMMITS_PER_THREAD = 125;

    @TempDir Path scratch;

    abstract ObjectStore store() throws Exception;

    @Test
    void eightWritersCommitExactlyOneThousandContiguousBlocks() throws Exception {
        ObjectStore store = store();
        Dataset created = TestChains.createRoot(new DatasetRepository(store), "race");
        long seqBefore = created.state().sequenceNumber();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        AtomicInteger retries = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                // Each writer is its own repository (as separate function instances would be): no shared cache.
                Dataset ds = new DatasetRepository(store).get("race");
                start.await();
                for (int i = 0; i < COMMITS_PER_THREAD; i++) {
                    var proposal = TestChains.addData(ds, scratch, "t" + thread + "-" + i, 3);
                    while (true) {
                        try {
                            CommitResult r = ds.commit(proposal);
                            retries.addAndGet(r.attempts() - 1);
                            break;
                        } catch (CommitConflictException starved) {
                            // Typed and retryable by contract: a writer starved on a loaded machine tries again.
                            retries.addAndGet(starved.attempts());
                            conflicts.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) f.get();
        pool.shutdown();

        Dataset ds = new DatasetRepository(store).get("race");
        var chain = ds.chain();
        int added = 0;
        Set<String> hashes = new HashSet<>();
        long expectSeq = chain.get(0).block().sequenceNumber();
        for (HashedBlock b : chain) {
            assertEquals(expectSeq--, b.block().sequenceNumber(), "sequence numbers are contiguous");
            assertTrue(hashes.add(b.hash().toMultibase()));
            if (b.block().event() instanceof MetadataEvent.AddData) added++;
        }
        assertEquals(THREADS * COMMITS_PER_THREAD, added);
        assertEquals(seqBefore + THREADS * COMMITS_PER_THREAD, ds.state().sequenceNumber());
        assertEquals(THREADS * COMMITS_PER_THREAD * 3 - 1, ds.state().lastOffset());
        VerifyReport report = new DatasetVerifier().verify(ds);
        assertTrue(report.ok(), () -> "verify: " + report.problems());
        // Losers of a race leave their block behind, unreferenced: that is garbage, never corruption.
        assertTrue(report.garbage().size() <= retries.get(), "garbage " + report.garbage().size() + " <= lost races " + retries.get());
    }
}
