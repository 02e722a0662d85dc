package dev.sluice.flows;

import java.util.Objects;

/**
 * What a dispatch hands a worker: the task to run, and enough to route it without a read — the flow type decides
 * which function runs it (ingest: INGEST; transform: TRANSFORM, RESET, COMPACTION), the dataset is for logs and
 * event filters. The task id alone is authoritative: the worker reads the task and claims it conditionally.
 */
public record DispatchedTask(String taskId, String datasetId, FlowType flowType) {
    public DispatchedTask {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(flowType, "flowType");
    }
}
