package dev.sluice.flows;

/**
 * Hands a dispatched task to a worker, which calls {@link TaskRunner#run(String)} with its id. Locally a bounded
 * thread pool ({@link LocalTaskDispatcher}); in the cloud an event to a task function. Delivery may be lost or
 * duplicated: a task that no worker picks up is re-queued when its dispatch lease runs out, and the runner's
 * conditional claim lets only one worker run it.
 */
@FunctionalInterface
public interface TaskDispatcher {
    void dispatch(String taskId);
}
