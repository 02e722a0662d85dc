package dev.sluice.flows;

/**
 * WAITING: no task; due at {@code dueAt} if scheduled (or awaiting input for a reactive flow). RUNNING: one task is
 * queued or running. RETRYING: the last attempt failed and a retry is due. PAUSED: by the user or by the stop policy
 * (the flow's paused reason says which).
 */
public enum FlowStatus {
    WAITING, RUNNING, RETRYING, PAUSED
}
