package dev.sluice.flows;

import java.time.Instant;
import java.util.List;

/** A task as the API shows it; {@code requeues} counts leases that ran out (the worker was lost) and were re-queued. */
public record TaskView(String taskId, String datasetId, FlowType type, TaskStatus status, TriggerCause trigger,
        String triggerDetail, int priority, int attempt, Instant createdAt, Instant startedAt, Instant finishedAt,
        String outcome, String error, Long newRecords, long inputRecords, List<String> log, int requeues) {}
