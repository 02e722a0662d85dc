package dev.sluice.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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

    @Test
    void runsDispatchedTasksWithinTheBudget() throws Exception {
        try (TestState state = TestState.open()) {
            ScriptedExecutor ingest = new ScriptedExecutor(FlowType.INGEST);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger maxRunning = new AtomicInteger();
            Semaphore release = new Semaphore(0);
            CountDownLatch twoStarted = new CountDownLatch(2);
            ingest.hook = ctx -> {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                twoStarted.countDown();
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
                assertTrue(twoStarted.await(30, TimeUnit.SECONDS));
                assertEquals(0, flows.scheduler().tick("b", state.clock.instant()).dispatched(), "budget used up by running tasks");
                release.release(2);
                await(() -> succeeded(flows) == 2, "two tasks done");
                assertEquals(2, flows.scheduler().tick("c", state.clock.instant()).dispatched());
                release.release(3);
                await(() -> succeeded(flows) == 4, "four tasks done");
                assertEquals(1, flows.scheduler().tick("d", state.clock.instant()).dispatched());
                await(() -> succeeded(flows) == 5, "five tasks done");
                assertEquals(2, maxRunning.get());
            }
        }
    }

    private static long succeeded(FlowSystem flows) {
        long n = 0;
        for (int i = 0; i < 5; i++) {
            n += flows.service().tasks("did:odf:l" + i, 10).stream().filter(t -> t.status() == TaskStatus.SUCCEEDED).count();
        }
        return n;
    }
}
