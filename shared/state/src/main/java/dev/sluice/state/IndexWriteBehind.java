package dev.sluice.state;

import dev.sluice.odf.DatasetId;
import dev.sluice.odf.Multihash;
import dev.sluice.storage.CommitListener;
import dev.sluice.storage.CommitResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Takes the index update off the commit path: a commit only enqueues its result; one background thread applies
 * them, folding what queued up for a dataset meanwhile into one batched update (the block items in one
 * BatchWriteItem, one conditional UpdateItem). The log stays the truth: if the process dies with updates queued,
 * the index is merely behind and the next commit or a fresh read ({@link DatasetIndex#indexedHead}) catches it up.
 *
 * <p>For processes that may be frozen or stopped after answering (a Lambda invocation), call {@link #flush} before
 * the response; a long-running node lets the thread drain on its own and flushes on {@link #close}.
 */
public final class IndexWriteBehind implements CommitListener, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(IndexWriteBehind.class.getName());

    /** BatchWriteItem's limit: more queued commits are applied in several steps. */
    private static final int MAX_BATCH = 25;

    /** What queued up for one dataset: commits, and whether its chain was rewritten meanwhile. */
    private static final class Pending {
        final String alias;
        final List<CommitResult> results = new ArrayList<>();
        Multihash[] rewritten; // {oldHead, newHead} of the latest rewrite, or null

        Pending(String alias) {
            this.alias = alias;
        }
    }

    /** Asked on first use, off the committing thread: the state store may open lazily (see {@link #IndexWriteBehind(Supplier)}). */
    private final Supplier<DatasetIndex> index;
    private final Object lock = new Object();
    private Map<DatasetId, Pending> queued = new LinkedHashMap<>();
    private long enqueued;
    private long applied;
    private boolean closed;
    private final Thread worker;

    public IndexWriteBehind(DatasetIndex index) {
        this(() -> index);
    }

    /**
     * With an index that is obtained when the first queued commit is applied: a commit only enqueues, so a function
     * whose state store opens on first use does not open it on the request that commits.
     */
    public IndexWriteBehind(Supplier<DatasetIndex> index) {
        this.index = index;
        this.worker = new Thread(this::drain, "sluice-index-write-behind");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void committed(DatasetId id, String alias, CommitResult result) {
        synchronized (lock) {
            if (closed) {
                index.get().committed(id, alias, result); // after close: apply in the caller, nothing is dropped
                return;
            }
            queued.computeIfAbsent(id, k -> new Pending(alias)).results.add(result);
            enqueued++;
            lock.notifyAll();
        }
    }

    /**
     * Queued like a commit; applied after the commits queued with it, so the rewrite (which follows storage's
     * current head) comes last and no queued notification of a replaced branch can win over it.
     */
    @Override
    public void headReplaced(DatasetId id, String alias, Multihash oldHead, Multihash newHead) {
        synchronized (lock) {
            if (closed) {
                index.get().headReplaced(id, alias, oldHead, newHead);
                return;
            }
            Pending p = queued.computeIfAbsent(id, k -> new Pending(alias));
            if (p.rewritten == null) enqueued++; // several rewrites queued together are applied as one
            p.rewritten = new Multihash[] {oldHead, newHead};
            lock.notifyAll();
        }
    }

    /** Waits until every commit enqueued before this call is applied; false on timeout. */
    public boolean flush(Duration timeout) {
        synchronized (lock) {
            long target = enqueued;
            return MonitorWait.until(lock, () -> applied >= target, timeout);
        }
    }

    /** Commits enqueued and not applied yet. */
    public long backlog() {
        synchronized (lock) {
            return enqueued - applied;
        }
    }

    private void drain() {
        while (true) {
            Map<DatasetId, Pending> batch;
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
                queued = new LinkedHashMap<>();
            }
            long done = 0;
            DatasetIndex index;
            try {
                index = this.index.get();
            } catch (RuntimeException e) {
                // The store cannot be opened: the batch is dropped, as a failed update would be; the index catches up
                // from the log on the dataset's next commit or read (it is derived data).
                LOG.log(System.Logger.Level.WARNING, "dataset index unavailable, " + batch.size() + " dataset update(s) left to catch-up: " + e);
                synchronized (lock) {
                    applied += batch.values().stream().mapToLong(p -> p.results.size() + (p.rewritten == null ? 0 : 1)).sum();
                    lock.notifyAll();
                }
                continue;
            }
            for (Map.Entry<DatasetId, Pending> e : batch.entrySet()) {
                Pending p = e.getValue();
                for (List<CommitResult> run : contiguousRuns(p.results)) {
                    index.update(e.getKey(), p.alias, run);
                    done += run.size();
                }
                if (p.rewritten != null) {
                    index.headReplaced(e.getKey(), p.alias, p.rewritten[0], p.rewritten[1]);
                    done++;
                }
            }
            synchronized (lock) {
                applied += done;
                lock.notifyAll();
            }
        }
    }

    /**
     * Sorts a dataset's queued commits by sequence number (concurrent committers may report out of order) and cuts
     * them into runs where each commit starts at the previous one's head, at most {@link #MAX_BATCH} long.
     */
    static List<List<CommitResult>> contiguousRuns(List<CommitResult> results) {
        List<CommitResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingLong(CommitResult::sequenceNumber));
        List<List<CommitResult>> runs = new ArrayList<>();
        List<CommitResult> run = new ArrayList<>();
        for (CommitResult r : sorted) {
            boolean continues = !run.isEmpty() && run.get(run.size() - 1).newHead().equals(r.oldHead());
            if (!run.isEmpty() && (!continues || run.size() == MAX_BATCH)) {
                runs.add(run);
                run = new ArrayList<>();
            }
            run.add(r);
        }
        if (!run.isEmpty()) runs.add(run);
        return runs;
    }

    /** Applies everything queued, then stops the thread. */
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
