package dev.sluice.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TaskLanesTest {
    @Test
    void aLaneRunsItsUnitsInOrderOneAtATime() {
        ForkJoinPool pool = new ForkJoinPool(2);
        try {
            TaskLanes lanes = new TaskLanes(pool);
            int laneCount = 8;
            int units = 300;
            List<List<Integer>> seen = new ArrayList<>();
            List<AtomicBoolean> busy = new ArrayList<>();
            AtomicInteger overlaps = new AtomicInteger();
            for (int l = 0; l < laneCount; l++) {
                seen.add(Collections.synchronizedList(new ArrayList<>()));
                busy.add(new AtomicBoolean());
            }
            List<TaskLanes.Lane> ls = new ArrayList<>();
            for (int l = 0; l < laneCount; l++) ls.add(lanes.lane());
            for (int u = 0; u < units; u++) {
                for (int l = 0; l < laneCount; l++) {
                    int lane = l;
                    int unit = u;
                    ls.get(l).submit(() -> {
                        if (!busy.get(lane).compareAndSet(false, true)) overlaps.incrementAndGet();
                        seen.get(lane).add(unit);
                        busy.get(lane).set(false);
                    });
                }
            }
            lanes.awaitIdle();
            assertEquals(0, overlaps.get());
            assertEquals(0, lanes.outstanding());
            for (List<Integer> s : seen) {
                assertEquals(units, s.size());
                for (int u = 0; u < units; u++) assertEquals(u, s.get(u));
            }
            assertNull(lanes.failure());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void differentLanesRunAtTheSameTime() throws Exception {
        ForkJoinPool pool = new ForkJoinPool(2);
        try {
            TaskLanes lanes = new TaskLanes(pool);
            CountDownLatch both = new CountDownLatch(2);
            AtomicInteger met = new AtomicInteger();
            Runnable meet = () -> {
                both.countDown();
                try {
                    if (both.await(30, TimeUnit.SECONDS)) met.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            lanes.lane().submit(meet);
            lanes.lane().submit(meet);
            lanes.awaitIdle();
            assertEquals(2, met.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theWaitingThreadRunsUnitsTheExecutorDoesNot() {
        TaskLanes lanes = new TaskLanes(task -> {}); // an executor that never runs anything
        Thread me = Thread.currentThread();
        AtomicInteger onMe = new AtomicInteger();
        TaskLanes.Lane a = lanes.lane();
        TaskLanes.Lane b = lanes.lane();
        for (int i = 0; i < 50; i++) {
            a.submit(() -> {
                if (Thread.currentThread() == me) onMe.incrementAndGet();
            });
            b.submit(() -> {
                if (Thread.currentThread() == me) onMe.incrementAndGet();
            });
        }
        lanes.helpUntil(() -> onMe.get() >= 60);
        assertTrue(onMe.get() >= 60);
        lanes.awaitIdle();
        assertEquals(100, onMe.get());
    }

    @Test
    void theFirstFailureIsKeptAndLaterUnitsAreSkipped() {
        TaskLanes lanes = new TaskLanes(Runnable::run);
        TaskLanes.Lane lane = lanes.lane();
        TaskLanes.Lane other = lanes.lane();
        AtomicInteger ran = new AtomicInteger();
        lane.submit(ran::incrementAndGet);
        lane.submit(() -> {
            throw new IllegalStateException("boom");
        });
        lane.submit(() -> {
            throw new IllegalArgumentException("second");
        });
        lane.submit(ran::incrementAndGet);
        other.submit(ran::incrementAndGet);
        lanes.awaitIdle();
        assertEquals(1, ran.get());
        assertEquals("boom", lanes.failure().getMessage());
        assertEquals(0, lanes.outstanding());
    }
}
