package dev.sluice.flows;

/** QUEUED → RUNNING (under a lease) → SUCCEEDED | FAILED; a queued task can be CANCELLED. */
public enum TaskStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
