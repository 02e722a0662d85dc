package dev.sluice.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.state.items.FlowItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A tick's DynamoDB work is O(due), not O(registered flows): with 10,000 flows of which 100 are due it makes exactly
 * the calls, and reads and writes exactly the items, that it makes with 100 flows that are all due — and both stay
 * under an explicit bound that a Scan or a read per registered flow would break.
 */
class TickScaleTest {
    static final int DUE = 100;

    record Cost(String calls, long totalCalls, long query, long scan, long getItem, long deleteItem, long itemsRead, long itemsWritten,
            TickResult result) {}

    Cost tickCost(int registered) {
        return tickCost(registered, false);
    }

    /**
     * {@code reactive}: the flows are reactive transforms armed for a recheck (nothing pending) whose inputs are up to
     * date, so each due one is rechecked and re-armed, and none runs.
     */
    Cost tickCost(int registered, boolean reactive) {
        try (TestState state = TestState.counted()) {
            java.time.Instant now = state.clock.instant();
            List<FlowItem> seed = new ArrayList<>();
            for (int i = 0; i < registered; i++) {
                boolean due = i < DUE;
                String id = due ? "did:odf:due-" + i : "did:odf:idle-" + i;
                // idle flows are scheduled later (in the due index, not yet due)
                java.time.Instant dueAt = due ? now.minusSeconds(i + 1) : now.plusSeconds(60 + i);
                seed.add(reactive ? FlowService.newFlowItem(id, FlowType.TRANSFORM, FlowConfig.of(FlowTrigger.Reactive.immediate()), dueAt, now)
                        : state.intervalFlow(id, dueAt));
            }
            state.seedFlows(seed);
            Set<String> dispatched = ConcurrentHashMap.newKeySet();
            Set<String> rechecked = ConcurrentHashMap.newKeySet();
            try (FlowSystem flows = FlowSystem.builder(state.tables).clock(state.clock)
                    .config(SchedulerConfig.defaults().withMaxConcurrent(DUE)).dispatcher(r -> t -> dispatched.add(t.taskId()))
                    .inputBacklog(id -> {
                        rechecked.add(id);
                        return 0;
                    }).build()) {
                state.calls.reset();
                long t0 = System.nanoTime();
                TickResult r = flows.scheduler().tick("scale-" + registered, state.clock.instant());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                DynamoCalls c = state.calls;
                System.out.printf("tick over %d flows (%d due): %d ms, %s%n", registered, DUE, ms, c);
                assertEquals(reactive ? 0 : DUE, dispatched.size());
                assertEquals(reactive ? DUE : 0, rechecked.size());
                return new Cost(c.toString(), c.totalCalls(), c.calls("Query"), c.calls("Scan"), c.calls("GetItem"), c.calls("DeleteItem"), c.itemsRead(),
                        c.itemsWritten(), r);
            }
        }
    }

    @Test
    void tickCostDependsOnDueFlowsOnly() {
        Cost small = tickCost(DUE);
        Cost large = tickCost(10_000);
        assertEquals(new TickResult("scale-10000", DUE, DUE, DUE, 0, false), large.result());
        int shards = dev.sluice.state.StateConfig.DEFAULT_DUE_SHARDS;
        // explicit bounds: per due flow one read (due index) + one read (queue head) and at most three writes (task,
        // flow, dispatch lease); per shard three Queries (leases, due, queue); two writes for the tick event itself and
        // one Query for expired tick records (none here: a sweep deletes at most TICK_RECORDS_SWEPT_PER_TICK)
        assertEquals(0, large.scan(), large.calls());
        assertEquals(0, large.getItem(), large.calls());
        assertEquals(0, large.deleteItem(), large.calls());
        assertTrue(large.query() <= 3L * shards + 1, large.calls());
        assertTrue(large.itemsRead() <= 2L * DUE, large.calls());
        assertTrue(large.itemsWritten() <= 3L * DUE + 2, large.calls());
        assertTrue(large.totalCalls() <= 3L * DUE + 3L * shards + 3, large.calls());
        // and exactly what the same tick costs when there is nothing else registered
        assertEquals(small.calls(), large.calls());
    }

    /**
     * Reactive rechecks keep it O(due): of 10,000 reactive flows armed for a recheck, the 100 due are rechecked and
     * re-armed — one conditional write each, no task — and the others cost nothing.
     */
    @Test
    void recheckCostDependsOnDueFlowsOnly() {
        Cost small = tickCost(DUE, true);
        Cost large = tickCost(10_000, true);
        assertEquals(new TickResult("scale-10000", DUE, 0, 0, 0, false), large.result());
        int shards = dev.sluice.state.StateConfig.DEFAULT_DUE_SHARDS;
        assertEquals(0, large.scan(), large.calls());
        assertEquals(0, large.getItem(), large.calls());
        assertEquals(0, large.deleteItem(), large.calls());
        assertTrue(large.query() <= 3L * shards + 1, large.calls());
        assertEquals(DUE, large.itemsRead(), large.calls()); // the due flows; the task queue is empty
        assertEquals(DUE + 2, large.itemsWritten(), large.calls()); // a re-arm per due flow, the tick event's two writes
        assertEquals(small.calls(), large.calls());
    }
}
