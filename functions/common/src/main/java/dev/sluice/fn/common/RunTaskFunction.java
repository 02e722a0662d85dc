package dev.sluice.fn.common;

import dev.sluice.flows.TaskRunner;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The task function: what a cloud dispatch reaches ({@code dev.sluice.task.queued} CloudEvent through a Knative
 * Trigger, or an asynchronous Lambda invoke). It runs the task through the {@link TaskRunner} with this application's
 * executors — deployed from functions/ingest for INGEST tasks and from functions/transform for TRANSFORM, RESET and
 * COMPACTION (the local node bundles both, and runs tasks in-process anyway). The claim is conditional, so a
 * duplicate delivery changes nothing ({@code SKIPPED}); a task of a type this application has no executor for is
 * left untouched ({@code NOT_SERVED}). Answers are 200 whatever the outcome, so a broker does not redeliver an event
 * that cannot succeed later; only a malformed event is a 400.
 */
@ApplicationScoped
public class RunTaskFunction {
    private final FlowNode flows;

    public RunTaskFunction(FlowNode flows) {
        this.flows = flows;
    }

    /** The task event's data (other fields are ignored). */
    public record TaskEvent(String taskId, String datasetId, String flowType) {}

    /** What this delivery did ({@link TaskRunner.Result}) and the task's status afterwards (null if there is none). */
    public record TaskRunResponse(String taskId, String result, String status) {}

    @Funq("run-task")
    public TaskRunResponse runTask(TaskEvent event) {
        if (event == null) throw ApiException.badRequest("missing task event");
        if (event.taskId() == null || event.taskId().isBlank()) throw ApiException.badRequest("task event has no 'taskId'");
        var system = flows.flows();
        TaskRunner.Result r = system.runner().runIfServed(event.taskId());
        String status = r == TaskRunner.Result.NOT_FOUND ? null : system.service().task(event.taskId()).status().name();
        return new TaskRunResponse(event.taskId(), r.name(), status);
    }
}
