package dev.sluice.data;

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shared pool slices are encoded and hashed on. One thread per core: the thread producing batches (a reader)
 * runs beside it, so on N cores reading, encoding and hashing keep every core busy. The common pool would not do:
 * it has one thread fewer than there are cores, meant for callers that work in it themselves. Daemon threads; a
 * ForkJoinPool so a task waiting on another (a full hashing queue) lets the pool add a thread instead of stalling.
 */
final class SliceTasks {
    private SliceTasks() {}

    static final Executor DEFAULT = create();

    private static Executor create() {
        int cores = Runtime.getRuntime().availableProcessors();
        if (cores < 2) return Runnable::run;
        AtomicInteger n = new AtomicInteger();
        return new ForkJoinPool(cores, pool -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("sluice-slice-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, null, true);
    }
}
