package dev.sluice.flows;

import dev.sluice.odf.DataSlice;
import dev.sluice.odf.DatasetId;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.storage.CommitListener;
import dev.sluice.storage.CommitResult;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Feeds the reactive trigger from commits: a block that adds data (AddData or ExecuteTransform with new data) reports
 * its record count to {@link Scheduler#onInputUpdated} for the dataset's downstream flows, and a rewritten chain
 * ({@link #headReplaced}) counts as one record. Register it on the
 * repository <em>after</em> the dataset index, whose downstream edges it follows. Like every commit listener it never
 * fails the commit: a failure is counted and logged (the transform still runs at its next trigger).
 */
public final class InputUpdates implements CommitListener {
    private static final System.Logger LOG = System.getLogger(InputUpdates.class.getName());

    private final Scheduler scheduler;
    private final Clock clock;
    private final AtomicLong failures = new AtomicLong();

    public InputUpdates(Scheduler scheduler, Clock clock) {
        this.scheduler = scheduler;
        this.clock = clock;
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
        if (n == 0) return;
        try {
            scheduler.onInputUpdated(id.toDid(), n, clock.instant());
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            LOG.log(Level.WARNING, "reactive trigger for the downstream of " + alias + " failed: " + e);
        }
    }

    /**
     * A rewritten chain (compaction, a reset) is an update too: what downstream derivatives consumed is gone from it,
     * so their next transform must run to detect the break and recover. It counts as one new record, so a reactive
     * flow is due within its batching interval.
     */
    @Override
    public void headReplaced(DatasetId id, String alias, Multihash oldHead, Multihash newHead) {
        try {
            scheduler.onInputUpdated(id.toDid(), 1, clock.instant());
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            LOG.log(Level.WARNING, "reactive trigger for the downstream of " + alias + " after its chain was rewritten failed: " + e);
        }
    }

    public long failures() {
        return failures.get();
    }
}
