package dev.sluice.pipelines;

import dev.sluice.flows.FlowTaskContext;
import dev.sluice.flows.FlowTaskExecutor;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.TaskOutcome;
import dev.sluice.odf.OdfFormatException;
import dev.sluice.odf.chain.ChainValidationException;
import dev.sluice.storage.CommitConflictException;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetNotFoundException;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.transform.EngineFailedException;
import dev.sluice.transform.EngineNotAvailableException;
import dev.sluice.transform.InputBreakingChangeException;
import dev.sluice.transform.InvalidTransformException;
import dev.sluice.transform.ResetResult;
import dev.sluice.transform.TransformResult;
import dev.sluice.transform.TransformService;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * TRANSFORM flows: brings a derivative up to date with its inputs through {@link TransformService}, one step (one input
 * block) at a time, renewing the task's lease after each committed step.
 *
 * <p><b>Outcomes.</b> Steps committed → {@code Success(output records)}; nothing new, or an input without a schema yet
 * → success "up to date" / "waiting for …". The engine's notes (e.g. that DuckDB ran a risingwave transform) and one
 * line per step go to the task log. Invalid SQL, a root dataset, an engine that is not available and a missing input
 * fail for good; an engine's internal error and a lost commit race are retried per the flow's retry policy.
 *
 * <p><b>Breaking changes.</b> When an input's history was rewritten (compaction, a reset) the derivative cannot follow
 * it incrementally ({@link InputBreakingChangeException}). With {@value #FOR_BREAKING_CHANGE} = {@code Recover} (kamu's
 * {@code forBreakingChange: Recover}, the default) the task resets the derivative to its metadata and recomputes it
 * from the inputs' current chains — the result is what a derivative created now would hold. With {@code NoAction}
 * the task fails for good and the derivative stays as it is until someone resets it.
 *
 * <p>Options: {@value #FOR_BREAKING_CHANGE}, {@value #MAX_STEPS} (steps per run; what is left waits for the next run,
 * default no limit).
 */
public final class TransformExecutor implements FlowTaskExecutor {
    public static final String FOR_BREAKING_CHANGE = "forBreakingChange";
    public static final String MAX_STEPS = "maxSteps";

    private final DatasetRepository repo;
    private final TransformService transforms;

    public TransformExecutor(DatasetRepository repo, TransformService transforms) {
        this.repo = Objects.requireNonNull(repo, "repo");
        this.transforms = Objects.requireNonNull(transforms, "transforms");
    }

    @Override
    public FlowType type() {
        return FlowType.TRANSFORM;
    }

    /** Whether a breaking change in an input is recovered from (reset + recompute) or fails the task. */
    static boolean recovers(FlowTaskContext ctx) {
        String v = ctx.options().get(FOR_BREAKING_CHANGE);
        if (v == null || v.isBlank()) return true;
        return switch (v.strip().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "")) {
            case "recover" -> true;
            case "noaction" -> false;
            default -> throw new TaskSupport.InvalidOptionException(FOR_BREAKING_CHANGE + " must be Recover or NoAction, got '" + v + "'");
        };
    }

    @Override
    public TaskOutcome execute(FlowTaskContext ctx) {
        Optional<Dataset> found = TaskSupport.dataset(repo, ctx);
        if (found.isEmpty()) return TaskOutcome.permanent(TaskSupport.missing(ctx));
        Dataset ds = found.get();
        Set<String> logged = new HashSet<>();
        long records = 0;
        int steps = 0;
        boolean recovered = false;
        try {
            boolean recover = recovers(ctx);
            long maxSteps = TaskSupport.positiveLong(ctx, MAX_STEPS, Long.MAX_VALUE);
            while (true) {
                TransformResult r;
                try {
                    r = transforms.transform(ds, 1);
                } catch (InputBreakingChangeException e) {
                    if (!recover) {
                        return TaskOutcome.permanent(e.getMessage() + " (the flow's " + FOR_BREAKING_CHANGE + " is NoAction)");
                    }
                    if (recovered) throw e; // a second break within one run: the input keeps changing; let a retry try again
                    ctx.log(e.getMessage());
                    ResetResult reset = transforms.reset(ds);
                    ctx.log("recovering (" + FOR_BREAKING_CHANGE + ": Recover): reset " + ds.alias() + " to its metadata, "
                            + reset.droppedBlocks() + " blocks dropped; recomputing from the inputs");
                    recovered = true;
                    continue;
                }
                for (String note : r.notes()) {
                    if (logged.add(note)) ctx.log(note);
                }
                for (TransformResult.Step s : r.steps()) {
                    steps++;
                    if (s.newData() != null) records += s.newData().end() - s.newData().start() + 1;
                }
                if (r.waitingFor() != null) {
                    ctx.log("waiting: " + r.waitingFor());
                    if (steps == 0) return new TaskOutcome.Success(0, "waiting for " + r.waitingFor());
                    break;
                }
                if (r.upToDate()) break;
                if (steps >= maxSteps) {
                    ctx.log("stopping after " + steps + " steps (" + MAX_STEPS + "); the next run continues");
                    break;
                }
                ctx.renewLease();
            }
            if (steps == 0) return TaskOutcome.upToDate();
            return new TaskOutcome.Success(records, steps + " step" + (steps == 1 ? "" : "s") + ", " + records + " new records"
                    + (recovered ? " (recomputed after a breaking change in an input)" : ""));
        } catch (EngineFailedException | CommitConflictException | InputBreakingChangeException e) {
            return TaskOutcome.retryable(progress(steps) + TaskSupport.describe(e));
        } catch (InvalidTransformException | EngineNotAvailableException | DatasetNotFoundException | OdfFormatException
                | ChainValidationException | TaskSupport.InvalidOptionException e) {
            return TaskOutcome.permanent(progress(steps) + TaskSupport.describe(e));
        }
    }

    private static String progress(int steps) {
        return steps == 0 ? "" : "after " + steps + " committed step" + (steps == 1 ? "" : "s") + ": ";
    }
}
