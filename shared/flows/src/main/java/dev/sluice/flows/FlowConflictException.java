package dev.sluice.flows;

/** A request that the current state of a flow or task does not allow (e.g. cancelling a task that already runs). */
public class FlowConflictException extends RuntimeException {
    public FlowConflictException(String message) {
        super(message);
    }
}
