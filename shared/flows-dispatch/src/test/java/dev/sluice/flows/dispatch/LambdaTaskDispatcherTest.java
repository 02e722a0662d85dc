package dev.sluice.flows.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.engine.provisioning.InvokeApi;
import dev.sluice.flows.DispatchedTask;
import dev.sluice.flows.FlowConfig;
import dev.sluice.flows.FlowSystem;
import dev.sluice.flows.FlowTrigger;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.TaskRunner;
import dev.sluice.flows.TaskStatus;
import dev.sluice.flows.TaskView;
import dev.sluice.flows.TickResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The Lambda dispatcher through the real AWS SDK LambdaClient, pointed at the local Invoke API (engine-provisioning's
 * test-jar) whose two functions are the ingest and transform task functions: each parses the payload and runs the
 * task through {@link TaskRunner#runIfServed} of a node with only its own executors, as {@code run-task} does.
 */
class LambdaTaskDispatcherTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String INGEST_FN = "sluice-run-task-ingest";
    static final String TRANSFORM_FN = "sluice-run-task-transform";

    TestState state;
    InvokeApi api;
    LambdaClient lambda;
    final TestState.CountingExecutor ingest = new TestState.CountingExecutor(FlowType.INGEST);
    final TestState.CountingExecutor transform = new TestState.CountingExecutor(FlowType.TRANSFORM);
    FlowSystem ingestWorker;
    FlowSystem transformWorker;
    final List<TaskRunner.Result> results = new CopyOnWriteArrayList<>();

    InvokeApi.Function taskFunction(FlowSystem worker) {
        return (in, out) -> {
            JsonNode event = JSON.readTree(in);
            TaskRunner.Result r = worker.runner().runIfServed(event.get("taskId").asText());
            results.add(r);
            out.write(("{\"result\":\"" + r + "\"}").getBytes(StandardCharsets.UTF_8));
        };
    }

    @BeforeEach
    void start() throws Exception {
        state = new TestState();
        ingestWorker = FlowSystem.builder(state.tables).clock(state.clock).executor(ingest).dispatcher(r -> t -> { }).build();
        transformWorker = FlowSystem.builder(state.tables).clock(state.clock).executor(transform).dispatcher(r -> t -> { }).build();
        api = InvokeApi.start(Map.of(INGEST_FN, taskFunction(ingestWorker), TRANSFORM_FN, taskFunction(transformWorker)));
        lambda = LambdaClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(api.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    @AfterEach
    void stop() {
        lambda.close();
        api.close();
        ingestWorker.close();
        transformWorker.close();
        state.close();
    }

    FlowSystem scheduler(Map<FlowType, String> functions) {
        return FlowSystem.builder(state.tables).clock(state.clock).dispatcher(r -> new LambdaTaskDispatcher(lambda, functions)).build();
    }

    @Test
    void tasksGoAsynchronouslyToTheFunctionOfTheirFlowTypeAndARedeliveryRunsNothingTwice() throws Exception {
        try (FlowSystem flows = scheduler(LambdaTaskDispatcher.functionsFor(INGEST_FN, TRANSFORM_FN))) {
            FlowConfig hourly = FlowConfig.of(new FlowTrigger.Interval(Duration.ofHours(1)));
            flows.service().setConfig("did:odf:root", FlowType.INGEST, hourly.withPriority(10));
            flows.service().setConfig("did:odf:derived", FlowType.TRANSFORM, hourly);
            assertEquals(new TickResult("t1", 2, 2, 2, 0, false), flows.scheduler().tick("t1", state.clock.instant()));

            assertEquals(2, api.calls.size());
            TaskView ingestTask = flows.service().tasks("did:odf:root", 10).get(0);
            TaskView transformTask = flows.service().tasks("did:odf:derived", 10).get(0);
            InvokeApi.Call first = api.calls.get(0);
            assertEquals(INGEST_FN, first.function(), "priority 10 first");
            assertEquals("Event", first.invocationType());
            assertNull(first.error());
            assertEquals(JSON.createObjectNode().put("taskId", ingestTask.taskId()).put("datasetId", "did:odf:root").put("flowType", "INGEST"),
                    JSON.readTree(first.body()));
            InvokeApi.Call second = api.calls.get(1);
            assertEquals(TRANSFORM_FN, second.function());
            assertEquals("Event", second.invocationType());
            assertEquals(transformTask.taskId(), JSON.readTree(second.body()).get("taskId").asText());

            assertEquals(List.of(TaskRunner.Result.SUCCEEDED, TaskRunner.Result.SUCCEEDED), results);
            assertEquals(TaskStatus.SUCCEEDED, ingestTask.status());
            assertEquals(TaskStatus.SUCCEEDED, transformTask.status());

            // Lambda retries asynchronous events: the same payload again changes nothing
            new LambdaTaskDispatcher(lambda, LambdaTaskDispatcher.functionsFor(INGEST_FN, TRANSFORM_FN))
                    .dispatch(new DispatchedTask(ingestTask.taskId(), "did:odf:root", FlowType.INGEST));
            assertEquals(TaskRunner.Result.SKIPPED, results.get(2));
            assertEquals(1, ingest.runs("did:odf:root"));
            assertEquals(1, transform.runs("did:odf:derived"));
            assertEquals(1, flows.service().tasks("did:odf:root", 10).size());
        }
    }

    @Test
    void resetAndCompactionGoToTheTransformFunction() {
        Map<FlowType, String> m = LambdaTaskDispatcher.functionsFor(INGEST_FN, TRANSFORM_FN);
        assertEquals(Map.of(FlowType.INGEST, INGEST_FN, FlowType.TRANSFORM, TRANSFORM_FN, FlowType.RESET, TRANSFORM_FN,
                FlowType.COMPACTION, TRANSFORM_FN), m);
        assertEquals(Map.of(FlowType.INGEST, INGEST_FN), LambdaTaskDispatcher.functionsFor(INGEST_FN, " "));
        assertThrows(IllegalArgumentException.class, () -> new LambdaTaskDispatcher(lambda, Map.of()));
    }

    @Test
    void aTypeWithoutAFunctionOrAMissingFunctionIsATypedFailureAndTheTaskWaitsForItsLease() {
        try (FlowSystem flows = scheduler(LambdaTaskDispatcher.functionsFor(INGEST_FN, null))) {
            flows.service().setConfig("did:odf:derived", FlowType.TRANSFORM, FlowConfig.of(new FlowTrigger.Interval(Duration.ofHours(1))));
            assertEquals(new TickResult("t1", 1, 1, 0, 0, false), flows.scheduler().tick("t1", state.clock.instant()));
            assertEquals(0, api.calls.size(), "nothing to invoke");
            assertEquals(TaskStatus.QUEUED, flows.service().tasks("did:odf:derived", 10).get(0).status());
        }
        var d = new LambdaTaskDispatcher(lambda, LambdaTaskDispatcher.functionsFor(INGEST_FN, null));
        var none = assertThrows(TaskDispatchException.class, () -> d.dispatch(new DispatchedTask("task-x", "did:odf:d", FlowType.COMPACTION)));
        assertTrue(none.getMessage().contains("no Lambda task function configured for compaction"), none.getMessage());
        var missing = new LambdaTaskDispatcher(lambda, LambdaTaskDispatcher.functionsFor("no-such-function", null));
        var e = assertThrows(TaskDispatchException.class, () -> missing.dispatch(new DispatchedTask("task-x", "did:odf:r", FlowType.INGEST)));
        assertTrue(e.getMessage().startsWith("cannot invoke Lambda function no-such-function for task task-x: Function not found"), e.getMessage());
    }
}
