package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.flows.FlowTaskContext;
import dev.sluice.flows.FlowTaskExecutor;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.TaskOutcome;
import dev.sluice.state.SluiceState;
import dev.sluice.state.StateConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workspace mode with task executors (the CLI has none of its own yet): a trigger runs the task in this process at
 * once, and the flow and task documents show how it ended.
 */
class LocalFlowsTest {
    @TempDir Path ws;

    /** Ingest: succeeds with 2 records; transform: fails, retryable. */
    static final class Executors {
        final AtomicInteger ingests = new AtomicInteger();

        List<FlowTaskExecutor> list() {
            return List.of(new FlowTaskExecutor() {
                @Override
                public FlowType type() {
                    return FlowType.INGEST;
                }

                @Override
                public TaskOutcome execute(FlowTaskContext ctx) {
                    ingests.incrementAndGet();
                    ctx.log("polled " + ctx.datasetId());
                    return TaskOutcome.success(2);
                }
            }, new FlowTaskExecutor() {
                @Override
                public FlowType type() {
                    return FlowType.TRANSFORM;
                }

                @Override
                public TaskOutcome execute(FlowTaskContext ctx) {
                    return TaskOutcome.retryable("input not readable");
                }
            });
        }
    }

    @Test
    void aTriggerRunsTheTaskInThisProcess() throws Exception {
        List<String> apply = new ArrayList<>(List.of("apply", "--workspace", ws.toString()));
        apply.addAll(FlowManifests.write(ws.resolve("manifests")));
        assertEquals(0, CliRun.run(apply.toArray(String[]::new)).exit());
        WorkspaceOptions options = new WorkspaceOptions();
        options.workspace = ws;
        Executors executors = new Executors();
        try (LocalFlows flows = new LocalFlows(options.repository(), SluiceState.open(StateConfig.embedded(ws.resolve("state"))),
                executors.list())) {
            FlowsApi.Triggered ingest = flows.trigger("polled", FlowType.INGEST, 9);
            assertTrue(ingest.created() && ingest.ranHere());
            JsonNode task = ingest.task();
            assertEquals("SUCCEEDED", task.path("status").asText(), task.toString());
            assertEquals("2 new records", task.path("outcome").asText());
            assertEquals(9, task.path("priority").asInt());
            assertEquals("kamu/polled", task.path("dataset").asText());
            assertTrue(task.path("log").toString().contains("polled did:odf:"), task.toString());
            assertEquals(1, executors.ingests.get());

            // The flow was created manual-only by the trigger and records the run.
            JsonNode flow = flows.datasetFlows("polled").path("flows").get(0);
            assertEquals("ingest", flow.path("type").asText());
            assertEquals("WAITING", flow.path("status").asText());
            assertEquals(task.path("taskId").asText(), flow.path("lastTask").path("taskId").asText());
            assertEquals("SUCCEEDED", flow.path("lastTask").path("status").asText());

            flows.configure("derived", FlowType.TRANSFORM, Map.of("retry", Map.of("maxAttempts", 2, "minDelay", "PT1H")));
            JsonNode failed = flows.trigger("derived", FlowType.TRANSFORM, null).task();
            assertEquals("FAILED", failed.path("status").asText());
            assertEquals("input not readable", failed.path("error").asText());
            JsonNode retrying = flows.datasetFlows("derived").path("flows").get(0);
            assertEquals("RETRYING", retrying.path("status").asText(), "a retry is due after the delay");
            assertEquals("input not readable", retrying.path("lastTask").path("error").asText());

            JsonNode recent = flows.recentTasks(10).path("tasks");
            assertEquals(2, recent.size());
            assertEquals(List.of("kamu/derived", "kamu/polled"), List.of(recent.get(0).path("dataset").asText(), recent.get(1).path("dataset").asText()));
            assertTrue(recent.get(0).path("log").isNull(), "lists leave logs out");
            assertEquals(1, flows.tasks("polled", 10).path("tasks").size());
            assertFalse(flows.task(task.path("taskId").asText()).path("log").isEmpty());
        }
        // What the commands print of them.
        CliRun.Result list = CliRun.run("tasks", "--workspace", ws.toString());
        assertEquals(0, list.exit(), list::toString);
        List<String> lines = list.out().lines().toList();
        assertEquals(4, lines.size(), list.out());
        assertTrue(lines.get(0).matches("ID +DATASET +TYPE +STATUS +ATTEMPT +CAUSE +CREATED +STARTED +FINISHED +OUTCOME"), lines.get(0));
        assertTrue(lines.get(2).matches("task-\\S+ +kamu/derived +transform +FAILED +1 +MANUAL +\\S+Z +\\S+Z +\\S+Z +failed \\(retryable\\): input not readable"),
                lines.get(2));
        assertTrue(lines.get(3).matches("task-\\S+ +kamu/polled +ingest +SUCCEEDED +1 +MANUAL( +\\S+Z){3} +2 new records"), lines.get(3));
        String id = lines.get(3).split(" ")[0];
        CliRun.Result show = CliRun.run("tasks", "--show", id, "--workspace", ws.toString());
        assertEquals(0, show.exit(), show::toString);
        assertTrue(show.out().startsWith("task         " + id + "\ndataset      kamu/polled\nflow         ingest (dev.kamu.flow.dataset.ingest)\n"
                + "status       SUCCEEDED\ncause        MANUAL (triggered manually)\npriority     9\nattempt      1\n"), show.out());
        assertTrue(show.out().contains("\noutcome      2 new records\nerror        -\nnew records  2\nlog:\n  "), show.out());
        assertTrue(show.out().lines().anyMatch(l -> l.matches("  \\S+Z polled did:odf:\\S+")), show.out());
        List<String> flowRows = CliRun.run("flows", "derived", "--workspace", ws.toString()).out().lines().toList();
        assertTrue(flowRows.get(2).matches("transform +RETRYING +manual +2 attempts/1h fixed +- +0 +\\S+Z +failed \\(retryable\\): input not readable"),
                flowRows.toString());
    }
}
