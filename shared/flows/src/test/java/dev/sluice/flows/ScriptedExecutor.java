package dev.sluice.flows;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A test executor: per dataset a script of outcomes (then success), every run recorded in order, and an optional
 * hook run inside {@code execute} (to block, or to change the world while the task runs).
 */
final class ScriptedExecutor implements FlowTaskExecutor {
    private final FlowType type;
    private final Map<String, Deque<TaskOutcome>> scripts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    final List<String> order = Collections.synchronizedList(new ArrayList<>());
    final List<FlowTaskContext> contexts = Collections.synchronizedList(new ArrayList<>());
    volatile Function<FlowTaskContext, TaskOutcome> hook;

    ScriptedExecutor(FlowType type) {
        this.type = type;
    }

    ScriptedExecutor script(String datasetId, TaskOutcome... outcomes) {
        scripts.computeIfAbsent(datasetId, k -> new ArrayDeque<>()).addAll(List.of(outcomes));
        return this;
    }

    int runs(String datasetId) {
        AtomicInteger n = runs.get(datasetId);
        return n == null ? 0 : n.get();
    }

    int totalRuns() {
        return order.size();
    }

    @Override
    public FlowType type() {
        return type;
    }

    @Override
    public TaskOutcome execute(FlowTaskContext ctx) {
        runs.computeIfAbsent(ctx.datasetId(), k -> new AtomicInteger()).incrementAndGet();
        order.add(ctx.datasetId());
        contexts.add(ctx);
        ctx.log("test executor ran " + ctx.datasetId());
        Function<FlowTaskContext, TaskOutcome> h = hook;
        if (h != null) {
            TaskOutcome o = h.apply(ctx);
            if (o != null) return o;
        }
        Deque<TaskOutcome> script = scripts.get(ctx.datasetId());
        TaskOutcome next = script == null ? null : script.poll();
        return next != null ? next : TaskOutcome.success(7);
    }
}
