package dev.sluice.flows;

import java.time.Instant;

/**
 * A flow as the API shows it: configuration, status (with the paused reason), when it is next due (null: not
 * scheduled — manual, paused, or a reactive flow awaiting input), the active task, failure count, reactive
 * records pending, and the last task's outcome (and error, when it failed).
 */
public record FlowView(String datasetId, FlowType type, FlowConfig config, FlowStatus status, String pausedReason,
        Instant nextDueAt, String activeTaskId, int consecutiveFailures, long pendingRecords, String lastTaskId,
        TaskStatus lastTaskStatus, String lastOutcome, String lastError, Instant lastFinishedAt, Instant lastSuccessAt) {}
