package dev.sluice.flows.dispatch;

/**
 * A dispatch did not reach the task function's front door (event broker or Lambda). The scheduler logs it; the task
 * keeps its dispatch lease and is re-queued when that runs out, so nothing is lost.
 */
public class TaskDispatchException extends RuntimeException {
    public TaskDispatchException(String message) {
        super(message);
    }

    public TaskDispatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
