package dev.sluice.fn.tick;

import dev.sluice.flows.FlowTaskContext;
import dev.sluice.flows.FlowTaskExecutor;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.TaskOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A test executor bean (the real ingest executor is plugged in by the application): counts runs per dataset. */
@ApplicationScoped
public class CountingIngestExecutor implements FlowTaskExecutor {
    final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

    @Override
    public FlowType type() {
        return FlowType.INGEST;
    }

    @Override
    public TaskOutcome execute(FlowTaskContext ctx) {
        runs.computeIfAbsent(ctx.datasetId(), k -> new AtomicInteger()).incrementAndGet();
        ctx.log("counted");
        return TaskOutcome.success(1);
    }

    int runs(String datasetId) {
        AtomicInteger n = runs.get(datasetId);
        return n == null ? 0 : n.get();
    }
}
