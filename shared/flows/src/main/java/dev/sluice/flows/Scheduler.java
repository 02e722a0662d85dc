package dev.sluice.flows;

import dev.sluice.state.IdempotencyStore;
import dev.sluice.state.items.FlowItem;
import dev.sluice.state.items.TaskItem;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * The scheduler: everything a timer event does, and the reactive trigger.
 *
 * <p>{@link #tick}: (1) the tick event id is claimed in the idempotency table, so a redelivered tick returns the
 * first delivery's counts and changes nothing; (2) expired leases are re-queued (sharded lease index); (3) due flows
 * are read from the sharded due index — O(due), never a Scan — and each is claimed for exactly one task (see
 * {@link FlowStore}: the claim is conditional on the flow version read, so overlapping ticks with different ids
 * cannot both claim a slot either); (4) queued tasks are dispatched, highest priority first, while the concurrency
 * budget allows; (5) a bounded batch of expired tick records is deleted. Per due flow a tick costs two conditional
 * writes; per dispatched task one.
 *
 * <p><b>Reactive rechecks.</b> A reactive flow with nothing pending is still in the due index, at
 * {@link SchedulerConfig#reactiveRecheck} after it settled, so a commit whose trigger call was lost (a crash between
 * the head swap and {@link #onInputUpdated}) cannot leave it asleep: when such a flow is due the tick asks the
 * {@link InputBacklog} (the log: the derivative's last ExecuteTransform against its inputs' heads) how many input
 * records are not consumed. None: the recheck is re-armed (one conditional write, no task). Some: they become the
 * flow's pending records under its batching rule — a task now if {@code minRecordsToAwait} is reached, else the flow
 * is due {@code maxBatchingInterval} later. Still O(due): only due flows are rechecked.
 */
public final class Scheduler {
    private static final System.Logger LOG = System.getLogger(Scheduler.class.getName());
    static final String DISPATCH_OWNER_PREFIX = "dispatch:";
    static final String TICK_GROUP = "tick";
    /**
     * Expired tick records a tick deletes at most (where no TTL does it, e.g. dynalite): one tick a minute with a day's
     * retention expires about one record per tick, so this catches up with a backlog while keeping a tick O(due).
     */
    static final int TICK_RECORDS_SWEPT_PER_TICK = 10;

    private final FlowStore store;
    private final IdempotencyStore idempotency;
    private final DatasetDependencies dependencies;
    private final InputBacklog backlog;
    private final TaskDispatcher dispatcher;
    private final SchedulerConfig config;
    private final ExecutorService writers;

    Scheduler(FlowStore store, IdempotencyStore idempotency, DatasetDependencies dependencies, InputBacklog backlog,
            TaskDispatcher dispatcher, SchedulerConfig config, ExecutorService writers) {
        this.store = store;
        this.idempotency = idempotency;
        this.dependencies = dependencies;
        this.backlog = backlog;
        this.dispatcher = dispatcher;
        this.config = config;
        this.writers = writers;
    }

    /** Runs {@code work} for every item on the writer pool; the number of items it returned true for. */
    private <T> int inParallel(List<T> items, Predicate<T> work) {
        if (items.size() <= 1 || writers == null) {
            int n = 0;
            for (T item : items) if (work.test(item)) n++;
            return n;
        }
        List<Future<Boolean>> results = new ArrayList<>(items.size());
        for (T item : items) results.add(writers.submit(() -> work.test(item)));
        int n = 0;
        RuntimeException failure = null;
        for (Future<Boolean> f : results) {
            try {
                if (f.get()) n++;
            } catch (ExecutionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                if (failure == null) failure = cause; else failure.addSuppressed(cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during a tick", e);
            }
        }
        if (failure != null) throw failure;
        return n;
    }

    public SchedulerConfig config() {
        return config;
    }

    /** Processes one timer event. */
    public TickResult tick(String tickEventId, Instant now) {
        if (tickEventId == null || tickEventId.isBlank()) throw new IllegalArgumentException("tick event id is missing");
        if (now == null) throw new IllegalArgumentException("tick time is missing");
        IdempotencyStore.Begin begin = idempotency.begin(TICK_GROUP + "/" + tickEventId, config.tickLease());
        switch (begin.status()) {
            case COMPLETED:
                return TickResult.decode(tickEventId, begin.result());
            case IN_PROGRESS:
                return new TickResult(tickEventId, 0, 0, 0, 0, true);
            default:
                break;
        }
        try {
            Leases leases = requeueExpired(now);
            List<FlowItem> due = store.flows.due(now, config.maxClaimsPerTick());
            int claimed = inParallel(due, f -> {
                if (f.getActiveTaskId() != null) return false; // not claimable (an older writer left it in the index)
                if (FlowStore.isRecheck(f)) return recheck(f, tickEventId, now);
                TriggerCause cause = causeOf(f);
                return store.claim(f, cause, detail(f, cause, tickEventId), tickEventId, null, now);
            });
            int dispatched = dispatch(now, leases.inFlight());
            TickResult r = new TickResult(tickEventId, due.size(), claimed, dispatched, leases.requeued(), false);
            idempotency.complete(begin, r.encode());
            sweepTickRecords();
            return r;
        } catch (RuntimeException e) {
            try {
                idempotency.release(begin.id(), begin.owner()); // let a redelivery do the rest (claims are idempotent)
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * A due reactive flow with nothing pending: compares its inputs with what its last run consumed (see the class
     * comment). True when it claimed a task.
     */
    private boolean recheck(FlowItem f, String tickId, Instant now) {
        FlowTrigger.Reactive r = (FlowTrigger.Reactive) FlowItems.trigger(f);
        if (backlog == null) {
            return store.claim(f, TriggerCause.INPUT_UPDATED, "recheck of the inputs (by the transform itself), tick " + tickId, tickId, null, now);
        }
        long records;
        try {
            records = backlog.unconsumedRecords(f.getDatasetId());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "recheck of the inputs of " + f.getDatasetId() + " failed; running its transform: " + e);
            String why = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
            return store.claim(f, TriggerCause.INPUT_UPDATED, "recheck of the inputs failed (" + why + "); running the transform, tick "
                    + tickId, tickId, null, now);
        }
        f.setUpdatedAt(now);
        if (records <= 0) {
            f.setDueAt(FlowStore.nextDue(f, FlowItems.config(f), now, store.reactiveRecheck)); // re-armed (or off, if disabled since)
            store.flows.trySave(f); // lost: the flow changed meanwhile (new input, a config edit), which then decides
            return false;
        }
        f.setPendingRecords(records);
        f.setFirstPendingAt(now.toEpochMilli());
        Instant due = r.dueAt(records, now, now);
        if (!due.isAfter(now)) {
            return store.claim(f, TriggerCause.INPUT_UPDATED, records + " input records not consumed yet, found by the recheck (their trigger was lost), tick "
                    + tickId, tickId, null, now);
        }
        f.setDueAt(due.toEpochMilli()); // fewer than minRecordsToAwait: the batching rule holds
        store.flows.trySave(f);
        return false;
    }

    /** One Query of the idempotency table's expiry index, plus a delete per expired tick record (bounded). */
    private void sweepTickRecords() {
        try {
            idempotency.sweepExpired(TICK_GROUP, TICK_RECORDS_SWEPT_PER_TICK);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "deleting expired tick records failed (the next tick tries again): " + e);
        }
    }

    private static TriggerCause causeOf(FlowItem f) {
        if (FlowItems.status(f) == FlowStatus.RETRYING) return TriggerCause.RETRY;
        return FlowItems.REACTIVE.equals(f.getTriggerKind()) ? TriggerCause.INPUT_UPDATED : TriggerCause.SCHEDULE;
    }

    private static String detail(FlowItem f, TriggerCause cause, String tickId) {
        return switch (cause) {
            case RETRY -> "retry (attempt " + f.getRetryAttempt() + ") of " + f.getLastTaskId() + ", tick " + tickId;
            case INPUT_UPDATED -> FlowItems.longOr0(f.getPendingRecords()) + " new input records, tick " + tickId;
            default -> "schedule slot " + FlowItems.instant(f.getDueAt()) + ", tick " + tickId;
        };
    }

    /** Tasks holding a lease: how many are in flight, re-queued, failed (worker lost), and ended tasks recovered. */
    public record Leases(int inFlight, int requeued, int failed, int recovered) {}

    /**
     * Handles leases that ran out: a dispatched task no worker picked up, or a running task whose worker was lost, is
     * queued again — a running task that lost its worker {@code maxRequeues} times fails instead (so a task that kills
     * its worker cannot loop forever); a finished task whose flow bookkeeping was interrupted gets it redone. One
     * Query per shard: O(tasks in flight).
     */
    public Leases requeueExpired(Instant now) {
        int inFlight = 0;
        int requeued = 0;
        int failed = 0;
        int recovered = 0;
        for (TaskItem t : store.tasks.leased()) {
            TaskStatus status = TaskStatus.valueOf(t.getStatus());
            boolean expired = t.getLeaseUntil() <= now.toEpochMilli();
            if (status.finished()) {
                if (expired) {
                    store.recoverEnded(t, now);
                    recovered++;
                }
                continue;
            }
            if (!expired) {
                inFlight++;
                continue;
            }
            String owner = t.getLeaseOwner();
            Long until = t.getLeaseUntil();
            boolean running = status == TaskStatus.RUNNING;
            if (running && FlowItems.intOr0(t.getRequeues()) >= config.maxRequeues()) {
                String error = "lease expired " + (FlowItems.intOr0(t.getRequeues()) + 1) + " times: the worker was lost";
                FlowItems.appendLog(t, now + " " + error);
                var ended = new FlowStore.Ended(t.getTaskId(), TaskStatus.FAILED, "failed: " + error, error, false, FlowItems.intOr0(t.getAttempt()));
                if (store.endTask(t, ended, now, x -> store.tasks.updateLeased(x, status.name(), owner, until))) failed++;
                continue;
            }
            t.setStatus(TaskStatus.QUEUED.name());
            if (running) t.setRequeues(FlowItems.intOr0(t.getRequeues()) + 1);
            store.enqueue(t);
            FlowItems.appendLog(t, now + " lease of " + owner + " expired at " + Instant.ofEpochMilli(until) + "; re-queued");
            if (store.tasks.updateLeased(t, status.name(), owner, until)) requeued++;
        }
        return new Leases(inFlight, requeued, failed, recovered);
    }

    /** Dispatches queued tasks within the budget now (e.g. right after a manual trigger); returns how many. */
    public int dispatchQueued(Instant now) {
        return dispatch(now, requeueExpired(now).inFlight());
    }

    private int dispatch(Instant now, int inFlight) {
        int room = config.maxConcurrent() - inFlight;
        if (room <= 0) return 0;
        List<TaskItem> head = store.tasks.queued(room);
        Set<String> moved = ConcurrentHashMap.newKeySet();
        inParallel(head, t -> {
            store.lease(t, DISPATCH_OWNER_PREFIX + now.toEpochMilli(), now.plus(config.dispatchLease()).toEpochMilli());
            // only a task still queued and not yet dispatched (no lease) moves; a racing tick's dispatch loses here
            boolean ok = store.tasks.updateLeased(t, TaskStatus.QUEUED.name(), null, null);
            if (ok) moved.add(t.getTaskId());
            return ok;
        });
        int dispatched = 0;
        for (TaskItem t : head) { // handed over in priority order
            if (!moved.contains(t.getTaskId())) continue;
            try {
                dispatcher.dispatch(new DispatchedTask(t.getTaskId(), t.getDatasetId(), FlowType.valueOf(t.getFlowType())));
                dispatched++;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "dispatch of " + t.getTaskId() + " failed; it is re-queued when its dispatch lease ends: " + e);
            }
        }
        return dispatched;
    }

    /**
     * Reactive trigger: {@code newRecords} new records were committed to {@code upstreamDatasetId}. Each downstream
     * dataset's TRANSFORM flow with a reactive trigger accumulates them and becomes due when {@code minRecordsToAwait}
     * is reached, or {@code maxBatchingInterval} after the first pending record (one GetItem for the edges, one read
     * and one conditional write per downstream flow — no Scan). Returns how many flows were updated.
     */
    public int onInputUpdated(String upstreamDatasetId, long newRecords, Instant now) {
        if (newRecords <= 0) return 0;
        int updated = 0;
        for (String downstream : dependencies.downstreamOf(upstreamDatasetId)) {
            if (addPending(downstream, newRecords, now)) updated++;
        }
        return updated;
    }

    private boolean addPending(String datasetId, long newRecords, Instant now) {
        for (int i = 0; i < 32; i++) {
            FlowItem f = store.flow(datasetId, FlowType.TRANSFORM).orElse(null);
            if (f == null || !(FlowItems.trigger(f) instanceof FlowTrigger.Reactive r)) return false;
            boolean recheckArmed = FlowStore.isRecheck(f); // its due time is a recheck, not a batch: replaced, not kept
            long pending = FlowItems.longOr0(f.getPendingRecords()) + newRecords;
            f.setPendingRecords(pending);
            if (f.getFirstPendingAt() == null) f.setFirstPendingAt(now.toEpochMilli());
            if (FlowItems.status(f) == FlowStatus.WAITING && f.getActiveTaskId() == null) {
                long due = r.dueAt(pending, FlowItems.instant(f.getFirstPendingAt()), now).toEpochMilli();
                f.setDueAt(f.getDueAt() == null || recheckArmed ? due : Math.min(f.getDueAt(), due));
            }
            f.setUpdatedAt(now);
            if (store.flows.trySave(f)) return true;
        }
        throw new IllegalStateException("flow " + datasetId + "/TRANSFORM is changing too fast to add pending records");
    }
}
