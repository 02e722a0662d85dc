package dev.sluice.flows;

import dev.sluice.state.FlowRepository;
import dev.sluice.state.TaskRepository;
import dev.sluice.state.items.FlowItem;
import dev.sluice.state.items.TaskItem;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The state transitions of flows and tasks, each a conditional write (flows: version; tasks: expected status and
 * lease holder), shared by the scheduler, the runner and the service.
 *
 * <p><b>A flow version yields at most one task.</b> The task id is derived from (flowId, version), the task is
 * created with {@code attribute_not_exists}, and the flow is then moved to that version + 1 pointing at it. Two
 * ticks (or a tick and a manual trigger) that read the same version derive the same id: one creates the task, one
 * moves the flow, and the losers change nothing. A crash between the two writes leaves a queued task that the flow
 * does not reference yet; the next claim of that version adopts it (create finds it, the flow write lands), or the
 * runner adopts it, or — if the flow moved on meanwhile — cancels it.
 */
final class FlowStore {
    private static final int CONFLICT_ATTEMPTS = 32;

    final FlowRepository flows;
    final TaskRepository tasks;
    final Clock clock;
    final RandomGenerator random;
    /** {@link SchedulerConfig#reactiveRecheck}: when a reactive flow with nothing pending is due anyway. */
    final Duration reactiveRecheck;

    FlowStore(FlowRepository flows, TaskRepository tasks, Clock clock, RandomGenerator random, Duration reactiveRecheck) {
        this.flows = flows;
        this.tasks = tasks;
        this.clock = clock;
        this.random = random;
        this.reactiveRecheck = reactiveRecheck;
    }

    static String taskIdFor(FlowItem f) {
        return "task-" + UUID.nameUUIDFromBytes((f.getFlowId() + "/" + f.getVersion()).getBytes(StandardCharsets.UTF_8));
    }

    Optional<FlowItem> flow(String datasetId, FlowType type) {
        return flows.get(datasetId, type.name());
    }

    /**
     * Cuts the task for the version of {@code f} that was read and moves the flow to it. True when this call's flow
     * write landed; false when the flow had moved on (another claimer, an edit) — then a task this call created and
     * nobody references is cancelled.
     */
    boolean claim(FlowItem f, TriggerCause cause, String detail, String tickId, Integer priority, Instant now) {
        String taskId = taskIdFor(f);
        TaskItem t = new TaskItem();
        t.setTaskId(taskId);
        t.setDatasetId(f.getDatasetId());
        t.setFlowType(f.getFlowType());
        t.setFlowId(f.getFlowId());
        t.setFlowVersion(f.getVersion());
        t.setStatus(TaskStatus.QUEUED.name());
        t.setCreatedAt(now.toEpochMilli());
        t.setDueAt(f.getDueAt() != null ? Math.min(f.getDueAt(), now.toEpochMilli()) : now.toEpochMilli());
        t.setTrigger(cause.name());
        t.setTriggerDetail(detail);
        t.setTickId(tickId);
        int p = priority != null ? priority : FlowItems.intOr0(f.getPriority());
        t.setPriority(p);
        t.setAttempt(cause == TriggerCause.RETRY && f.getRetryAttempt() != null ? f.getRetryAttempt() : 1);
        t.setInputRecords(f.getPendingRecords());
        enqueue(t);
        boolean created = tasks.create(t);
        applyClaim(f, taskId, cause, tickId, now);
        if (flows.trySave(f)) return true;
        if (created) {
            FlowItem cur = flows.get(f.getDatasetId(), f.getFlowType()).orElse(null);
            if (cur == null || !taskId.equals(cur.getActiveTaskId())) {
                cancelQueued(taskId, "the flow changed before this task could be claimed", now, false);
            }
        }
        return false;
    }

    /** The flow side of a claim: it now runs {@code taskId}, is out of the due index, and remembers its next slot. */
    void applyClaim(FlowItem f, String taskId, TriggerCause cause, String tickId, Instant now) {
        Long next = nextDueAfterClaim(f, cause, now);
        f.setStatus(FlowStatus.RUNNING.name());
        f.setActiveTaskId(taskId);
        f.setClaimedByTick(tickId);
        f.setDueAt(null);
        f.setNextDueAt(next);
        f.setPendingRecords(null);
        f.setFirstPendingAt(null);
        f.setRetryAttempt(null);
        f.setUpdatedAt(now);
    }

    private static Long nextDueAfterClaim(FlowItem f, TriggerCause cause, Instant now) {
        if (!(FlowItems.trigger(f) instanceof FlowTrigger.Schedule s)) return null;
        if (cause == TriggerCause.SCHEDULE) return s.nextFire(FlowItems.instant(f.getDueAt()), now).toEpochMilli();
        // a retry or a manual run keeps the schedule's upcoming slot
        if (f.getNextDueAt() != null) return f.getNextDueAt();
        if (FlowItems.status(f) == FlowStatus.WAITING && f.getDueAt() != null) return f.getDueAt();
        return s.nextFire(null, now).toEpochMilli();
    }

    /**
     * Puts a task into the dispatch queue (sparse GSI {@code queue}) and out of the lease index. Order: priority, then
     * how long the flow has been due, so of flows claimed by the same tick the one due longest goes first.
     */
    void enqueue(TaskItem t) {
        t.setQueueShard(tasks.shardOf(t.getTaskId()));
        long since = t.getDueAt() != null ? t.getDueAt() : t.getCreatedAt();
        t.setQueueKey(TaskRepository.queueKey(FlowItems.intOr0(t.getPriority()), since, t.getTaskId()));
        clearLease(t);
    }

    static void clearQueue(TaskItem t) {
        t.setQueueShard(null);
        t.setQueueKey(null);
    }

    static void clearLease(TaskItem t) {
        t.setLeaseShard(null);
        t.setLeaseUntil(null);
        t.setLeaseOwner(null);
    }

    void lease(TaskItem t, String owner, long until) {
        clearQueue(t);
        t.setLeaseOwner(owner);
        t.setLeaseUntil(until);
        t.setLeaseShard(tasks.shardOf(t.getTaskId()));
    }

    /**
     * QUEUED → CANCELLED (dispatched or not); false if the task is absent or no longer queued. When the flow runs this
     * task ({@code flowRunsIt}), the flow goes back to waiting through {@link #endTask}.
     */
    boolean cancelQueued(String taskId, String reason, Instant now, boolean flowRunsIt) {
        for (int i = 0; i < CONFLICT_ATTEMPTS; i++) {
            TaskItem t = tasks.get(taskId).orElse(null);
            if (t == null || !TaskStatus.QUEUED.name().equals(t.getStatus())) return false;
            FlowItems.appendLog(t, now + " cancelled: " + reason);
            Ended e = new Ended(taskId, TaskStatus.CANCELLED, "cancelled: " + reason, null, false, FlowItems.intOr0(t.getAttempt()));
            // status-only condition: a dispatch lease may be there or not; a claim by a worker makes it fail
            boolean written = flowRunsIt ? endTask(t, e, now, x -> tasks.update(x, TaskStatus.QUEUED.name()))
                    : write(t, e, now, false, x -> tasks.update(x, TaskStatus.QUEUED.name()));
            if (written) return true;
        }
        throw new IllegalStateException("task " + taskId + " is changing too fast to cancel");
    }

    /** How long a finished task stays in the lease index for its flow's bookkeeping to be done (or redone by a tick). */
    static final Duration FINISH_GRACE = Duration.ofMinutes(1);

    /**
     * Ends a task the flow runs: (1) its final state is written by {@code write} (the caller's condition: expected
     * status, lease holder) with a short recovery lease, so it stays in the lease index; (2) the flow records the end;
     * (3) the recovery lease is dropped. A crash after (1) leaves the task in the lease index with a final status:
     * when the lease runs out a tick does (2) and (3) ({@link #recoverEnded}). False if (1) lost its condition.
     */
    boolean endTask(TaskItem t, Ended e, Instant now, Predicate<TaskItem> write) {
        if (!write(t, e, now, true, write)) return false;
        afterTaskEnded(t.getDatasetId(), t.getFlowType(), e, now);
        releaseRecoveryLease(t);
        return true;
    }

    private boolean write(TaskItem t, Ended e, Instant now, boolean recoveryLease, Predicate<TaskItem> write) {
        t.setStatus(e.status().name());
        t.setFinishedAt(now);
        t.setOutcome(e.outcome());
        t.setError(e.error());
        t.setRetryable(e.status() == TaskStatus.FAILED ? e.retryable() : null);
        clearQueue(t);
        if (recoveryLease) {
            lease(t, "ended:" + e.status().name(), now.plus(FINISH_GRACE).toEpochMilli());
        } else {
            clearLease(t);
        }
        return write.test(t);
    }

    private void releaseRecoveryLease(TaskItem t) {
        String owner = t.getLeaseOwner();
        Long until = t.getLeaseUntil();
        clearLease(t);
        tasks.updateLeased(t, t.getStatus(), owner, until); // lost: a tick released it already
    }

    /** A tick found a finished task whose recovery lease ran out: redo the flow's bookkeeping, then release it. */
    void recoverEnded(TaskItem t, Instant now) {
        TaskStatus status = TaskStatus.valueOf(t.getStatus());
        afterTaskEnded(t.getDatasetId(), t.getFlowType(), new Ended(t.getTaskId(), status, t.getOutcome(), t.getError(),
                Boolean.TRUE.equals(t.getRetryable()), t.getAttempt() == null ? 1 : t.getAttempt()), now);
        releaseRecoveryLease(t);
    }

    /** How a task ended, for the flow's bookkeeping. */
    record Ended(String taskId, TaskStatus status, String outcome, String error, boolean retryable, int attempt) {}

    /**
     * Applies the end of the flow's active task: success resets the failure count; a retryable failure with attempts
     * left makes the flow RETRYING, due after the backoff; any other failure counts towards the stop policy, which
     * may pause the flow; otherwise the flow waits for its next slot (or its reactive inputs). Nothing happens if the
     * flow no longer runs this task.
     */
    void afterTaskEnded(String datasetId, String flowType, Ended e, Instant now) {
        for (int i = 0; i < CONFLICT_ATTEMPTS; i++) {
            FlowItem f = flows.get(datasetId, flowType).orElse(null);
            if (f == null || !e.taskId().equals(f.getActiveTaskId())) return;
            f.setActiveTaskId(null);
            f.setLastTaskId(e.taskId());
            f.setLastStatus(e.status().name());
            f.setLastOutcome(e.outcome());
            f.setLastError(e.error());
            f.setLastFinishedAt(now);
            f.setUpdatedAt(now);
            FlowConfig c = FlowItems.config(f);
            boolean paused = FlowItems.paused(f);
            if (e.status() == TaskStatus.SUCCEEDED) {
                f.setConsecutiveFailures(0);
                f.setLastSuccessAt(now);
                settle(f, c, now, reactiveRecheck);
            } else if (e.status() == TaskStatus.CANCELLED) {
                settle(f, c, now, reactiveRecheck);
            } else if (e.retryable() && c.retry().allowsRetryAfter(e.attempt()) && !paused) {
                f.setStatus(FlowStatus.RETRYING.name());
                f.setRetryAttempt(e.attempt() + 1);
                f.setDueAt(now.plus(c.retry().delayAfter(e.attempt(), random)).toEpochMilli());
            } else {
                int failures = FlowItems.intOr0(f.getConsecutiveFailures()) + 1;
                f.setConsecutiveFailures(failures);
                if (!paused && c.stop().stopsAfter(failures)) {
                    pause(f, "stopped after " + failures + " consecutive failure" + (failures == 1 ? "" : "s") + "; last error: " + e.error());
                } else {
                    settle(f, c, now, reactiveRecheck);
                }
            }
            if (flows.trySave(f)) return;
        }
        throw new IllegalStateException("flow " + datasetId + "/" + flowType + " is changing too fast to record the end of " + e.taskId());
    }

    /** No task active: paused flows stay paused; others wait for their next slot or reactive inputs. */
    static void settle(FlowItem f, FlowConfig c, Instant now, Duration reactiveRecheck) {
        f.setRetryAttempt(null);
        if (FlowItems.paused(f)) {
            f.setStatus(FlowStatus.PAUSED.name());
            f.setDueAt(null);
            return;
        }
        f.setStatus(FlowStatus.WAITING.name());
        f.setDueAt(nextDue(f, c, now, reactiveRecheck));
        f.setNextDueAt(null);
    }

    /**
     * When a waiting flow is next due: its schedule's next slot; for a reactive flow, when its pending records are due
     * under the batching rule or — nothing pending — the recheck ({@code reactiveRecheck} from now; zero: never).
     */
    static Long nextDue(FlowItem f, FlowConfig c, Instant now, Duration reactiveRecheck) {
        if (c.trigger() instanceof FlowTrigger.Schedule s) {
            return f.getNextDueAt() != null ? f.getNextDueAt() : s.firstFire(now).toEpochMilli();
        }
        if (c.trigger() instanceof FlowTrigger.Reactive r) {
            Instant due = r.dueAt(FlowItems.longOr0(f.getPendingRecords()), FlowItems.instant(f.getFirstPendingAt()), now);
            if (due != null) return due.toEpochMilli();
            return reactiveRecheck.isZero() ? null : now.plus(reactiveRecheck).toEpochMilli();
        }
        return null;
    }

    static void pause(FlowItem f, String reason) {
        f.setEnabled(false);
        f.setStatus(FlowStatus.PAUSED.name());
        f.setPausedReason(reason);
        f.setDueAt(null);
        f.setRetryAttempt(null);
    }

    /** A waiting reactive flow with nothing pending: when due, it is a recheck of its inputs, not a run. */
    static boolean isRecheck(FlowItem f) {
        return FlowItems.status(f) == FlowStatus.WAITING && f.getActiveTaskId() == null
                && FlowItems.trigger(f) instanceof FlowTrigger.Reactive && FlowItems.longOr0(f.getPendingRecords()) == 0;
    }

    static boolean sameVersion(FlowItem f, TaskItem t) {
        return Objects.equals(f.getFlowId(), t.getFlowId()) && Objects.equals(f.getVersion(), t.getFlowVersion());
    }
}
