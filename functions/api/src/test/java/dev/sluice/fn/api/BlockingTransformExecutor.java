package dev.sluice.fn.api;

import dev.sluice.flows.FlowTaskContext;
import dev.sluice.flows.FlowTaskExecutor;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.TaskOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A test transform executor that holds its task in RUNNING until the test releases it (a task that runs, for
 * cancel/pause tests). Tests call its methods: the injected bean is a client proxy, its fields are not the bean's.
 */
@ApplicationScoped
public class BlockingTransformExecutor implements FlowTaskExecutor {
    private final Semaphore started = new Semaphore(0);
    private volatile CountDownLatch release = new CountDownLatch(0);

    @Override
    public FlowType type() {
        return FlowType.TRANSFORM;
    }

    /** The next tasks block until {@link #release()}. */
    void hold() {
        release = new CountDownLatch(1);
    }

    /** Whether a task entered the executor within the time. */
    boolean awaitStarted(long seconds) throws InterruptedException {
        return started.tryAcquire(seconds, TimeUnit.SECONDS);
    }

    void release() {
        release.countDown();
    }

    @Override
    public TaskOutcome execute(FlowTaskContext ctx) throws InterruptedException {
        started.release();
        if (!release.await(60, TimeUnit.SECONDS)) return TaskOutcome.permanent("the test never released the task");
        ctx.log("transformed");
        return TaskOutcome.success(1);
    }
}
