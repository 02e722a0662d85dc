package dev.sluice.pipelines;

import dev.sluice.flows.FlowTaskContext;
import dev.sluice.flows.FlowTaskExecutor;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.TaskOutcome;
import dev.sluice.storage.CommitConflictException;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.transform.InvalidTransformException;
import dev.sluice.transform.ResetResult;
import dev.sluice.transform.TransformService;
import java.util.Objects;
import java.util.Optional;

/**
 * RESET flows (manual only): takes a derivative back to its metadata with {@link TransformService#reset}, as kamu's
 * reset flow does; the cut blocks stay in storage as garbage. The data comes back when the dataset is transformed
 * again: by its TRANSFORM flow's next run, by triggering the transform, or at once with the option
 * {@value #RECOMPUTE}{@code =true} (this task then recomputes it as the transform executor would). Root datasets fail for good (their data is not rebuilt from anything); a commit that lands
 * meanwhile makes the reset fail with nothing changed, which is retryable.
 */
public final class ResetExecutor implements FlowTaskExecutor {
    public static final String RECOMPUTE = "recompute";

    private final DatasetRepository repo;
    private final TransformService transforms;
    private final TransformExecutor recompute;

    public ResetExecutor(DatasetRepository repo, TransformService transforms) {
        this.repo = Objects.requireNonNull(repo, "repo");
        this.transforms = Objects.requireNonNull(transforms, "transforms");
        this.recompute = new TransformExecutor(repo, transforms);
    }

    @Override
    public FlowType type() {
        return FlowType.RESET;
    }

    @Override
    public TaskOutcome execute(FlowTaskContext ctx) {
        Optional<Dataset> found = TaskSupport.dataset(repo, ctx);
        if (found.isEmpty()) return TaskOutcome.permanent(TaskSupport.missing(ctx));
        Dataset ds = found.get();
        ResetResult r;
        try {
            boolean thenTransform = TaskSupport.bool(ctx, RECOMPUTE, false);
            r = transforms.reset(ds);
            ctx.log(r.changed() ? "reset " + ds.alias() + " to its metadata: " + r.droppedBlocks() + " blocks dropped, "
                    + r.keptEvents() + " later metadata events kept, head " + r.newHead().shortForm()
                    : ds.alias() + " holds only metadata already; nothing to reset");
            if (!thenTransform) {
                return new TaskOutcome.Success(0, r.changed() ? "reset to metadata (" + r.droppedBlocks() + " blocks dropped)" : "nothing to reset");
            }
        } catch (InvalidTransformException | TaskSupport.InvalidOptionException e) {
            return TaskOutcome.permanent(TaskSupport.describe(e));
        } catch (CommitConflictException e) {
            return TaskOutcome.retryable(TaskSupport.describe(e));
        }
        TaskOutcome rebuilt = recompute.execute(ctx);
        if (rebuilt instanceof TaskOutcome.Success s) return new TaskOutcome.Success(s.newRecords(), "reset and recomputed: " + s.summary());
        return rebuilt;
    }
}
