package dev.sluice.flows;

import java.time.Clock;
import java.util.Map;

/** What an executor gets for one attempt of a task. */
public interface FlowTaskContext {
    String datasetId();

    FlowType flowType();

    String taskId();

    /** 1 for the first attempt, 2 for the first retry, … */
    int attempt();

    /** New input records that triggered a reactive run (0 otherwise). */
    long inputRecords();

    /** The flow's type-specific options. */
    Map<String, String> options();

    /** Appends a line to the task's log (kept with the task, shown by the API; the first lines are kept if it grows long). */
    void log(String line);

    /**
     * Extends the lease by the runner's lease duration; long-running work calls it now and then.
     *
     * @throws LeaseLostException when the lease ran out and the task was given to someone else: stop working
     */
    void renewLease();

    Clock clock();

    /** The task's lease ran out and it was re-queued; the outcome of this attempt will be discarded. */
    final class LeaseLostException extends RuntimeException {
        public LeaseLostException(String taskId) {
            super("lease on task " + taskId + " was lost");
        }
    }
}
