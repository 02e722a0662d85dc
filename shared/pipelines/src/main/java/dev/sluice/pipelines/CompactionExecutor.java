package dev.sluice.pipelines;

import dev.sluice.compaction.CompactionException;
import dev.sluice.compaction.CompactionOptions;
import dev.sluice.compaction.CompactionReport;
import dev.sluice.compaction.Compactor;
import dev.sluice.flows.FlowTaskContext;
import dev.sluice.flows.FlowTaskExecutor;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.TaskOutcome;
import dev.sluice.odf.chain.ChainValidationException;
import dev.sluice.storage.CommitConflictException;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import java.util.Objects;
import java.util.Optional;

/**
 * COMPACTION flows: hard compaction of a root dataset with {@link Compactor} — runs of small slices merged up to the
 * flow's {@value #MAX_SLICE_SIZE} (bytes) and {@value #MAX_SLICE_RECORDS} options (kamu's defaults, 300 MB and 10 000
 * records, when unset) and the chain rewritten. Commits that land while it works make it re-plan (a few attempts);
 * if they keep landing the task fails retryably. Derivatives fail for good (kamu: their data is rebuilt by their
 * transform). The data does not change, so the outcome reports 0 new records. Downstream derivatives see the
 * rewrite as a breaking change and recover on their next transform (the reactive trigger is told by the commit
 * listener that follows head replacements).
 */
public final class CompactionExecutor implements FlowTaskExecutor {
    public static final String MAX_SLICE_SIZE = "maxSliceSize";
    public static final String MAX_SLICE_RECORDS = "maxSliceRecords";
    /** Re-plans after concurrent commits within one task before it gives up (retryably). */
    static final int ATTEMPTS = 3;

    private final DatasetRepository repo;
    private final Compactor compactor;

    public CompactionExecutor(DatasetRepository repo, Compactor compactor) {
        this.repo = Objects.requireNonNull(repo, "repo");
        this.compactor = Objects.requireNonNull(compactor, "compactor");
    }

    @Override
    public FlowType type() {
        return FlowType.COMPACTION;
    }

    @Override
    public TaskOutcome execute(FlowTaskContext ctx) {
        Optional<Dataset> found = TaskSupport.dataset(repo, ctx);
        if (found.isEmpty()) return TaskOutcome.permanent(TaskSupport.missing(ctx));
        Dataset ds = found.get();
        try {
            CompactionOptions options = CompactionOptions.defaults()
                    .withMaxSliceSize(TaskSupport.positiveLong(ctx, MAX_SLICE_SIZE, CompactionOptions.DEFAULT_MAX_SLICE_SIZE))
                    .withMaxSliceRecords(TaskSupport.positiveLong(ctx, MAX_SLICE_RECORDS, CompactionOptions.DEFAULT_MAX_SLICE_RECORDS));
            CompactionReport r = compactor.compact(ds, options, ATTEMPTS);
            if (!r.changed()) {
                ctx.log("nothing to compact in " + ds.alias() + ": " + r.slicesBefore() + " slices within the limits (" + options.maxSliceSize()
                        + " bytes, " + options.maxSliceRecords() + " records)");
                return new TaskOutcome.Success(0, "nothing to compact");
            }
            String what = r.slicesBefore() + " → " + r.slicesAfter() + " slices, " + r.blocksBefore() + " → " + r.blocksAfter() + " blocks";
            ctx.log("compacted " + ds.alias() + ": " + what + " (" + r.runsMerged() + " merged blocks, " + r.attempts() + " attempt"
                    + (r.attempts() == 1 ? "" : "s") + "), head " + r.oldHead().shortForm() + " → " + r.newHead().shortForm());
            return new TaskOutcome.Success(0, "compacted: " + what);
        } catch (CommitConflictException e) { // CompactionConflictException after the last attempt included
            return TaskOutcome.retryable(TaskSupport.describe(e));
        } catch (CompactionException | ChainValidationException | TaskSupport.InvalidOptionException e) {
            return TaskOutcome.permanent(TaskSupport.describe(e));
        }
    }
}
