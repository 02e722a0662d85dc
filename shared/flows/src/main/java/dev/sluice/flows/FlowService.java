package dev.sluice.flows;

import dev.sluice.state.items.FlowItem;
import dev.sluice.state.items.TaskItem;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What the REST API and the CLI do with flows: list a dataset's flows and tasks, set a flow's configuration, pause,
 * resume, trigger a run now, cancel a queued task. Every change is a conditional write retried on a lost race, so
 * it composes with ticks and runners working at the same time.
 */
public final class FlowService {
    private static final int CONFLICT_ATTEMPTS = 32;
    /** How far back {@link #recentTasks} looks. */
    public static final int RECENT_DAYS = 7;

    private final FlowStore store;
    private final Scheduler scheduler;
    private final Clock clock;

    FlowService(FlowStore store, Scheduler scheduler, Clock clock) {
        this.store = store;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** The dataset's flows (one Query), by type. */
    public List<FlowView> flows(String datasetId) {
        return store.flows.byDataset(datasetId).stream().map(FlowItems::view)
                .sorted(java.util.Comparator.comparing(FlowView::type)).toList();
    }

    public FlowView flow(String datasetId, FlowType type) {
        return FlowItems.view(get(datasetId, type));
    }

    private FlowItem get(String datasetId, FlowType type) {
        return store.flow(datasetId, type).orElseThrow(() -> new FlowNotFoundException(datasetId, type));
    }

    /**
     * Creates or replaces a flow's configuration. The run state is kept; a changed trigger takes effect now (an
     * interval fires immediately, a cron at its next match), or after the active task when one runs.
     */
    public FlowView setConfig(String datasetId, FlowType type, FlowConfig config) {
        Objects.requireNonNull(datasetId, "datasetId");
        config.validateFor(type);
        for (int i = 0; i < CONFLICT_ATTEMPTS; i++) {
            Instant now = clock.instant();
            FlowItem f = store.flow(datasetId, type).orElse(null);
            FlowTrigger before = null;
            if (f == null) {
                f = newFlow(datasetId, type, now);
            } else {
                before = FlowItems.trigger(f);
            }
            FlowItems.applyConfig(f, config);
            if (f.getVersion() == null || !Objects.equals(before, config.trigger())) {
                FlowStatus status = FlowItems.status(f);
                if (status == FlowStatus.WAITING) {
                    f.setNextDueAt(null);
                    f.setDueAt(FlowStore.nextDue(f, config, now, store.reactiveRecheck));
                } else if (status == FlowStatus.RUNNING || status == FlowStatus.RETRYING) {
                    f.setNextDueAt(config.trigger() instanceof FlowTrigger.Schedule s ? s.firstFire(now).toEpochMilli() : null);
                }
            }
            f.setUpdatedAt(now);
            if (store.flows.trySave(f)) return FlowItems.view(f);
        }
        throw new FlowConflictException("flow " + datasetId + "/" + type.label() + " is changing too fast; try again");
    }

    /**
     * Creates the flow unless the dataset has one of this type already — whatever its configuration: a flow someone
     * set up (or paused) is never overwritten. {@code dueAt}: when it is first due (null: as its trigger says). One
     * read and one conditional put; returns the new flow, or empty when one existed or a concurrent writer created it.
     */
    public Optional<FlowView> createIfAbsent(String datasetId, FlowType type, FlowConfig config, Instant dueAt) {
        Objects.requireNonNull(datasetId, "datasetId");
        if (store.flow(datasetId, type).isPresent()) return Optional.empty();
        FlowItem f = newFlowItem(datasetId, type, config, dueAt, clock.instant(), store.reactiveRecheck);
        return store.flows.trySave(f) ? Optional.of(FlowItems.view(f)) : Optional.empty();
    }

    /**
     * The item {@link #setConfig} writes for a new flow, due at {@code dueAt} (null: as its trigger says), for bulk
     * loading with {@link dev.sluice.state.FlowRepository#putAll} (imports, benchmarks).
     */
    public static FlowItem newFlowItem(String datasetId, FlowType type, FlowConfig config, Instant dueAt, Instant now) {
        return newFlowItem(datasetId, type, config, dueAt, now, SchedulerConfig.DEFAULT_REACTIVE_RECHECK);
    }

    /** {@link #newFlowItem(String, FlowType, FlowConfig, Instant, Instant)} with the scheduler's reactive recheck. */
    public static FlowItem newFlowItem(String datasetId, FlowType type, FlowConfig config, Instant dueAt, Instant now, java.time.Duration reactiveRecheck) {
        config.validateFor(type);
        FlowItem f = newFlow(datasetId, type, now);
        FlowItems.applyConfig(f, config);
        f.setDueAt(dueAt != null ? Long.valueOf(dueAt.toEpochMilli()) : FlowStore.nextDue(f, config, now, reactiveRecheck));
        f.setUpdatedAt(now);
        return f;
    }

    private static FlowItem newFlow(String datasetId, FlowType type, Instant now) {
        FlowItem f = new FlowItem();
        f.setDatasetId(datasetId);
        f.setFlowType(type.name());
        f.setFlowId(UUID.randomUUID().toString());
        f.setStatus(FlowStatus.WAITING.name());
        f.setEnabled(true);
        f.setConsecutiveFailures(0);
        f.setCreatedAt(now);
        return f;
    }

    /** Pauses a flow: nothing new is scheduled, a queued task is cancelled, a running one finishes. */
    public FlowView pause(String datasetId, FlowType type) {
        for (int i = 0; i < CONFLICT_ATTEMPTS; i++) {
            Instant now = clock.instant();
            FlowItem f = get(datasetId, type);
            if (FlowItems.paused(f)) return FlowItems.view(f);
            FlowStore.pause(f, "paused by user");
            f.setUpdatedAt(now);
            if (!store.flows.trySave(f)) continue;
            if (f.getActiveTaskId() != null) store.cancelQueued(f.getActiveTaskId(), "the flow was paused", now, true);
            return flow(datasetId, type);
        }
        throw new FlowConflictException("flow " + datasetId + "/" + type.label() + " is changing too fast; try again");
    }

    /** Resumes a paused flow (also one the stop policy paused): the failure count restarts and the schedule picks up now. */
    public FlowView resume(String datasetId, FlowType type) {
        for (int i = 0; i < CONFLICT_ATTEMPTS; i++) {
            Instant now = clock.instant();
            FlowItem f = get(datasetId, type);
            if (!FlowItems.paused(f)) return FlowItems.view(f);
            f.setEnabled(true);
            f.setPausedReason(null);
            f.setConsecutiveFailures(0);
            f.setUpdatedAt(now);
            if (f.getActiveTaskId() != null) {
                f.setStatus(FlowStatus.RUNNING.name());
            } else {
                f.setNextDueAt(null);
                FlowStore.settle(f, FlowItems.config(f), now, store.reactiveRecheck);
            }
            if (store.flows.trySave(f)) return FlowItems.view(f);
        }
        throw new FlowConflictException("flow " + datasetId + "/" + type.label() + " is changing too fast; try again");
    }

    /**
     * Runs the flow now: a task is created with the given priority (default: the flow's) and dispatched if the budget
     * allows. A flow without a configuration gets a manual-only one. If the flow already has a task queued or
     * running, that task is returned and nothing is created. A paused flow can be run manually and stays paused.
     */
    public TriggerResult trigger(String datasetId, FlowType type, Integer priority) {
        if (priority != null && (priority < 0 || priority > dev.sluice.state.TaskRepository.MAX_PRIORITY)) {
            throw new FlowConfigException("priority must be 0.." + dev.sluice.state.TaskRepository.MAX_PRIORITY + ", got " + priority);
        }
        for (int i = 0; i < CONFLICT_ATTEMPTS; i++) {
            Instant now = clock.instant();
            FlowItem f = store.flow(datasetId, type).orElse(null);
            if (f == null) {
                f = newFlow(datasetId, type, now);
                FlowItems.applyConfig(f, FlowConfig.manual());
                if (!store.flows.trySave(f)) continue;
            }
            if (f.getActiveTaskId() != null) return new TriggerResult(task(f.getActiveTaskId()), false);
            String taskId = FlowStore.taskIdFor(f);
            if (store.claim(f, TriggerCause.MANUAL, "triggered manually", null, priority, now)) {
                scheduler.dispatchQueued(now);
                return new TriggerResult(task(taskId), true);
            }
        }
        throw new FlowConflictException("flow " + datasetId + "/" + type.label() + " is changing too fast; try again");
    }

    /** Cancels a queued (possibly dispatched, not yet running) task; the flow goes back to waiting. */
    public TaskView cancel(String taskId) {
        store.tasks.get(taskId).orElseThrow(() -> new TaskNotFoundException(taskId));
        Instant now = clock.instant();
        if (!store.cancelQueued(taskId, "cancelled by user", now, true)) {
            TaskItem cur = store.tasks.get(taskId).orElseThrow(() -> new TaskNotFoundException(taskId));
            if (TaskStatus.CANCELLED.name().equals(cur.getStatus())) return FlowItems.view(cur);
            throw new FlowConflictException("task " + taskId + " is " + cur.getStatus().toLowerCase(java.util.Locale.ROOT)
                    + "; only queued tasks can be cancelled");
        }
        return task(taskId);
    }

    public TaskView task(String taskId) {
        return FlowItems.view(store.tasks.get(taskId).orElseThrow(() -> new TaskNotFoundException(taskId)));
    }

    /** A dataset's tasks, newest first. */
    public List<TaskView> tasks(String datasetId, int limit) {
        return store.tasks.byDataset(datasetId, limit).stream().map(FlowItems::view).toList();
    }

    /** The node's newest tasks (last {@value #RECENT_DAYS} days), newest first. */
    public List<TaskView> recentTasks(int limit) {
        return store.tasks.recent(clock.instant(), limit, RECENT_DAYS).stream().map(FlowItems::view).toList();
    }
}
