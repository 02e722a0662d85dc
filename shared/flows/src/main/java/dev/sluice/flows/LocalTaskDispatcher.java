package dev.sluice.flows;

import java.lang.System.Logger.Level;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs dispatched tasks in this process on a bounded pool of daemon threads (the local node). The scheduler never
 * dispatches more than its budget, so the pool's queue stays short; tasks lost with the process are re-queued when
 * their leases run out.
 */
public final class LocalTaskDispatcher implements TaskDispatcher, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LocalTaskDispatcher.class.getName());

    private final TaskRunner runner;
    private final ThreadPoolExecutor pool;

    public LocalTaskDispatcher(TaskRunner runner, int threads) {
        this.runner = runner;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "sluice-task-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void dispatch(String taskId) {
        pool.execute(() -> {
            try {
                runner.run(taskId);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "task " + taskId + " failed in the runner; its lease will expire and it is re-queued", e);
            }
        });
    }

    /** Tasks submitted and not yet finished. */
    public int pending() {
        return pool.getQueue().size() + pool.getActiveCount();
    }

    /** Stops taking tasks and waits (bounded) for running ones. */
    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) pool.shutdownNow();
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
