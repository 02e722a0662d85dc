package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.flows.FlowType;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The flow and task operations of the flows, tasks and trigger commands: on a running node through its REST API
 * ({@link NodeFlows}), or on the workspace's own state store ({@link LocalFlows}). Both answer with the JSON
 * documents of shared/flows' {@code FlowDocuments}, so what the commands print is the same in either mode.
 */
interface FlowsApi extends AutoCloseable {
    /** Task ids as the flow system makes them; anything else names no task (and is never put in a URL or a key). */
    Pattern TASK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    /** The dataset's flows, kind, polling source and default flow type ({@code DatasetFlows}). */
    JsonNode datasetFlows(String dataset);

    /** Sets a flow's configuration (its JSON form) and answers the flow. */
    JsonNode configure(String dataset, FlowType type, Map<String, Object> config);

    JsonNode pause(String dataset, FlowType type);

    JsonNode resume(String dataset, FlowType type);

    /** Runs the flow now: the task, whether this call created it, and whether it already ran in this process. */
    Triggered trigger(String dataset, FlowType type, Integer priority);

    /** The dataset's tasks, newest first ({@code {"tasks": [...]}}). */
    JsonNode tasks(String dataset, int limit);

    /** The newest tasks of all datasets. */
    JsonNode recentTasks(int limit);

    /** One task with its log. */
    JsonNode task(String taskId);

    @Override
    void close();

    record Triggered(JsonNode task, boolean created, boolean ranHere) {}

    /** The node named by {@code --node}/$SLUICE_NODE, else the workspace. */
    static FlowsApi open(NodeOptions node, WorkspaceOptions ws, StateOptions state) {
        NodeClient client = node.client(ws);
        return client != null ? new NodeFlows(client) : LocalFlows.open(ws, state);
    }

    static String checkTaskId(String taskId) {
        if (taskId == null || !TASK_ID.matcher(taskId).matches()) throw new IllegalArgumentException("no task '" + taskId + "'");
        return taskId;
    }
}
