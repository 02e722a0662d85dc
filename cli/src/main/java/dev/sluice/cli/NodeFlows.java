package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.flows.FlowType;
import java.util.Map;

/** {@link FlowsApi} over a node's REST API ({@code /{account}/{dataset}/flows…}, {@code /tasks…}). */
final class NodeFlows implements FlowsApi {
    private final NodeClient client;

    NodeFlows(NodeClient client) {
        this.client = client;
    }

    private static String flowPath(String dataset, FlowType type) {
        return NodeClient.datasetPath(dataset) + "/flows/" + type.label();
    }

    @Override
    public JsonNode datasetFlows(String dataset) {
        return client.getJson(NodeClient.datasetPath(dataset) + "/flows");
    }

    @Override
    public JsonNode configure(String dataset, FlowType type, Map<String, Object> config) {
        return client.exchange("PUT", flowPath(dataset, type), config).body();
    }

    @Override
    public JsonNode pause(String dataset, FlowType type) {
        return client.exchange("POST", flowPath(dataset, type) + "/pause", null).body();
    }

    @Override
    public JsonNode resume(String dataset, FlowType type) {
        return client.exchange("POST", flowPath(dataset, type) + "/resume", null).body();
    }

    @Override
    public Triggered trigger(String dataset, FlowType type, Integer priority) {
        NodeClient.Answer a = client.exchange("POST", flowPath(dataset, type) + "/trigger", priority == null ? null : Map.of("priority", priority));
        return new Triggered(a.body(), a.status() == 202, false); // 200: the flow's active task, none created
    }

    @Override
    public JsonNode tasks(String dataset, int limit) {
        return client.getJson(NodeClient.datasetPath(dataset) + "/tasks?limit=" + limit);
    }

    @Override
    public JsonNode recentTasks(int limit) {
        return client.getJson("tasks?limit=" + limit);
    }

    @Override
    public JsonNode task(String taskId) {
        return client.getJson("tasks/" + FlowsApi.checkTaskId(taskId));
    }

    @Override
    public void close() {}
}
