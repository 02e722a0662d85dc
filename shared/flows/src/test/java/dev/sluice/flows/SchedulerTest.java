package dev.sluice.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.state.IdempotencyStore;
import dev.sluice.state.items.FlowItem;
import dev.sluice.state.items.IdempotencyItem;
import dev.sluice.state.items.TaskItem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ticks, claims, the runner and the service against real (embedded dynalite) tables. */
class SchedulerTest {
    static final Duration HOUR = Duration.ofHours(1);

    TestState state;
    ScriptedExecutor ingest;
    ScriptedExecutor transform;
    List<String> dispatched;
    FlowSystem flows;

    @BeforeEach
    void open() {
        state = TestState.open();
        ingest = new ScriptedExecutor(FlowType.INGEST);
        transform = new ScriptedExecutor(FlowType.TRANSFORM);
        dispatched = Collections.synchronizedList(new ArrayList<>());
        flows = system(SchedulerConfig.defaults(), true);
    }

    /** A flow system whose dispatcher runs tasks inline ({@code run}) or only records them. */
    FlowSystem system(SchedulerConfig config, boolean run) {
        return FlowSystem.builder(state.tables).clock(state.clock).random(new Random(3)).config(config)
                .executors(List.of(ingest, transform))
                .dispatcher(runner -> task -> {
                    dispatched.add(task.taskId());
                    if (run) runner.run(task.taskId());
                }).build();
    }

    @AfterEach
    void close() {
        flows.close();
        state.close();
    }

    Instant now() {
        return state.clock.instant();
    }

    FlowService service() {
        return flows.service();
    }

    /** {@code n} ingest flows with an hourly interval, all due now. */
    List<String> hourlyIngestFlows(int n, FlowConfig base) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "did:odf:ds-" + i;
            service().setConfig(id, FlowType.INGEST, base);
            ids.add(id);
        }
        return ids;
    }

    static FlowConfig hourly() {
        return FlowConfig.of(new FlowTrigger.Interval(HOUR));
    }

    List<TaskView> tasks(String datasetId) {
        return service().tasks(datasetId, 100);
    }

    @Test
    void theSameTickEventTwiceRunsEachDueFlowOnce() {
        List<String> ids = hourlyIngestFlows(5, hourly());
        TickResult first = flows.scheduler().tick("evt-1", now());
        assertEquals(new TickResult("evt-1", 5, 5, 4, 0, false), first, "4 dispatched: the default budget");
        TickResult again = flows.scheduler().tick("evt-1", now());
        assertEquals(new TickResult("evt-1", 5, 5, 4, 0, true), again, "a redelivery answers with the first delivery's counts");
        // the fifth task is dispatched by the next (different) tick; nothing is created twice
        TickResult next = flows.scheduler().tick("evt-2", now());
        assertEquals(0, next.due());
        assertEquals(1, next.dispatched());
        for (String id : ids) {
            assertEquals(1, ingest.runs(id), id);
            assertEquals(1, tasks(id).size(), id);
            assertEquals(TaskStatus.SUCCEEDED, tasks(id).get(0).status());
            assertEquals(TriggerCause.SCHEDULE, tasks(id).get(0).trigger());
            FlowView f = service().flow(id, FlowType.INGEST);
            assertEquals(FlowStatus.WAITING, f.status());
            assertEquals(now().plus(HOUR), f.nextDueAt(), "anchored at the slot it ran for");
            assertEquals(TaskStatus.SUCCEEDED, f.lastTaskStatus());
            assertEquals("7 new records", f.lastOutcome());
        }
        assertEquals("evt-1", state.tables.tasks.getItem(r -> r.key(k -> k.partitionValue(tasks(ids.get(0)).get(0).taskId()))).getTickId());
    }

    @Test
    void twoTicksRacingCreateExactlyOneTaskPerDueFlow() throws Exception {
        flows.close();
        flows = system(SchedulerConfig.defaults().withMaxConcurrent(100), false);
        List<String> ids = hourlyIngestFlows(30, hourly());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                CyclicBarrier barrier = new CyclicBarrier(2);
                Instant at = now();
                String r = "r" + round;
                Future<TickResult> a = pool.submit(() -> {
                    barrier.await();
                    return flows.scheduler().tick(r + "-a", at);
                });
                Future<TickResult> b = pool.submit(() -> {
                    barrier.await();
                    return flows.scheduler().tick(r + "-b", at);
                });
                TickResult ra = a.get();
                TickResult rb = b.get();
                assertEquals(30, ra.claimed() + rb.claimed(), ra + " " + rb);
                assertEquals(30, ra.dispatched() + rb.dispatched(), ra + " " + rb);
                for (String id : ids) assertEquals(round + 1, tasks(id).size(), id + " round " + round);
                assertEquals(30 * (round + 1), dispatched.size());
                assertEquals(dispatched.size(), Set.copyOf(dispatched).size(), "no task dispatched twice");
                for (String id : ids) {
                    String taskId = service().flow(id, FlowType.INGEST).activeTaskId();
                    assertEquals(TaskRunner.Result.SUCCEEDED, flows.runner().run(taskId));
                    assertEquals(TaskRunner.Result.SKIPPED, flows.runner().run(taskId), "a second worker finds it done");
                }
                state.clock.advance(HOUR);
            }
        } finally {
            pool.shutdownNow();
        }
        for (String id : ids) assertEquals(3, ingest.runs(id), id);
    }

    @Test
    void aClaimInterruptedBetweenItsTwoWritesIsAdoptedByTheNextTick() {
        String id = hourlyIngestFlows(1, hourly()).get(0);
        FlowItem f = state.tables.flows.getItem(r -> r.key(k -> k.partitionValue(id).sortValue("INGEST")));
        // the first write of a claim (the task) landed, the flow write did not
        TaskItem orphan = new TaskItem();
        orphan.setTaskId(FlowStore.taskIdFor(f));
        orphan.setDatasetId(id);
        orphan.setFlowType("INGEST");
        orphan.setFlowId(f.getFlowId());
        orphan.setFlowVersion(f.getVersion());
        orphan.setStatus("QUEUED");
        orphan.setTrigger("SCHEDULE");
        orphan.setCreatedAt(now().toEpochMilli());
        orphan.setAttempt(1);
        orphan.setPriority(0);
        new FlowStore(null, new dev.sluice.state.TaskRepository(state.tables), state.clock, new Random(), HOUR).enqueue(orphan);
        assertTrue(new dev.sluice.state.TaskRepository(state.tables).create(orphan));
        TickResult r = flows.scheduler().tick("evt-after-crash", now());
        assertEquals(1, r.claimed());
        assertEquals(1, tasks(id).size());
        assertEquals(orphan.getTaskId(), tasks(id).get(0).taskId());
        assertEquals(TaskStatus.SUCCEEDED, tasks(id).get(0).status());
        assertEquals(1, ingest.runs(id));
    }

    @Test
    void aTaskEndThatTheFlowNeverRecordedIsRecoveredByATick() {
        flows.close();
        flows = system(SchedulerConfig.defaults(), false);
        String id = hourlyIngestFlows(1, hourly()).get(0);
        flows.scheduler().tick("t1", now());
        String taskId = dispatched.get(0);
        // a worker wrote the task's end (with its recovery lease) and died before the flow write
        var repo = new dev.sluice.state.TaskRepository(state.tables);
        TaskItem t = repo.get(taskId).orElseThrow();
        t.setStatus("FAILED");
        t.setOutcome("failed (retryable): HTTP 500");
        t.setError("HTTP 500");
        t.setRetryable(true);
        t.setAttempt(1);
        new FlowStore(null, repo, state.clock, new Random(), HOUR).lease(t, "ended:FAILED", now().plus(FlowStore.FINISH_GRACE).toEpochMilli());
        assertTrue(repo.update(t, "QUEUED"));
        assertEquals(FlowStatus.RUNNING, service().flow(id, FlowType.INGEST).status());
        assertEquals(new Scheduler.Leases(0, 0, 0, 0), flows.scheduler().requeueExpired(now()), "not in flight, not yet expired");
        state.clock.advance(FlowStore.FINISH_GRACE);
        assertEquals(new Scheduler.Leases(0, 0, 0, 1), flows.scheduler().requeueExpired(now()));
        FlowView f = service().flow(id, FlowType.INGEST);
        assertEquals(FlowStatus.WAITING, f.status(), "no retries configured: the run failed");
        assertEquals(1, f.consecutiveFailures());
        assertEquals(TaskStatus.FAILED, f.lastTaskStatus());
        assertNull(f.activeTaskId());
        assertTrue(repo.leased().isEmpty(), "released from the lease index");
        assertEquals(new Scheduler.Leases(0, 0, 0, 0), flows.scheduler().requeueExpired(now()));
    }

    @Test
    void retryThenSuccess() {
        String id = "did:odf:retry";
        service().setConfig(id, FlowType.INGEST, hourly().withRetry(new RetryPolicy(3, Duration.ofSeconds(30), RetryPolicy.Backoff.LINEAR)));
        ingest.script(id, TaskOutcome.retryable("HTTP 503"), TaskOutcome.retryable("HTTP 502"));
        Instant start = now();
        flows.scheduler().tick("t1", now());
        FlowView f = service().flow(id, FlowType.INGEST);
        assertEquals(FlowStatus.RETRYING, f.status());
        assertEquals(start.plusSeconds(30), f.nextDueAt(), "first retry after minDelay");
        state.clock.advance(Duration.ofSeconds(29));
        assertEquals(0, flows.scheduler().tick("t2", now()).claimed(), "not due before the backoff");
        state.clock.advance(Duration.ofSeconds(1));
        flows.scheduler().tick("t3", now());
        f = service().flow(id, FlowType.INGEST);
        assertEquals(FlowStatus.RETRYING, f.status());
        assertEquals(now().plusSeconds(60), f.nextDueAt(), "linear: 2 × minDelay after the second failure");
        state.clock.advance(Duration.ofSeconds(60));
        flows.scheduler().tick("t4", now());
        List<TaskView> ts = tasks(id);
        assertEquals(List.of(3, 2, 1), ts.stream().map(TaskView::attempt).toList());
        assertEquals(List.of(TaskStatus.SUCCEEDED, TaskStatus.FAILED, TaskStatus.FAILED), ts.stream().map(TaskView::status).toList());
        assertEquals(List.of(TriggerCause.RETRY, TriggerCause.RETRY, TriggerCause.SCHEDULE), ts.stream().map(TaskView::trigger).toList());
        assertEquals("HTTP 503", ts.get(2).error());
        assertTrue(ts.get(2).log().stream().anyMatch(l -> l.contains("failed (retryable): HTTP 503")), ts.get(2).log().toString());
        f = service().flow(id, FlowType.INGEST);
        assertEquals(FlowStatus.WAITING, f.status());
        assertEquals(0, f.consecutiveFailures());
        assertEquals(start.plus(HOUR), f.nextDueAt(), "the schedule continues at its slot");
    }

    @Test
    void stopPolicyPausesAfterConsecutiveFailedRunsAndResumeRestarts() {
        String id = "did:odf:broken";
        service().setConfig(id, FlowType.INGEST, hourly()
                .withRetry(new RetryPolicy(2, Duration.ofSeconds(10), RetryPolicy.Backoff.FIXED))
                .withStop(new StopPolicy.AfterConsecutiveFailures(2)));
        ingest.hook = ctx -> TaskOutcome.retryable("connection refused");
        int tick = 0;
        for (int run = 1; run <= 2; run++) {
            flows.scheduler().tick("run" + run + "-" + tick++, now());
            state.clock.advance(Duration.ofSeconds(10));
            flows.scheduler().tick("run" + run + "-" + tick++, now());
            FlowView f = service().flow(id, FlowType.INGEST);
            assertEquals(run, f.consecutiveFailures(), "a run counts once, after its retries");
            if (run == 1) {
                assertEquals(FlowStatus.WAITING, f.status());
                state.clock.set(f.nextDueAt());
            }
        }
        FlowView paused = service().flow(id, FlowType.INGEST);
        assertEquals(FlowStatus.PAUSED, paused.status());
        assertEquals("stopped after 2 consecutive failures; last error: connection refused", paused.pausedReason());
        assertNull(paused.nextDueAt());
        assertEquals(4, ingest.runs(id));
        state.clock.advance(Duration.ofDays(1));
        assertEquals(0, flows.scheduler().tick("later", now()).due(), "a paused flow is not in the due index");
        assertEquals(4, ingest.runs(id));

        ingest.hook = null;
        FlowView resumed = service().resume(id, FlowType.INGEST);
        assertEquals(FlowStatus.WAITING, resumed.status());
        assertEquals(0, resumed.consecutiveFailures());
        assertNull(resumed.pausedReason());
        assertEquals(now(), resumed.nextDueAt());
        flows.scheduler().tick("resumed", now());
        assertEquals(5, ingest.runs(id));
        assertEquals(TaskStatus.SUCCEEDED, service().flow(id, FlowType.INGEST).lastTaskStatus());
    }

    @Test
    void permanentFailuresAreNotRetriedAndAMissingExecutorIsOne() {
        service().setConfig("did:odf:p", FlowType.INGEST, hourly().withRetry(new RetryPolicy(5, Duration.ZERO, RetryPolicy.Backoff.FIXED)));
        ingest.script("did:odf:p", TaskOutcome.permanent("schema mismatch"));
        service().setConfig("did:odf:c", FlowType.COMPACTION, FlowConfig.of(FlowTrigger.Cron.of("* * * * *"))
                .withRetry(new RetryPolicy(5, Duration.ZERO, RetryPolicy.Backoff.FIXED)));
        state.clock.advance(Duration.ofMinutes(1));
        flows.scheduler().tick("t", now());
        assertEquals(1, tasks("did:odf:p").size());
        assertEquals("schema mismatch", tasks("did:odf:p").get(0).error());
        assertEquals(1, service().flow("did:odf:p", FlowType.INGEST).consecutiveFailures());
        assertEquals(FlowStatus.WAITING, service().flow("did:odf:p", FlowType.INGEST).status());
        TaskView c = tasks("did:odf:c").get(0);
        assertEquals(TaskStatus.FAILED, c.status());
        assertEquals("no executor for compaction flows on this node", c.error());
    }

    @Test
    void anExecutorThatThrowsIsARetryableFailure() {
        service().setConfig("did:odf:x", FlowType.INGEST, hourly().withRetry(new RetryPolicy(2, Duration.ZERO, RetryPolicy.Backoff.FIXED)));
        ingest.hook = ctx -> {
            if (ctx.attempt() == 1) throw new IllegalStateException("boom");
            return null;
        };
        flows.scheduler().tick("t1", now());
        state.clock.advance(Duration.ofMillis(1));
        flows.scheduler().tick("t2", now());
        List<TaskView> ts = tasks("did:odf:x");
        assertEquals("IllegalStateException: boom", ts.get(1).error());
        assertEquals(TaskStatus.SUCCEEDED, ts.get(0).status());
    }

    @Test
    void pauseStopsSchedulingAndCancelsAQueuedTask() {
        flows.close();
        flows = system(SchedulerConfig.defaults().withMaxConcurrent(1), false);
        List<String> ids = hourlyIngestFlows(2, hourly());
        flows.scheduler().tick("t1", now()); // both claimed, one dispatched (budget 1), one queued
        String queuedFlow = ids.stream().filter(id -> {
            String active = service().flow(id, FlowType.INGEST).activeTaskId();
            return !dispatched.contains(active);
        }).findFirst().orElseThrow();
        String queuedTask = service().flow(queuedFlow, FlowType.INGEST).activeTaskId();
        FlowView p = service().pause(queuedFlow, FlowType.INGEST);
        assertEquals(FlowStatus.PAUSED, p.status());
        assertEquals("paused by user", p.pausedReason());
        assertNull(p.activeTaskId());
        TaskView cancelled = service().task(queuedTask);
        assertEquals(TaskStatus.CANCELLED, cancelled.status());
        assertEquals("cancelled: the flow was paused", cancelled.outcome());
        assertEquals(p, service().pause(queuedFlow, FlowType.INGEST), "pausing twice changes nothing");
        state.clock.advance(Duration.ofDays(2));
        flows.scheduler().tick("t2", now());
        assertEquals(1, tasks(queuedFlow).size(), "no new task while paused");
        FlowView r = service().resume(queuedFlow, FlowType.INGEST);
        assertEquals(FlowStatus.WAITING, r.status());
        assertEquals(now(), r.nextDueAt());
        assertThrows(FlowNotFoundException.class, () -> service().pause("did:odf:none", FlowType.INGEST));
    }

    @Test
    void prioritiesDecideTheOrderUnderABudgetOfOne() {
        flows.close();
        flows = system(SchedulerConfig.defaults().withMaxConcurrent(1), true);
        int[] priorities = {1, 50, 10, 50};
        for (int i = 0; i < priorities.length; i++) {
            service().setConfig("did:odf:p" + i, FlowType.INGEST, hourly().withPriority(priorities[i]));
            state.clock.advance(Duration.ofMillis(1)); // equal priorities: the flow due longest goes first
        }
        TickResult first = flows.scheduler().tick("t0", now());
        assertEquals(4, first.claimed());
        assertEquals(1, first.dispatched());
        for (int i = 1; i < 4; i++) assertEquals(1, flows.scheduler().tick("t" + i, now()).dispatched());
        assertEquals(List.of("did:odf:p1", "did:odf:p3", "did:odf:p2", "did:odf:p0"), ingest.order);
        // a manual trigger with a higher priority overtakes queued work
        flows.close();
        ingest.order.clear();
        dispatched.clear();
        flows = system(SchedulerConfig.defaults().withMaxConcurrent(1), false);
        state.clock.advance(HOUR);
        flows.scheduler().tick("t-next", now()); // claims all four; p1 (50) dispatched, not run
        TriggerResult manual = service().trigger("did:odf:urgent", FlowType.INGEST, 999);
        assertTrue(manual.created());
        assertEquals(TaskStatus.QUEUED, manual.task().status());
        assertEquals(999, manual.task().priority());
        assertEquals(TriggerCause.MANUAL, manual.task().trigger());
        flows.runner().run(dispatched.get(0));
        flows.scheduler().tick("t-after", now());
        assertEquals(2, dispatched.size());
        assertEquals(manual.task().taskId(), dispatched.get(1), "the urgent task goes next");
    }

    /** The budget counts dispatched and running tasks; the rest stay QUEUED and go out by priority on later ticks. */
    @Test
    void theBudgetCapsTasksInFlightAndLaterTicksDispatchTheRestByPriority() {
        flows.close();
        flows = system(SchedulerConfig.defaults().withMaxConcurrent(3), false);
        int[] priorities = {5, 90, 40, 70, 10, 60, 20};
        for (int i = 0; i < priorities.length; i++) service().setConfig("did:odf:b" + i, FlowType.INGEST, hourly().withPriority(priorities[i]));
        Function<Integer, String> taskOf = i -> service().flow("did:odf:b" + i, FlowType.INGEST).activeTaskId();
        assertEquals(new TickResult("t1", 7, 7, 3, 0, false), flows.scheduler().tick("t1", now()));
        assertEquals(List.of(taskOf.apply(1), taskOf.apply(3), taskOf.apply(5)), dispatched, "90, 70, 60");
        for (int i : new int[] {0, 2, 4, 6}) {
            TaskItem t = state.tables.tasks.getItem(r -> r.key(k -> k.partitionValue(taskOf.apply(i))));
            assertEquals(TaskStatus.QUEUED.name(), t.getStatus());
            assertNull(t.getLeaseOwner(), "over the budget: not dispatched");
        }
        assertEquals(0, flows.scheduler().tick("t2", now()).dispatched(), "three dispatched, none running yet: budget full");
        assertEquals(TaskRunner.Result.SUCCEEDED, flows.runner().run(dispatched.get(0)));
        assertEquals(TaskRunner.Result.SUCCEEDED, flows.runner().run(dispatched.get(1)));
        assertEquals(2, flows.scheduler().tick("t3", now()).dispatched(), "two slots freed");
        assertEquals(List.of(taskOf.apply(2), taskOf.apply(6)), dispatched.subList(3, 5), "then 40, 20");
        // dispatched but never picked up: when the dispatch leases run out they are queued and go out again by priority
        state.clock.advance(SchedulerConfig.defaults().dispatchLease().plusSeconds(1));
        TickResult t4 = flows.scheduler().tick("t4", now());
        assertEquals(3, t4.requeued());
        assertEquals(3, t4.dispatched());
        assertEquals(List.of(taskOf.apply(5), taskOf.apply(2), taskOf.apply(6)), dispatched.subList(5, 8), "60, 40, 20 again");
        assertEquals(8, dispatched.size());
        assertEquals(0, ingest.runs("did:odf:b0") + ingest.runs("did:odf:b4"), "5 and 10 still wait");
    }

    /** Tick records expire after a day; dynalite has no TTL, so each tick deletes a bounded batch of expired ones. */
    @Test
    void expiredTickRecordsAreDeletedABoundedBatchPerTick() {
        IdempotencyStore records = new IdempotencyStore(state.tables, state.clock);
        for (int i = 0; i < 25; i++) flows.scheduler().tick("old-" + i, now());
        assertEquals(25, tickRecords());
        state.clock.advance(Duration.ofHours(23));
        flows.scheduler().tick("young", now());
        assertEquals(26, tickRecords(), "none expired yet");
        state.clock.advance(Duration.ofHours(2)); // the 25 old ones are past the day's retention, "young" is not
        assertNotNull(records.get("tick/old-0"), "expired, not deleted yet: no TTL here");
        flows.scheduler().tick("x1", now());
        assertEquals(26 + 1 - Scheduler.TICK_RECORDS_SWEPT_PER_TICK, tickRecords(), "x1 added, 10 deleted");
        flows.scheduler().tick("x2", now());
        assertEquals(26 + 2 - 20, tickRecords());
        flows.scheduler().tick("x3", now());
        assertEquals(26 + 3 - 25, tickRecords(), "the last 5 expired ones");
        assertEquals(List.of("tick/x1", "tick/x2", "tick/x3", "tick/young"), state.tables.idempotency.scan().items().stream()
                .map(IdempotencyItem::getId).sorted().toList());
        // an expired record counts as absent: a (very) late redelivery is processed like a new event
        assertFalse(flows.scheduler().tick("old-0", now()).duplicate());
        assertTrue(flows.scheduler().tick("old-0", now()).duplicate());
    }

    private long tickRecords() {
        return state.tables.idempotency.scan().items().stream().filter(i -> i.getId().startsWith("tick/")).count();
    }

    @Test
    void expiredLeasesAreRequeuedAndAStaleWorkersResultIsDiscarded() {
        flows.close();
        SchedulerConfig cfg = SchedulerConfig.defaults().withLeaseDuration(Duration.ofMinutes(2));
        flows = system(cfg, false);
        String id = hourlyIngestFlows(1, hourly()).get(0);
        flows.scheduler().tick("t1", now());
        String taskId = dispatched.get(0);
        // 1. the dispatch event is lost: after the dispatch lease the task is queued again and re-dispatched
        state.clock.advance(cfg.dispatchLease().plusSeconds(1));
        TickResult t2 = flows.scheduler().tick("t2", now());
        assertEquals(1, t2.requeued());
        assertEquals(1, t2.dispatched());
        assertEquals(List.of(taskId, taskId), dispatched);
        // 2. a worker runs it but stalls past its lease; the next tick re-queues it while it works
        List<TaskRunner.Result> results = new ArrayList<>();
        ingest.hook = ctx -> {
            if (ingest.runs(id) == 1) {
                state.clock.advance(Duration.ofMinutes(3));
                TickResult t3 = flows.scheduler().tick("t3", now());
                assertEquals(1, t3.requeued());
                assertThrows(FlowTaskContext.LeaseLostException.class, ctx::renewLease);
                results.add(flows.runner().run(ctx.taskId())); // the re-dispatched attempt, by another worker
            }
            return null;
        };
        TaskRunner.Result stale = flows.runner().run(taskId);
        assertEquals(TaskRunner.Result.LEASE_LOST, stale);
        assertTrue(new dev.sluice.state.TaskRepository(state.tables).leased().isEmpty(), "nothing left in the lease index");
        assertEquals(List.of(TaskRunner.Result.SUCCEEDED), results);
        TaskView t = service().task(taskId);
        assertEquals(TaskStatus.SUCCEEDED, t.status());
        assertEquals(1, t.requeues());
        assertTrue(t.log().stream().anyMatch(l -> l.contains("expired") && l.contains("re-queued")), t.log().toString());
        assertEquals(2, ingest.runs(id));
        assertEquals(1, tasks(id).size());
        assertEquals(FlowStatus.WAITING, service().flow(id, FlowType.INGEST).status());
    }

    @Test
    void aTaskWhoseWorkerKeepsDyingFailsAfterMaxRequeues() {
        flows.close();
        SchedulerConfig cfg = new SchedulerConfig(4, 1000, Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMinutes(5), 2, 4);
        flows = system(cfg, false);
        String id = hourlyIngestFlows(1, hourly()).get(0);
        flows.scheduler().tick("t0", now());
        String taskId = dispatched.get(0);
        ingest.hook = ctx -> {
            throw new FlowTaskContext.LeaseLostException(ctx.taskId()); // stands in for a worker that dies mid-task
        };
        for (int i = 1; i <= 3; i++) {
            assertEquals(TaskRunner.Result.LEASE_LOST, flows.runner().run(taskId));
            state.clock.advance(Duration.ofMinutes(2));
            flows.scheduler().tick("t" + i, now());
        }
        TaskView t = service().task(taskId);
        assertEquals(TaskStatus.FAILED, t.status());
        assertEquals("lease expired 3 times: the worker was lost", t.error());
        FlowView f = service().flow(id, FlowType.INGEST);
        assertEquals(1, f.consecutiveFailures());
        assertEquals(TaskStatus.FAILED, f.lastTaskStatus());
        assertNull(f.activeTaskId());
    }

    @Test
    void reactiveFlowsBatchByRecordCountAndMaxWait() {
        String up = "did:odf:upstream";
        String down = "did:odf:down";
        state.dataset(up, Set.of(down, "did:odf:no-flow"));
        service().setConfig(down, FlowType.TRANSFORM, FlowConfig.of(new FlowTrigger.Reactive(100, Duration.ofMinutes(10))));
        FlowView f = service().flow(down, FlowType.TRANSFORM);
        assertEquals(now().plus(HOUR), f.nextDueAt(), "awaiting input; a recheck of the inputs in an hour");
        Instant first = now();
        assertEquals(1, flows.scheduler().onInputUpdated(up, 30, now()));
        assertEquals(first.plus(Duration.ofMinutes(10)), service().flow(down, FlowType.TRANSFORM).nextDueAt());
        state.clock.advance(Duration.ofMinutes(1));
        assertEquals(0, flows.scheduler().tick("r1", now()).due());
        flows.scheduler().onInputUpdated(up, 80, now());
        assertEquals(now(), service().flow(down, FlowType.TRANSFORM).nextDueAt(), "min records reached: due now");
        flows.scheduler().tick("r2", now());
        TaskView t = tasks(down).get(0);
        assertEquals(TriggerCause.INPUT_UPDATED, t.trigger());
        assertEquals(110, t.inputRecords());
        assertEquals(110, transform.contexts.get(0).inputRecords());
        assertEquals(now().plus(HOUR), service().flow(down, FlowType.TRANSFORM).nextDueAt(), "nothing pending after the run: the recheck");
        assertEquals(0, service().flow(down, FlowType.TRANSFORM).pendingRecords());

        // fewer than min records: due maxBatchingInterval after the first of them
        state.clock.advance(Duration.ofMinutes(5));
        Instant firstOfBatch = now();
        flows.scheduler().onInputUpdated(up, 5, now());
        state.clock.advance(Duration.ofMinutes(3));
        flows.scheduler().onInputUpdated(up, 2, now());
        state.clock.set(firstOfBatch.plus(Duration.ofMinutes(10)).minusMillis(1));
        assertEquals(0, flows.scheduler().tick("r3", now()).due());
        state.clock.set(firstOfBatch.plus(Duration.ofMinutes(10)));
        assertEquals(1, flows.scheduler().tick("r4", now()).claimed());
        assertEquals(7, tasks(down).get(0).inputRecords());
        assertEquals(2, transform.runs(down));
        assertEquals(0, flows.scheduler().onInputUpdated("did:odf:no-downstream", 10, now()));
    }

    @Test
    void inputArrivingWhileATransformRunsMakesItDueAfterwards() {
        String up = "did:odf:up2";
        String down = "did:odf:down2";
        state.dataset(up, Set.of(down));
        service().setConfig(down, FlowType.TRANSFORM, FlowConfig.of(FlowTrigger.Reactive.immediate()));
        flows.scheduler().onInputUpdated(up, 1, now());
        transform.hook = ctx -> {
            if (transform.runs(down) == 1) flows.scheduler().onInputUpdated(up, 4, state.clock.instant());
            return null;
        };
        flows.scheduler().tick("a", now());
        FlowView f = service().flow(down, FlowType.TRANSFORM);
        assertEquals(4, f.pendingRecords());
        assertEquals(now(), f.nextDueAt());
        state.clock.advance(Duration.ofMillis(1));
        flows.scheduler().tick("b", now());
        assertEquals(2, transform.runs(down));
        assertEquals(4, tasks(down).get(0).inputRecords());
    }

    @Test
    void manualTriggerCancelAndListings() {
        flows.close();
        flows = system(SchedulerConfig.defaults(), false);
        String id = "did:odf:m";
        TriggerResult r = service().trigger(id, FlowType.RESET, null);
        assertTrue(r.created());
        assertEquals(TaskStatus.QUEUED, r.task().status());
        assertEquals(List.of(r.task().taskId()), dispatched, "dispatched right away");
        TriggerResult again = service().trigger(id, FlowType.RESET, 5);
        assertFalse(again.created());
        assertEquals(r.task().taskId(), again.task().taskId(), "one task at a time per flow");
        TaskView c = service().cancel(r.task().taskId());
        assertEquals(TaskStatus.CANCELLED, c.status());
        assertEquals(c.taskId(), service().cancel(r.task().taskId()).taskId(), "cancelling twice is harmless");
        FlowView f = service().flow(id, FlowType.RESET);
        assertEquals(FlowStatus.WAITING, f.status());
        assertNull(f.activeTaskId());
        assertNull(f.nextDueAt(), "manual-only flow");
        assertEquals(TaskStatus.CANCELLED, f.lastTaskStatus());
        assertEquals(TaskRunner.Result.SKIPPED, flows.runner().run(r.task().taskId()), "a cancelled task does not run");

        // running tasks cannot be cancelled
        state.clock.advance(Duration.ofMillis(1));
        TriggerResult r2 = service().trigger(id, FlowType.RESET, null);
        ScriptedExecutor reset = new ScriptedExecutor(FlowType.RESET);
        FlowSystem withReset = FlowSystem.builder(state.tables).clock(state.clock).executor(reset).dispatcher(x -> y -> { }).build();
        reset.hook = ctx -> {
            FlowConflictException e = assertThrows(FlowConflictException.class, () -> service().cancel(ctx.taskId()));
            assertTrue(e.getMessage().contains("is running"), e.getMessage());
            return TaskOutcome.upToDate();
        };
        assertEquals(TaskRunner.Result.SUCCEEDED, withReset.runner().run(r2.task().taskId()));
        assertEquals("up to date", service().task(r2.task().taskId()).outcome());
        assertThrows(TaskNotFoundException.class, () -> service().cancel("task-nope"));

        service().setConfig(id, FlowType.INGEST, hourly());
        List<FlowView> list = service().flows(id);
        assertEquals(List.of(FlowType.INGEST, FlowType.RESET), list.stream().map(FlowView::type).toList());
        assertEquals(new FlowTrigger.Interval(HOUR), list.get(0).config().trigger());
        assertEquals(List.of(r2.task().taskId(), r.task().taskId()), tasks(id).stream().map(TaskView::taskId).toList());
        assertEquals(2, service().recentTasks(10).size());
        assertTrue(service().flows("did:odf:unknown").isEmpty());
    }

    @Test
    void configChangesTakeEffectAndRoundTrip() {
        String id = "did:odf:cfg";
        FlowConfig cfg = FlowConfig.of(FlowTrigger.Cron.of("0 */6 * * *"))
                .withRetry(new RetryPolicy(4, Duration.ofSeconds(15), RetryPolicy.Backoff.EXPONENTIAL_WITH_JITTER))
                .withStop(new StopPolicy.AfterConsecutiveFailures(3)).withPriority(7)
                .withOptions(java.util.Map.of("fetchUncacheable", "true"));
        FlowView v = service().setConfig(id, FlowType.INGEST, cfg);
        assertEquals(cfg, v.config());
        assertEquals(Instant.parse("2025-03-01T12:00:00Z"), v.nextDueAt());
        assertEquals(cfg, service().flow(id, FlowType.INGEST).config());
        // same trigger, other knobs: the slot is kept
        assertEquals(Instant.parse("2025-03-01T12:00:00Z"), service().setConfig(id, FlowType.INGEST, cfg.withPriority(9)).nextDueAt());
        // another trigger: rescheduled
        assertEquals(now(), service().setConfig(id, FlowType.INGEST, FlowConfig.of(new FlowTrigger.Interval(HOUR))).nextDueAt());
        assertNull(service().setConfig(id, FlowType.INGEST, FlowConfig.manual()).nextDueAt());
        var bad = assertThrows(FlowConfigException.class,
                () -> service().setConfig(id, FlowType.INGEST, FlowConfig.of(FlowTrigger.Reactive.immediate())));
        assertTrue(bad.getMessage().contains("ingest flows take a schedule"), bad.getMessage());
        assertNull(service().flow(id, FlowType.INGEST).config().trigger(), "a rejected config changes nothing");
        assertNotNull(service().flow(id, FlowType.INGEST));
    }
}
