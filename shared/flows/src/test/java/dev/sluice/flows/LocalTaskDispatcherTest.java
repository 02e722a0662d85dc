package dev.sluice.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The local node's dispatcher: a bounded pool; the budget holds across ticks while tasks run. */
class LocalTaskDispatcherTest {
    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(10); // polling a condition with a deadline
        }
    }

    /**
     * Budget 2, five due flows: a tick dispatches two; while both run a tick dispatches none; each task that ends
     * frees its slot and the pool dispatches exactly one queued task into it, without waiting for a tick. Tasks end
     * one at a time (one permit each), so every count is exact.
     */
    @Test
    void runsDispatchedTasksWithinTheBudgetAndFillsFreedSlots() throws Exception {
        try (TestState state = TestState.open()) {
            ScriptedExecutor ingest = new ScriptedExecutor(FlowType.INGEST);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger maxRunning = new AtomicInteger();
            AtomicInteger started = new AtomicInteger();
            Semaphore release = new Semaphore(0);
            ingest.hook = ctx -> {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                started.incrementAndGet();
                try {
                    if (!release.tryAcquire(30, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    running.decrementAndGet();
                }
                return null;
            };
            try (FlowSystem flows = FlowSystem.builder(state.tables).clock(state.clock).executors(List.of(ingest))
                    .config(SchedulerConfig.defaults().withMaxConcurrent(2)).build()) {
                for (int i = 0; i < 5; i++) {
                    flows.service().setConfig("did:odf:l" + i, FlowType.INGEST, FlowConfig.of(new FlowTrigger.Interval(Duration.ofHours(1))));
                }
                assertEquals(2, flows.scheduler().tick("a", state.clock.instant()).dispatched());
                await(() -> started.get() == 2, "two tasks to start");
                assertEquals(0, flows.scheduler().tick("b", state.clock.instant()).dispatched(), "budget used up by running tasks");
                assertEquals(3, queued(flows), "over the budget: still queued");
                for (int done = 1; done <= 3; done++) {
                    release.release(1); // one task ends; its slot takes the next queued task
                    int d = done;
                    await(() -> succeeded(flows) == d && started.get() == 2 + d, d + " done, " + (2 + d) + " started");
                    assertEquals(3 - d, queued(flows));
                    assertEquals(0, flows.scheduler().tick("c" + d, state.clock.instant()).dispatched(), "the slot was filled already");
                }
                release.release(2);
                await(() -> succeeded(flows) == 5, "five tasks done");
                assertEquals(5, started.get());
                assertEquals(2, maxRunning.get());
                for (int i = 0; i < 5; i++) assertEquals(1, ingest.runs("did:odf:l" + i));
            }
        }
    }

    private static long queued(FlowSystem flows) {
        long n = 0;
        for (int i = 0; i < 5; i++) {
            n += flows.service().tasks("did:odf:l" + i, 10).stream().filter(t -> t.status() == TaskStatus.QUEUED).count();
        }
        return n;
    }

    private static long succeeded(FlowSystem flows) {
        long n = 0;
        for (int i = 0; i < 5; i++) {
            n += flows.service().tasks("did:odf:l" + i, 10).stream().filter(t -> t.status() == TaskStatus.SUCCEEDED).count();
        }
        return n;
    }
}
