package dev.sluice.fn.api;

import dev.sluice.flows.FlowTaskContext;
import dev.sluice.flows.FlowTaskExecutor;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.TaskOutcome;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A test ingest executor (the real one belongs to functions/ingest, which this application does not bundle): it
 * succeeds with 3 new records, or fails permanently when the flow's options say {@code "fail": "<error>"}.
 */
@ApplicationScoped
public class ScriptedIngestExecutor implements FlowTaskExecutor {
    @Override
    public FlowType type() {
        return FlowType.INGEST;
    }

    @Override
    public TaskOutcome execute(FlowTaskContext ctx) {
        String error = ctx.options().get("fail");
        if (error != null) return TaskOutcome.permanent(error);
        ctx.log("fetched 3 records");
        return TaskOutcome.success(3);
    }
}
