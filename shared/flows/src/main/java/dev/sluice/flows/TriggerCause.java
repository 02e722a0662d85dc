package dev.sluice.flows;

/** Why a task was created. */
public enum TriggerCause {
    /** Triggered by a user (API/CLI). */
    MANUAL,
    /** The flow's interval or cron schedule fired. */
    SCHEDULE,
    /** Reactive: the flow's inputs received enough new records, or the batching interval ran out. */
    INPUT_UPDATED,
    /** A retry of a failed attempt, per the flow's retry policy. */
    RETRY
}
