package dev.sluice.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reactive recheck against real (embedded dynalite) tables: a reactive flow with nothing pending is due again after
 * the recheck interval, and the tick asks the {@link InputBacklog} what its inputs hold that it has not consumed. Here
 * the backlog is a table the test writes (shared/pipelines tests the log-reading one with real datasets); the
 * transform "consumes" by zeroing it.
 */
class ReactiveRecheckTest {
    static final Duration HOUR = Duration.ofHours(1);
    static final String DOWN = "did:odf:down";

    TestState state;
    ScriptedExecutor transform;
    FlowSystem flows;
    final Map<String, Long> backlog = new ConcurrentHashMap<>();
    final AtomicInteger backlogReads = new AtomicInteger();

    @BeforeEach
    void open() {
        state = TestState.open();
        transform = new ScriptedExecutor(FlowType.TRANSFORM);
        transform.hook = ctx -> {
            backlog.put(ctx.datasetId(), 0L); // the run consumes what the inputs hold
            return null;
        };
        flows = system(SchedulerConfig.defaults());
    }

    FlowSystem system(SchedulerConfig config) {
        return FlowSystem.builder(state.tables).clock(state.clock).random(new Random(5)).config(config).executor(transform)
                .inputBacklog(id -> {
                    backlogReads.incrementAndGet();
                    return backlog.getOrDefault(id, 0L);
                })
                .dispatcher(runner -> task -> runner.run(task.taskId())).build();
    }

    @AfterEach
    void close() {
        flows.close();
        state.close();
    }

    Instant now() {
        return state.clock.instant();
    }

    FlowView flow() {
        return flows.service().flow(DOWN, FlowType.TRANSFORM);
    }

    List<TaskView> tasks() {
        return flows.service().tasks(DOWN, 10);
    }

    @Test
    void aLostTriggerIsRecoveredByTheRecheckAndAnUpToDateFlowRunsNothing() {
        flows.service().setConfig(DOWN, FlowType.TRANSFORM, FlowConfig.of(new FlowTrigger.Reactive(10, Duration.ofMinutes(30))));
        assertEquals(now().plus(HOUR), flow().nextDueAt(), "nothing pending: armed for a recheck");

        // an input committed 12 records and the process died before the trigger call: the flow knows nothing
        backlog.put(DOWN, 12L);
        assertEquals(0, flows.scheduler().tick("before", now().plus(HOUR).minusMillis(1)).due());
        state.clock.advance(HOUR);
        TickResult r = flows.scheduler().tick("recheck-1", now());
        assertEquals(1, r.due());
        assertEquals(1, r.claimed());
        assertEquals(1, transform.runs(DOWN), "the transform ran exactly once");
        TaskView t = tasks().get(0);
        assertEquals(TaskStatus.SUCCEEDED, t.status());
        assertEquals(TriggerCause.INPUT_UPDATED, t.trigger());
        assertEquals(12, t.inputRecords());
        assertTrue(t.triggerDetail().startsWith("12 input records not consumed yet, found by the recheck"), t.triggerDetail());
        assertEquals(now().plus(HOUR), flow().nextDueAt(), "re-armed after the run");
        assertEquals(0, flows.scheduler().tick("recheck-1b", now()).due());

        // up to date: the next recheck reads the backlog and re-arms, without a task
        state.clock.advance(HOUR);
        int reads = backlogReads.get();
        r = flows.scheduler().tick("recheck-2", now());
        assertEquals(1, r.due());
        assertEquals(0, r.claimed());
        assertEquals(reads + 1, backlogReads.get());
        assertEquals(1, transform.runs(DOWN));
        assertEquals(1, tasks().size(), "no task");
        FlowView f = flow();
        assertEquals(FlowStatus.WAITING, f.status());
        assertEquals(0, f.pendingRecords());
        assertEquals(now().plus(HOUR), f.nextDueAt());
    }

    @Test
    void theBatchingRuleHoldsOnARecheck() {
        flows.service().setConfig(DOWN, FlowType.TRANSFORM, FlowConfig.of(new FlowTrigger.Reactive(10, Duration.ofMinutes(30))));
        backlog.put(DOWN, 4L); // fewer than minRecordsToAwait
        state.clock.advance(HOUR);
        TickResult r = flows.scheduler().tick("recheck", now());
        assertEquals(1, r.due());
        assertEquals(0, r.claimed(), "4 < 10 records: not yet");
        Instant found = now();
        FlowView f = flow();
        assertEquals(4, f.pendingRecords());
        assertEquals(found.plus(Duration.ofMinutes(30)), f.nextDueAt(), "due maxBatchingInterval after the records were found");
        assertEquals(0, transform.runs(DOWN));

        state.clock.set(found.plus(Duration.ofMinutes(30)).minusMillis(1));
        assertEquals(0, flows.scheduler().tick("early", now()).due());
        state.clock.set(found.plus(Duration.ofMinutes(30)));
        r = flows.scheduler().tick("batch", now());
        assertEquals(1, r.claimed());
        assertEquals(1, transform.runs(DOWN));
        assertEquals(4, tasks().get(0).inputRecords());
        assertEquals(1, tasks().size());
    }

    @Test
    void aTriggerReplacesTheRecheckTimeWithTheBatchingOne() {
        String up = "did:odf:up";
        state.dataset(up, Set.of(DOWN));
        // a batching interval longer than the recheck: records wait for it, the recheck does not cut it short
        flows.service().setConfig(DOWN, FlowType.TRANSFORM, FlowConfig.of(new FlowTrigger.Reactive(100, Duration.ofHours(3))));
        Instant first = now();
        assertEquals(1, flows.scheduler().onInputUpdated(up, 30, now()));
        assertEquals(first.plus(Duration.ofHours(3)), flow().nextDueAt());
        state.clock.advance(HOUR);
        assertEquals(0, flows.scheduler().tick("at-recheck-time", now()).due());
        state.clock.set(first.plus(Duration.ofHours(3)));
        assertEquals(1, flows.scheduler().tick("batch", now()).claimed());
        assertEquals(30, tasks().get(0).inputRecords());
        assertEquals(0, backlogReads.get(), "a flow with pending records runs without asking the log");
    }

    @Test
    void aFailingBacklogRunsTheTransformAndAZeroIntervalTurnsRechecksOff() {
        flows.close();
        flows = FlowSystem.builder(state.tables).clock(state.clock).executor(transform)
                .inputBacklog(id -> {
                    throw new IllegalStateException("storage unreachable");
                })
                .dispatcher(runner -> task -> runner.run(task.taskId())).build();
        flows.service().setConfig(DOWN, FlowType.TRANSFORM, FlowConfig.of(FlowTrigger.Reactive.immediate()));
        state.clock.advance(HOUR);
        assertEquals(1, flows.scheduler().tick("recheck", now()).claimed());
        assertEquals(1, transform.runs(DOWN), "the transform finds out itself");
        assertTrue(tasks().get(0).triggerDetail().startsWith("recheck of the inputs failed (storage unreachable)"), tasks().get(0).triggerDetail());

        flows.close();
        flows = system(SchedulerConfig.defaults().withReactiveRecheck(Duration.ZERO));
        String other = "did:odf:other";
        flows.service().setConfig(other, FlowType.TRANSFORM, FlowConfig.of(FlowTrigger.Reactive.immediate()));
        assertNull(flows.service().flow(other, FlowType.TRANSFORM).nextDueAt(), "no recheck: waits for its trigger alone");
    }
}
