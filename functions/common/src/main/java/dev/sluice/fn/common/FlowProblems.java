package dev.sluice.fn.common;

import dev.sluice.flows.FlowConfigException;
import dev.sluice.flows.FlowConflictException;
import dev.sluice.flows.FlowNotFoundException;
import dev.sluice.flows.TaskNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;

/** Error responses for shared/flows' exceptions (for any endpoint over the flow service). */
@ApplicationScoped
public class FlowProblems implements ProblemClassifier {
    @Override
    public ApiError classify(Throwable t) {
        if (t instanceof FlowConfigException) return new ApiError(400, "invalid-flow-config", t.getMessage());
        if (t instanceof FlowNotFoundException) return new ApiError(404, "flow-not-found", t.getMessage());
        if (t instanceof TaskNotFoundException) return new ApiError(404, "task-not-found", t.getMessage());
        if (t instanceof FlowConflictException) return new ApiError(409, "flow-conflict", t.getMessage());
        return null;
    }
}
