package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.flows.FlowConfigJson;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.TaskStatus;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "trigger", mixinStandardHelpOptions = true,
        description = {"Run a dataset's flow now and print the task id (if the flow already has a task queued or running, that one).",
                "Without --type: ingest for a root dataset with a polling source, transform for a derivative.",
                "--wait polls until the task finishes and exits non-zero unless it succeeded.",
                "On a node (--node URL) the node's workers run the task. A workspace has no scheduler: there the task would run in this process,",
                "and this CLI has no pipelines to run it with yet, so it asks for a node (./sluice up, then --node)."})
final class TriggerCommand implements Callable<Integer> {
    @Mixin WorkspaceOptions ws;
    @Mixin NodeOptions node;
    @Mixin StateOptions state;

    @Parameters(paramLabel = "DATASET", description = "Dataset alias (kamu/name or name).")
    String dataset;

    @Option(names = "--type", paramLabel = "TYPE", converter = FlowTypeConverter.class,
            description = "ingest, transform, compaction or reset (or kamu's id).")
    FlowType type;

    @Option(names = "--priority", paramLabel = "P", description = "Priority of this run, 0..999 (default: the flow's).")
    Integer priority;

    @Option(names = "--wait", description = "Wait until the task finishes; exit code 1 unless it succeeded.")
    boolean wait;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30m", description = "How long --wait waits (default ${DEFAULT-VALUE}).")
    String timeout;

    @Override
    public Integer call() throws InterruptedException {
        Duration limit = FlowConfigJson.duration("--timeout", timeout);
        try (FlowsApi api = FlowsApi.open(node, ws, state)) {
            FlowType t = type != null ? type : FlowsCommand.defaultType(api.datasetFlows(dataset));
            FlowsApi.Triggered triggered = api.trigger(dataset, t, priority);
            JsonNode task = triggered.task();
            String id = task.path("taskId").asText();
            System.out.println(id);
            if (!triggered.created()) {
                System.err.println("note: the " + t.label() + " flow of " + task.path("dataset").asText(dataset) + " already has this task ("
                        + task.path("status").asText() + "); no new one was created");
            }
            if (!wait && !triggered.ranHere()) return 0;
            return report(awaitFinished(api, task, limit));
        }
    }

    /** Polls the task until it has finished (with a growing interval: this is a person or script waiting, not a test). */
    private static JsonNode awaitFinished(FlowsApi api, JsonNode task, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long pause = 100;
        while (!finished(task)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("task " + task.path("taskId").asText() + " is still " + task.path("status").asText()
                        + " after " + FlowOutput.duration(limit.toString()));
            }
            Thread.sleep(pause);
            pause = Math.min(2000, pause * 2);
            task = api.task(task.path("taskId").asText());
        }
        return task;
    }

    private static boolean finished(JsonNode task) {
        return TaskStatus.valueOf(task.path("status").asText()).finished();
    }

    /** The outcome of a successful task on stdout (exit 0); otherwise the error on stderr (exit 1). */
    private static int report(JsonNode task) {
        String id = task.path("taskId").asText();
        switch (TaskStatus.valueOf(task.path("status").asText())) {
            case SUCCEEDED -> {
                System.out.println("succeeded: " + FlowOutput.outcome(task));
                return 0;
            }
            case CANCELLED -> System.err.println("error: task " + id + " was cancelled: " + FlowOutput.outcome(task));
            default -> System.err.println("error: task " + id + " failed: " + (task.path("error").isTextual() ? task.path("error").asText()
                    : FlowOutput.outcome(task)));
        }
        return 1;
    }
}
