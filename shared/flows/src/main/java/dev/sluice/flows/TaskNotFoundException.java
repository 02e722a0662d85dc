package dev.sluice.flows;

/** No task with that id. */
public class TaskNotFoundException extends RuntimeException {
    public TaskNotFoundException(String taskId) {
        super("no task " + taskId);
    }
}
