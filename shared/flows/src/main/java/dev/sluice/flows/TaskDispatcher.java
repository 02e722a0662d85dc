package dev.sluice.flows;

/**
 * Hands a dispatched task to a worker, which calls {@link TaskRunner#run(String)} with its id. Locally a bounded
 * thread pool ({@link LocalTaskDispatcher}); in the cloud an event to the task function of the flow type (adapters in
 * shared/flows-dispatch: a CloudEvent to the Knative Broker, an asynchronous Lambda invoke). Delivery may be lost or
 * duplicated: a task that no worker picks up is re-queued when its dispatch lease runs out, and the runner's
 * conditional claim lets only one worker run it. A dispatcher that throws leaves the task to that re-queue.
 */
@FunctionalInterface
public interface TaskDispatcher {
    void dispatch(DispatchedTask task);
}
