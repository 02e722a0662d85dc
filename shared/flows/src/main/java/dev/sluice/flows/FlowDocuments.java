package dev.sluice.flows;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Flows and tasks as the REST API sends them and the CLI shows them (its {@code -o json} prints these, in both node
 * and workspace mode). Plain records of strings, numbers, lists and maps: any JSON library writes them as they are.
 * Times are ISO-8601 instants; flow types are their short names ({@code ingest}) with kamu's id beside them.
 */
public final class FlowDocuments {
    private FlowDocuments() {}

    /** A dataset's flows, with what a request without a flow type would pick ({@link FlowTargets}). */
    public record DatasetFlows(String dataset, String datasetId, String kind, boolean pollingSource, String defaultType,
            List<Flow> flows) {}

    /**
     * One flow: configuration ({@link FlowConfigJson}), status and why it is paused, when it is next due (null: not
     * scheduled), the active task, failures in a row, reactive records pending, and the last task.
     */
    public record Flow(String dataset, String datasetId, String type, String kamuType, String status, String pausedReason,
            Map<String, Object> config, String nextDueAt, String activeTaskId, int consecutiveFailures, long pendingRecords,
            LastTask lastTask, String lastSuccessAt) {}

    /** How the flow's last task ended. */
    public record LastTask(String taskId, String status, String outcome, String error, String finishedAt) {}

    /** A list of tasks, newest first. */
    public record Tasks(List<Task> tasks) {}

    /**
     * One task: its flow, status, why it was created ({@code cause}: MANUAL, SCHEDULE, INPUT_UPDATED, RETRY, with
     * detail), priority, attempt, times, outcome and error, records it added, and its log (only when a single task is
     * asked for; null in lists).
     */
    public record Task(String taskId, String dataset, String datasetId, String type, String kamuType, String status, String cause,
            String causeDetail, int priority, int attempt, String createdAt, String startedAt, String finishedAt, String outcome,
            String error, Long newRecords, long inputRecords, int requeues, List<String> log) {}

    public static DatasetFlows datasetFlows(String alias, String datasetId, String kind, boolean pollingSource, FlowType defaultType,
            List<FlowView> flows) {
        return new DatasetFlows(alias, datasetId, kind, pollingSource, defaultType == null ? null : defaultType.label(),
                flows.stream().map(f -> flow(f, alias)).toList());
    }

    public static Flow flow(FlowView v, String alias) {
        LastTask last = v.lastTaskId() == null ? null : new LastTask(v.lastTaskId(),
                v.lastTaskStatus() == null ? null : v.lastTaskStatus().name(), v.lastOutcome(), v.lastError(), text(v.lastFinishedAt()));
        return new Flow(alias, v.datasetId(), v.type().label(), v.type().kamuId(), v.status().name(), v.pausedReason(),
                FlowConfigJson.toJson(v.config()), text(v.nextDueAt()), v.activeTaskId(), v.consecutiveFailures(), v.pendingRecords(),
                last, text(v.lastSuccessAt()));
    }

    /** A task; {@code alias} may be null when its dataset is gone; the log only {@code withLog}. */
    public static Task task(TaskView t, String alias, boolean withLog) {
        return new Task(t.taskId(), alias, t.datasetId(), t.type().label(), t.type().kamuId(), t.status().name(),
                t.trigger() == null ? null : t.trigger().name(), t.triggerDetail(), t.priority(), t.attempt(), text(t.createdAt()),
                text(t.startedAt()), text(t.finishedAt()), t.outcome(), t.error(), t.newRecords(), t.inputRecords(), t.requeues(),
                withLog ? t.log() : null);
    }

    private static String text(Instant i) {
        return i == null ? null : i.toString();
    }
}
