package dev.sluice.state;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * What commit listeners take off the commit path ({@link IndexWriteBehind}, the flows' input updates): a commit folds
 * its update into its key's pending entry under a lock; one daemon thread takes everything pending at once and applies
 * it as a batch, in the order the keys were first queued. {@link #flush} waits for what was queued before it,
 * {@link #close} drains and stops; after that {@link #offer} refuses and the caller applies inline, so nothing is dropped.
 *
 * @param <K> what updates are folded by (a dataset)
 * @param <P> the folded pending update of one key
 */
public final class WriteBehindQueue<K, P> implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WriteBehindQueue.class.getName());

    private final Consumer<Map<K, P>> apply;
    private final Object lock = new Object();
    private Map<K, P> queued = new LinkedHashMap<>();
    private Map<K, long[]> units = new LinkedHashMap<>(); // per key: updates folded into its entry
    private long enqueued;
    private long applied;
    private boolean closed;
    private final Thread worker;

    /**
     * @param apply applies a batch; it should handle its own failures — one that escapes is logged and the batch is
     *              counted as applied (the listeners' stores are derived data, caught up from the log later)
     */
    public WriteBehindQueue(String threadName, Consumer<Map<K, P>> apply) {
        this.apply = apply;
        this.worker = new Thread(this::drain, threadName);
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * Folds an update into {@code key}'s pending entry ({@code create} makes one if none is queued); {@code merge}
     * changes it and returns how many updates that adds to the backlog (0: folded into one already counted). False once
     * closed: nothing was queued and the caller applies the update itself.
     */
    public boolean offer(K key, Function<K, P> create, ToLongFunction<P> merge) {
        synchronized (lock) {
            if (closed) return false;
            long n = merge.applyAsLong(queued.computeIfAbsent(key, create));
            units.computeIfAbsent(key, k -> new long[1])[0] += n;
            enqueued += n;
            lock.notifyAll();
            return true;
        }
    }

    /** Waits until every update queued before this call is applied; false on timeout. */
    public boolean flush(Duration timeout) {
        synchronized (lock) {
            long target = enqueued;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (applied < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Updates queued and not applied yet. */
    public long backlog() {
        synchronized (lock) {
            return enqueued - applied;
        }
    }

    private void drain() {
        while (true) {
            Map<K, P> batch;
            long done = 0;
            synchronized (lock) {
                while (queued.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (queued.isEmpty()) return; // closed and drained
                batch = queued;
                for (long[] u : units.values()) done += u[0];
                queued = new LinkedHashMap<>();
                units = new LinkedHashMap<>();
            }
            try {
                apply.accept(batch);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, Thread.currentThread().getName() + ": " + batch.size()
                        + " queued update(s) failed and are left to catch-up from the log: " + e);
            }
            synchronized (lock) {
                applied += done;
                lock.notifyAll();
            }
        }
    }

    /** Applies what is queued, then stops the thread (bounded wait); later offers are refused. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        try {
            worker.join(Duration.ofMinutes(1).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
