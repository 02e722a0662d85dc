package dev.sluice.flows;

import dev.sluice.state.items.FlowItem;
import dev.sluice.state.items.TaskItem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Runs one task: claims it (QUEUED → RUNNING with a lease, a conditional write, so of two workers handed the same
 * task only one runs it), calls the flow type's executor, records the outcome on the task (conditional on still
 * holding the lease: a worker whose lease expired and was re-queued has its result discarded), then updates the flow
 * — retry with backoff, failure counting and the stop policy, next due time.
 */
public final class TaskRunner {
    /** What {@link #run} did. */
    public enum Result {
        SUCCEEDED, FAILED, CANCELLED,
        /** The task was not (or no longer) queued, or another worker claimed it first. */
        SKIPPED,
        /** The lease ran out while the executor worked; the task was re-queued and this attempt's outcome discarded. */
        LEASE_LOST,
        NOT_FOUND,
        /** {@link #runIfServed}: no executor for the task's flow type here; the task was left as it is. */
        NOT_SERVED
    }

    private static final int CONFLICT_ATTEMPTS = 32;

    private final FlowStore store;
    private final Map<FlowType, FlowTaskExecutor> executors;
    private final Clock clock;
    private final Duration leaseDuration;

    TaskRunner(FlowStore store, List<FlowTaskExecutor> executors, Clock clock, Duration leaseDuration) {
        this.store = store;
        this.executors = new EnumMap<>(FlowType.class);
        for (FlowTaskExecutor e : executors) {
            if (this.executors.put(e.type(), e) != null) throw new IllegalArgumentException("two executors for flow type " + e.type());
        }
        this.clock = clock;
        this.leaseDuration = leaseDuration;
    }

    /** The flow types this runner has executors for. */
    public Set<FlowType> servedTypes() {
        return Collections.unmodifiableSet(executors.keySet());
    }

    /** Runs a task (see {@link #runIfServed}); a flow type without an executor here fails the task permanently. */
    public Result run(String taskId) {
        return run(taskId, false);
    }

    /**
     * What a task function does with a dispatched task id: runs it if this runner has the executor for its flow type;
     * a task of another type (an event routed to the wrong function) is left untouched — {@link Result#NOT_SERVED} —
     * for the function that serves it (or the re-queue when its dispatch lease ends).
     */
    public Result runIfServed(String taskId) {
        return run(taskId, true);
    }

    private Result run(String taskId, boolean servedOnly) {
        if (taskId == null || taskId.isBlank()) throw new IllegalArgumentException("task id is missing");
        TaskItem t = store.tasks.get(taskId).orElse(null);
        if (t == null) return Result.NOT_FOUND;
        if (servedOnly && !executors.containsKey(FlowType.valueOf(t.getFlowType()))) return Result.NOT_SERVED;
        if (!TaskStatus.QUEUED.name().equals(t.getStatus())) return Result.SKIPPED;
        FlowType type = FlowType.valueOf(t.getFlowType());
        FlowItem flow = checkFlow(t, type);
        if (flow == null) return Result.CANCELLED;

        Instant started = clock.instant();
        String owner = "worker:" + UUID.randomUUID();
        t.setStatus(TaskStatus.RUNNING.name());
        t.setStartedAt(started);
        store.lease(t, owner, started.plus(leaseDuration).toEpochMilli());
        if (!store.tasks.update(t, TaskStatus.QUEUED.name())) return Result.SKIPPED;

        int attempt = t.getAttempt() == null ? 1 : t.getAttempt();
        FlowConfig config = FlowItems.config(flow);
        Context ctx = new Context(t, type, attempt, FlowItems.options(flow), owner);
        ctx.log("attempt " + attempt + " of " + config.retry().maxAttempts() + " (" + t.getTrigger() + ")");
        TaskOutcome outcome;
        FlowTaskExecutor executor = executors.get(type);
        if (executor == null) {
            outcome = TaskOutcome.permanent("no executor for " + type.label() + " flows on this node");
        } else {
            try {
                outcome = executor.execute(ctx);
                if (outcome == null) outcome = TaskOutcome.permanent("the " + type.label() + " executor returned no outcome");
            } catch (FlowTaskContext.LeaseLostException lost) {
                return Result.LEASE_LOST;
            } catch (Exception e) {
                outcome = TaskOutcome.retryable(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        return finish(ctx, outcome);
    }

    /**
     * The flow must be running this task. A task whose claim never reached the flow (the claimer died between its two
     * writes) is adopted while the flow is still at the version it was cut from; otherwise — the flow moved on, was
     * deleted, or was paused (manual runs excepted) — the task is cancelled. Returns the flow to run under, or null.
     */
    private FlowItem checkFlow(TaskItem t, FlowType type) {
        for (int i = 0; i < CONFLICT_ATTEMPTS; i++) {
            Instant now = clock.instant();
            FlowItem f = store.flow(t.getDatasetId(), type).orElse(null);
            if (f == null) {
                store.cancelQueued(t.getTaskId(), "the flow was removed", now, false);
                return null;
            }
            if (!t.getTaskId().equals(f.getActiveTaskId())) {
                if (f.getActiveTaskId() != null || !FlowStore.sameVersion(f, t)) {
                    store.cancelQueued(t.getTaskId(), "superseded: the flow moved on", now, false);
                    return null;
                }
                store.applyClaim(f, t.getTaskId(), TriggerCause.valueOf(t.getTrigger()), t.getTickId(), now);
                if (!store.flows.trySave(f)) continue; // re-read and decide again
            }
            if (FlowItems.paused(f) && !TriggerCause.MANUAL.name().equals(t.getTrigger())) {
                store.cancelQueued(t.getTaskId(), "the flow is paused", now, true);
                return null;
            }
            return f;
        }
        throw new IllegalStateException("flow of task " + t.getTaskId() + " is changing too fast");
    }

    private Result finish(Context ctx, TaskOutcome outcome) {
        TaskItem t = ctx.task;
        Instant now = clock.instant();
        TaskStatus status;
        String error = null;
        boolean retryable = false;
        String summary;
        if (outcome instanceof TaskOutcome.Success s) {
            status = TaskStatus.SUCCEEDED;
            summary = s.summary();
        } else if (outcome instanceof TaskOutcome.RetryableFailure f) {
            status = TaskStatus.FAILED;
            error = f.error();
            retryable = true;
            summary = "failed (retryable): " + error;
        } else {
            status = TaskStatus.FAILED;
            error = ((TaskOutcome.PermanentFailure) outcome).error();
            summary = "failed: " + error;
        }
        ctx.log(summary);
        if (status == TaskStatus.SUCCEEDED) t.setNewRecords(((TaskOutcome.Success) outcome).newRecords());
        FlowStore.Ended ended = new FlowStore.Ended(t.getTaskId(), status, summary, error, retryable, ctx.attempt);
        synchronized (ctx) { // not while a lease renewal is being written
            Long until = t.getLeaseUntil();
            FlowItems.appendLog(t, ctx.drainLog());
            if (!store.endTask(t, ended, now, x -> store.tasks.updateLeased(x, TaskStatus.RUNNING.name(), ctx.owner, until))) {
                return Result.LEASE_LOST;
            }
        }
        return status == TaskStatus.SUCCEEDED ? Result.SUCCEEDED : Result.FAILED;
    }

    private final class Context implements FlowTaskContext {
        final TaskItem task;
        final FlowType type;
        final int attempt;
        final Map<String, String> options;
        final String owner;
        private final List<String> pending = Collections.synchronizedList(new ArrayList<>());

        Context(TaskItem task, FlowType type, int attempt, Map<String, String> options, String owner) {
            this.task = task;
            this.type = type;
            this.attempt = attempt;
            this.options = options;
            this.owner = owner;
        }

        @Override public String datasetId() { return task.getDatasetId(); }
        @Override public FlowType flowType() { return type; }
        @Override public String taskId() { return task.getTaskId(); }
        @Override public int attempt() { return attempt; }
        @Override public long inputRecords() { return FlowItems.longOr0(task.getInputRecords()); }
        @Override public Map<String, String> options() { return options; }
        @Override public Clock clock() { return clock; }

        @Override
        public void log(String line) {
            pending.add(clock.instant() + " " + line);
        }

        List<String> drainLog() {
            synchronized (pending) {
                List<String> out = new ArrayList<>(pending);
                pending.clear();
                return out;
            }
        }

        @Override
        public synchronized void renewLease() {
            Long until = task.getLeaseUntil();
            task.setLeaseUntil(clock.instant().plus(leaseDuration).toEpochMilli());
            FlowItems.appendLog(task, drainLog());
            if (!store.tasks.updateLeased(task, TaskStatus.RUNNING.name(), owner, until)) {
                task.setLeaseUntil(until);
                throw new LeaseLostException(task.getTaskId());
            }
        }
    }
}
