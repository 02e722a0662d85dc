package dev.sluice.state;

import dev.sluice.odf.DatasetId;
import dev.sluice.odf.Multihash;
import dev.sluice.storage.CommitListener;
import dev.sluice.storage.CommitResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
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

    /** Asked when the first batch is applied, off the committing thread: the state store may open lazily. */
    private final Supplier<DatasetIndex> index;
    private final WriteBehindQueue<DatasetId, Pending> queue;

    public IndexWriteBehind(DatasetIndex index) {
        this(() -> index);
    }

    /**
     * With an index that is obtained when the first queued commit is applied: a commit only enqueues, so a function
     * whose state store opens on first use does not open it on the request that commits.
     */
    public IndexWriteBehind(Supplier<DatasetIndex> index) {
        this.index = index;
        this.queue = new WriteBehindQueue<>("sluice-index-write-behind", this::apply);
    }

    @Override
    public void committed(DatasetId id, String alias, CommitResult result) {
        boolean queued = queue.offer(id, k -> new Pending(alias), p -> {
            p.results.add(result);
            return 1;
        });
        if (!queued) index.get().committed(id, alias, result); // after close: apply in the caller, nothing is dropped
    }

    /**
     * Queued like a commit; applied after the commits queued with it, so the rewrite (which follows storage's
     * current head) comes last and no queued notification of a replaced branch can win over it.
     */
    @Override
    public void headReplaced(DatasetId id, String alias, Multihash oldHead, Multihash newHead) {
        boolean queued = queue.offer(id, k -> new Pending(alias), p -> {
            long added = p.rewritten == null ? 1 : 0; // several rewrites queued together are applied as one
            p.rewritten = new Multihash[] {oldHead, newHead};
            return added;
        });
        if (!queued) index.get().headReplaced(id, alias, oldHead, newHead);
    }

    /** Waits until every commit enqueued before this call is applied; false on timeout. */
    public boolean flush(Duration timeout) {
        return queue.flush(timeout);
    }

    /** Commits enqueued and not applied yet. */
    public long backlog() {
        return queue.backlog();
    }

    /** A store that cannot be opened fails the batch (logged by the queue); the index catches up from the log. */
    private void apply(Map<DatasetId, Pending> batch) {
        DatasetIndex index = this.index.get();
        for (Map.Entry<DatasetId, Pending> e : batch.entrySet()) {
            Pending p = e.getValue();
            for (List<CommitResult> run : contiguousRuns(p.results)) index.update(e.getKey(), p.alias, run);
            if (p.rewritten != null) index.headReplaced(e.getKey(), p.alias, p.rewritten[0], p.rewritten[1]);
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
        queue.close();
    }
}
