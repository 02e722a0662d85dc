package dev.sluice.state;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * One Query per shard of a sharded index, sent concurrently: a tick reads three sharded indexes (leases, due flows,
 * the dispatch queue), and one after the other that is 3 × shards round trips of latency (24 with the default 8
 * shards). The calls and items read are the same; only the waiting overlaps. Threads are daemons, created on demand
 * and dropped after a minute idle, so a process that never fans out has none.
 */
final class ShardFanOut {
    private static final ExecutorService POOL = new ThreadPoolExecutor(0, 64, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
            r -> {
                Thread t = new Thread(r, "sluice-shard-query");
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.CallerRunsPolicy());

    private ShardFanOut() {}

    /** {@code perShard} for shards 0..shards-1, concatenated in shard order; the first failure is thrown. */
    static <T> List<T> each(int shards, IntFunction<List<T>> perShard) {
        if (shards == 1) return new ArrayList<>(perShard.apply(0));
        List<CompletableFuture<List<T>>> parts = new ArrayList<>(shards);
        for (int shard = 1; shard < shards; shard++) {
            int s = shard;
            parts.add(CompletableFuture.supplyAsync(() -> perShard.apply(s), POOL));
        }
        List<T> out = new ArrayList<>(perShard.apply(0)); // shard 0 in the calling thread
        RuntimeException failure = null;
        for (CompletableFuture<List<T>> p : parts) {
            try {
                out.addAll(p.join());
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
                if (failure == null) failure = cause; else failure.addSuppressed(cause);
            }
        }
        if (failure != null) throw failure;
        return out;
    }
}
