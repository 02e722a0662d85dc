package dev.sluice.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ingest.IngestResult;
import dev.sluice.ingest.PushIngest;
import dev.sluice.odf.Multihash;
import dev.sluice.storage.CommitConflictException;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction against concurrent pushes: whichever moves the head first wins cleanly, the loser changes nothing and
 * succeeds on retry, and no row is lost or duplicated. The interleavings are forced with latches, then left free.
 */
class CompactionConcurrencyTest {
    static final CompactionOptions FIVE = CompactionOptions.defaults().withMaxSliceRecords(5);

    @TempDir Path root;
    @TempDir Path scratch;
    final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    Fixture withPushes(int n) {
        Fixture f = new Fixture(new FileSystemObjectStore(root), scratch);
        for (int i = 0; i < n; i++) f.push("v1", 1);
        return f;
    }

    @Test
    void pushThatLandsBeforeTheHeadSwapWinsAndTheRetryReplans() throws Exception {
        Fixture f = withPushes(8);
        List<String> rowsBefore = f.rows(f.ds);
        PushIngest otherIngest = new PushIngest(scratch.resolve("other"), f.clock);
        AtomicBoolean pushed = new AtomicBoolean();
        List<IngestResult> racer = new ArrayList<>();
        // Another writer commits after the compaction planned and wrote its blocks, just before its head swap.
        CompactionListener pushBeforeSwap = new CompactionListener() {
            public void beginPhase(Phase phase) {
                if (phase == Phase.SWAP_HEAD && pushed.compareAndSet(false, true)) racer.add(f.pushAsAnotherWriter(otherIngest, "v1", 2));
            }
        };
        Compactor compactor = new Compactor(scratch.resolve("compact"), Clock.systemUTC(), pushBeforeSwap);
        Multihash planned = f.ds.head().orElseThrow();

        CompactionConflictException e = assertThrows(CompactionConflictException.class, () -> compactor.compact(f.ds, FIVE));
        assertTrue(e instanceof CommitConflictException, "typed, retryable");
        Multihash afterPush = racer.get(0).newHead();
        assertEquals(planned, e.plannedHead());
        assertEquals(afterPush, e.actualHead());
        // Nothing changed: the chain is the pushes' chain, the push sits right on the planned head.
        assertEquals(afterPush, f.ds.head().orElseThrow());
        assertEquals(planned, f.ds.block(afterPush).block().prevBlockHash());
        assertEquals(CompactorTest.P + " " + CompactorTest.d1(8) + " D2", Fixture.layout(f.ds));
        Fixture.verify(f.ds);

        // The retry re-plans from the new head and takes the pushed rows along.
        CompactionReport r = compactor.compact(f.ds, FIVE);
        assertEquals(afterPush, r.oldHead());
        assertEquals(CompactorTest.P + " D5 D5", Fixture.layout(f.ds));
        List<String> rowsAfter = f.rows(f.ds);
        assertEquals(rowsBefore, rowsAfter.subList(0, 8));
        assertEquals(10, rowsAfter.size());
        Fixture.verify(f.ds);
    }

    @Test
    void retriesInsideCompactAreCountedInTheReport() throws Exception {
        Fixture f = withPushes(6);
        PushIngest otherIngest = new PushIngest(scratch.resolve("other"), f.clock);
        AtomicInteger swaps = new AtomicInteger();
        CompactionListener twoRacers = new CompactionListener() {
            public void beginPhase(Phase phase) {
                if (phase == Phase.SWAP_HEAD && swaps.incrementAndGet() <= 2) f.pushAsAnotherWriter(otherIngest, "v1", 1);
            }
        };
        CompactionReport r = new Compactor(scratch.resolve("compact"), Clock.systemUTC(), twoRacers).compact(f.ds, FIVE, 3);
        assertEquals(3, r.attempts());
        assertEquals(CompactorTest.P + " D5 D3", Fixture.layout(f.ds));
        assertEquals(8, f.rows(f.ds).size());
        // With too few attempts the conflict surfaces, typed.
        Fixture g = new Fixture(new FileSystemObjectStore(root.resolve("g")), scratch.resolve("g"));
        for (int i = 0; i < 6; i++) g.push("v1", 1);
        CompactionListener alwaysRacing = new CompactionListener() {
            public void beginPhase(Phase phase) {
                if (phase == Phase.SWAP_HEAD) g.pushAsAnotherWriter(otherIngest, "v1", 1);
            }
        };
        CompactionConflictException e = assertThrows(CompactionConflictException.class,
                () -> new Compactor(scratch.resolve("compact-g"), Clock.systemUTC(), alwaysRacing).compact(g.ds, FIVE, 2));
        assertEquals(2, e.attempts());
        Fixture.verify(g.ds);
        assertEquals(8, g.rows(g.ds).size());
    }

    @Test
    void compactionThatSwapsWhileAPushIsInFlightWinsAndThePushRetriesOnTheNewChain() throws Exception {
        Fixture f = withPushes(8);
        List<String> rowsBefore = f.rows(f.ds);
        CountDownLatch pushHasReadTheHead = new CountDownLatch(1);
        CountDownLatch compacted = new CountDownLatch(1);
        // The push reads the head, then takes its system time from this clock: it waits there until the compaction is done.
        Clock pausingClock = new Clock() {
            final AtomicBoolean first = new AtomicBoolean(true);

            public Instant instant() {
                if (first.compareAndSet(true, false)) {
                    pushHasReadTheHead.countDown();
                    try {
                        if (!compacted.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("compaction did not finish");
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return f.clock.instant();
            }

            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }
        };
        Multihash headSeenByPush = f.ds.head().orElseThrow();
        Future<IngestResult> push = pool.submit(() -> f.pushAsAnotherWriter(new PushIngest(scratch.resolve("other"), pausingClock), "v1", 2));
        assertTrue(pushHasReadTheHead.await(60, TimeUnit.SECONDS));

        CompactionReport r = new Compactor(scratch.resolve("compact")).compact(f.ds, FIVE);
        compacted.countDown();
        IngestResult pushed = push.get(60, TimeUnit.SECONDS);

        assertEquals(headSeenByPush, r.oldHead());
        assertEquals(2, pushed.attempts(), "the push lost its first commit to the compaction and redid it on the new head");
        assertEquals(r.newHead(), pushed.oldHead());
        assertEquals(8, pushed.newData().start());
        assertEquals(CompactorTest.P + " D5 D3 D2", Fixture.layout(f.ds));
        List<String> rowsAfter = f.rows(f.ds);
        assertEquals(rowsBefore, rowsAfter.subList(0, 8));
        assertEquals(10, rowsAfter.size());
        Fixture.verify(f.ds);
    }

    @Test
    void freeRaceBetweenPushesAndCompactionsLosesNothing() throws Exception {
        Fixture f = withPushes(4);
        int pushes = 12;
        CyclicBarrier start = new CyclicBarrier(2);
        Future<Integer> pusher = pool.submit(() -> {
            PushIngest other = new PushIngest(scratch.resolve("other"), f.clock);
            start.await();
            for (int i = 0; i < pushes; i++) f.pushAsAnotherWriter(other, "v1", 1);
            return pushes;
        });
        Future<Integer> compactor = pool.submit(() -> {
            Dataset own = new DatasetRepository(f.store, f.clock).get("events");
            Compactor c = new Compactor(scratch.resolve("compact"));
            start.await();
            int conflicts = 0;
            for (int i = 0; i < 6; i++) {
                try {
                    c.compact(own, FIVE);
                } catch (CompactionConflictException e) {
                    conflicts++; // the push won this time; nothing changed
                }
            }
            return conflicts;
        });
        assertEquals(pushes, pusher.get(120, TimeUnit.SECONDS));
        compactor.get(120, TimeUnit.SECONDS);

        // Whatever the interleaving: every row exactly once, offsets dense, chain valid; a last compaction settles it.
        Fixture.verify(f.ds);
        CompactionReport last = new Compactor(scratch.resolve("compact")).compact(f.ds, FIVE, 5);
        assertEquals(CompactorTest.P + " D5 D5 D5 D1", Fixture.layout(f.ds), "report " + last);
        List<String> rows = f.rows(f.ds);
        assertEquals(16, rows.size());
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            assertTrue(rows.get(i).startsWith("offset=" + i + " "), rows.get(i));
            String r = rows.get(i);
            int at = r.indexOf(" id=") + 4;
            ids.add(Long.parseLong(r.substring(at, r.indexOf(' ', at))));
        }
        assertEquals(16, new java.util.TreeSet<>(ids).size(), "no row twice: " + ids);
        assertEquals(java.util.stream.LongStream.range(0, 16).boxed().toList(), new ArrayList<>(new java.util.TreeSet<>(ids)), "no row lost");
    }
}
