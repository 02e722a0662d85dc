package dev.sluice.flows;

import dev.sluice.odf.DataSlice;
import dev.sluice.odf.DatasetId;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.storage.CommitListener;
import dev.sluice.storage.CommitResult;
import dev.sluice.state.WriteBehindQueue;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Feeds the reactive trigger from commits: a block that adds data (AddData or ExecuteTransform with new data) reports
 * its record count to {@link Scheduler#onInputUpdated} for the dataset's downstream flows, and a rewritten chain
 * ({@link #headReplaced}) counts as one record. Register it on the repository <em>after</em> the dataset index, whose
 * downstream edges it follows. Like every commit listener it never fails the commit: a failure is counted and logged.
 *
 * <p>A lost report (a failure here, or the process dying between the head swap and this call) is not lost work: the
 * flow's recheck ({@link SchedulerConfig#reactiveRecheck}, {@link InputBacklog}) finds the unconsumed records in the
 * log. That makes {@link #behind} safe: the commit only enqueues its count, and a background thread reports what
 * queued up per upstream dataset in one call (a burst of pushes costs one read and one write per downstream flow, off
 * the ingest path). {@link #inline} reports in the committing thread, for runtimes that freeze the process after
 * answering (AWS Lambda), where a queue would wait for the next invocation.
 */
public final class InputUpdates implements CommitListener, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(InputUpdates.class.getName());

    /** Asked when a report is applied (behind: on the worker), so a lazily opened state store opens off the commit. */
    private final Supplier<Scheduler> scheduler;
    private final Clock clock;
    private final AtomicLong failures = new AtomicLong();
    /** Behind: per upstream dataset, records reported and not applied yet, and when the first of them was committed; null inline. */
    private final WriteBehindQueue<String, Pending> queue;

    private static final class Pending {
        final String alias;
        final Instant firstAt;
        long records;

        Pending(String alias, Instant firstAt) {
            this.alias = alias;
            this.firstAt = firstAt;
        }
    }

    /** Inline: reports in the committing thread. */
    public InputUpdates(Scheduler scheduler, Clock clock) {
        this(() -> scheduler, clock, false);
    }

    private InputUpdates(Supplier<Scheduler> scheduler, Clock clock, boolean behind) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.queue = behind ? new WriteBehindQueue<>("sluice-input-updates", batch ->
                batch.forEach((did, p) -> apply(did, p.alias, p.records, p.firstAt, ""))) : null;
    }

    public static InputUpdates inline(Scheduler scheduler, Clock clock) {
        return inline(() -> scheduler, clock);
    }

    /** Inline, with a scheduler obtained on the first report (see {@link #behind(Supplier, Clock)}). */
    public static InputUpdates inline(Supplier<Scheduler> scheduler, Clock clock) {
        return new InputUpdates(scheduler, clock, false);
    }

    /** Reports from a background thread; {@link #close} drains what is queued. */
    public static InputUpdates behind(Scheduler scheduler, Clock clock) {
        return behind(() -> scheduler, clock);
    }

    /**
     * Behind, with a scheduler obtained by the worker when it first applies a report: a commit only enqueues, so a
     * function whose state store opens on first use does not open it on the request that commits.
     */
    public static InputUpdates behind(Supplier<Scheduler> scheduler, Clock clock) {
        return new InputUpdates(scheduler, clock, true);
    }

    /** Records added by a block's event (0 when it adds none). */
    static long newRecords(MetadataEvent e) {
        DataSlice s = null;
        if (e instanceof MetadataEvent.AddData a) s = a.newData();
        if (e instanceof MetadataEvent.ExecuteTransform t) s = t.newData();
        return s == null ? 0 : s.offsetInterval().end() - s.offsetInterval().start() + 1;
    }

    @Override
    public void committed(DatasetId id, String alias, CommitResult result) {
        long n = newRecords(result.block().event());
        if (n > 0) report(id.toDid(), alias, n, "");
    }

    /**
     * A rewritten chain (compaction, a reset) is an update too: what downstream derivatives consumed is gone from it,
     * so their next transform must run to detect the break and recover. It counts as one new record, so a reactive
     * flow is due within its batching interval.
     */
    @Override
    public void headReplaced(DatasetId id, String alias, Multihash oldHead, Multihash newHead) {
        report(id.toDid(), alias, 1, " after its chain was rewritten");
    }

    private void report(String did, String alias, long records, String what) {
        Instant now = clock.instant();
        boolean queued = queue != null && queue.offer(did, k -> new Pending(alias, now), p -> {
            p.records += records;
            return 1;
        });
        if (!queued) apply(did, alias, records, now, what);
    }

    private void apply(String did, String alias, long records, Instant firstAt, String what) {
        try {
            scheduler.get().onInputUpdated(did, records, firstAt);
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            LOG.log(Level.WARNING, "reactive trigger for the downstream of " + alias + what + " failed (the flows' recheck finds the records): " + e);
        }
    }

    /** Waits until every report queued before this call is applied; false on timeout (always true inline). */
    public boolean flush(Duration timeout) {
        return queue == null || queue.flush(timeout);
    }

    public long failures() {
        return failures.get();
    }

    /** Applies what is queued, then stops the thread; later reports are applied inline. */
    @Override
    public void close() {
        if (queue != null) queue.close();
    }
}
