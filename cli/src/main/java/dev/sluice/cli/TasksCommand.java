package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tasks", mixinStandardHelpOptions = true,
        description = {"List the tasks of a dataset's flows, or the newest tasks of all datasets (last 7 days), newest first.",
                "--show prints one task with its log. Works on the workspace's state store, or on a node with --node URL."})
final class TasksCommand implements Callable<Integer> {
    static final int MAX_TASKS = 1000;

    @Mixin WorkspaceOptions ws;
    @Mixin NodeOptions node;
    @Mixin StateOptions state;

    @Parameters(arity = "0..1", paramLabel = "DATASET", description = "Only this dataset's tasks.")
    String dataset;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20", description = "At most N tasks (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--show", paramLabel = "TASK_ID", description = "Show this task: status, cause, times, outcome, error and log.")
    String show;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default) or json.")
    FlowOutput.Format output = FlowOutput.Format.table;

    @Override
    public Integer call() {
        if (show != null && dataset != null) throw new IllegalArgumentException("give DATASET or --show TASK_ID, not both");
        if (limit < 1 || limit > MAX_TASKS) throw new IllegalArgumentException("-n must be between 1 and " + MAX_TASKS);
        if (show != null) FlowsApi.checkTaskId(show);
        try (FlowsApi api = FlowsApi.open(node, ws, state)) {
            if (show != null) {
                JsonNode task = api.task(show);
                if (output == FlowOutput.Format.json) {
                    FlowOutput.json(task);
                } else {
                    FlowOutput.task(task);
                }
                return 0;
            }
            JsonNode tasks = dataset != null ? api.tasks(dataset, limit) : api.recentTasks(limit);
            if (output == FlowOutput.Format.json) {
                FlowOutput.json(tasks);
            } else if (tasks.path("tasks").isEmpty()) {
                System.out.println(dataset != null ? "no tasks for " + dataset : "no tasks in the last 7 days");
            } else {
                FlowOutput.tasks(tasks);
            }
        }
        return 0;
    }
}
