package dev.sluice.flows;

import java.lang.System.Logger.Level;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs dispatched tasks in this process on a bounded pool of daemon threads (the local node). The scheduler never
 * dispatches more than its budget, so the pool's queue stays short; tasks lost with the process are re-queued when
 * their leases run out. After each run {@code slotFreed} is called (the flow system dispatches the queue head into
 * the freed slot, so queued work does not wait for the next tick).
 */
public final class LocalTaskDispatcher implements TaskDispatcher, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LocalTaskDispatcher.class.getName());

    private final TaskRunner runner;
    private final ThreadPoolExecutor pool;
    private final Runnable slotFreed;

    public LocalTaskDispatcher(TaskRunner runner, int threads) {
        this(runner, threads, () -> { });
    }

    public LocalTaskDispatcher(TaskRunner runner, int threads, Runnable slotFreed) {
        this.runner = runner;
        this.slotFreed = slotFreed;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "sluice-task-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void dispatch(DispatchedTask task) {
        String taskId = task.taskId();
        pool.execute(() -> {
            try {
                runner.run(taskId);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "task " + taskId + " failed in the runner; its lease will expire and it is re-queued", e);
            }
            if (pool.isShutdown()) return;
            try {
                slotFreed.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "dispatching into the slot task " + taskId + " freed failed; the next tick dispatches: " + e);
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
