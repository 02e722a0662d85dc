package dev.sluice.flows.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.flows.DispatchedTask;
import dev.sluice.flows.FlowConfig;
import dev.sluice.flows.FlowSystem;
import dev.sluice.flows.FlowTrigger;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.SchedulerConfig;
import dev.sluice.flows.TaskRunner;
import dev.sluice.flows.TaskStatus;
import dev.sluice.flows.TaskView;
import dev.sluice.flows.TickResult;
import dev.sluice.flows.TriggerResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CloudEvents dispatcher against a real HTTP server standing in for the Knative Broker: it checks each event
 * (headers, body) and delivers it — twice, as an at-least-once broker may — to the task function's path, the
 * {@link TaskRunner#runIfServed} of a worker node that has the executor of that flow type.
 */
class CloudEventTaskDispatcherTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SOURCE = "/sluice/schedule-tick";

    /** One event as the broker received it. */
    record Received(Headers headers, JsonNode body, List<TaskRunner.Result> deliveries) {}

    TestState state;
    HttpServer broker;
    final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger refuse = new AtomicInteger(); // answer this many events with 503
    TestState.CountingExecutor ingest = new TestState.CountingExecutor(FlowType.INGEST);
    TestState.CountingExecutor transform = new TestState.CountingExecutor(FlowType.TRANSFORM);
    FlowSystem ingestWorker;
    FlowSystem transformWorker;

    @BeforeEach
    void start() throws IOException {
        state = new TestState();
        // the task functions: each a node with only its own executors (functions/ingest, functions/transform)
        ingestWorker = FlowSystem.builder(state.tables).clock(state.clock).executor(ingest).dispatcher(r -> t -> { }).build();
        transformWorker = FlowSystem.builder(state.tables).clock(state.clock).executor(transform).dispatcher(r -> t -> { }).build();
        broker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        broker.createContext("/sluice/default", exchange -> {
            try (exchange) {
                byte[] bytes = exchange.getRequestBody().readAllBytes();
                if (refuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                JsonNode body = JSON.readTree(bytes);
                String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
                JsonNode data = contentType.startsWith("application/cloudevents+json") ? body.get("data") : body;
                // Triggers: flowtype ingest → the ingest Service; transform/reset/compaction → the transform Service
                String flowType = contentType.startsWith("application/cloudevents+json") ? body.get("flowtype").asText()
                        : exchange.getRequestHeaders().getFirst("ce-flowtype");
                FlowSystem worker = flowType.equals("ingest") ? ingestWorker : transformWorker;
                List<TaskRunner.Result> results = new ArrayList<>();
                for (int delivery = 0; delivery < 2; delivery++) results.add(worker.runner().runIfServed(data.get("taskId").asText()));
                received.add(new Received(exchange.getRequestHeaders(), body, results));
                exchange.sendResponseHeaders(202, -1);
            }
        });
        broker.start();
    }

    @AfterEach
    void stop() {
        broker.stop(0);
        ingestWorker.close();
        transformWorker.close();
        state.close();
    }

    URI sink() {
        return URI.create("http://127.0.0.1:" + broker.getAddress().getPort() + "/sluice/default");
    }

    FlowSystem scheduler(CloudEventTaskDispatcher.Mode mode) {
        return FlowSystem.builder(state.tables).clock(state.clock)
                .dispatcher(r -> new CloudEventTaskDispatcher(sink(), SOURCE, mode, Duration.ofSeconds(10), state.clock)).build();
    }

    @Test
    void binaryEventsReachTheTaskFunctionAndADuplicateDeliveryRunsNothingTwice() {
        try (FlowSystem flows = scheduler(CloudEventTaskDispatcher.Mode.BINARY)) {
            flows.service().setConfig("did:odf:a", FlowType.INGEST, FlowConfig.of(new FlowTrigger.Interval(Duration.ofHours(1))));
            String taskId = flows.service().flow("did:odf:a", FlowType.INGEST).activeTaskId();
            assertNull(taskId, "not claimed before the tick");
            TickResult r = flows.scheduler().tick("t1", state.clock.instant());
            assertEquals(new TickResult("t1", 1, 1, 1, 0, false), r);

            assertEquals(1, received.size());
            Received e = received.get(0);
            TaskView task = flows.service().tasks("did:odf:a", 10).get(0);
            Headers h = e.headers();
            assertEquals("1.0", h.getFirst("ce-specversion"));
            assertEquals(TaskEvent.TYPE, h.getFirst("ce-type"));
            assertEquals(SOURCE, h.getFirst("ce-source"));
            assertEquals(36, h.getFirst("ce-id").length(), "a UUID per event");
            assertEquals(task.taskId(), h.getFirst("ce-subject"));
            assertEquals(state.clock.instant().toString(), h.getFirst("ce-time"));
            assertEquals("ingest", h.getFirst("ce-flowtype"));
            assertEquals("did:odf:a", h.getFirst("ce-dataset"));
            assertEquals("application/json", h.getFirst("Content-Type"));
            assertEquals(JSON.createObjectNode().put("taskId", task.taskId()).put("datasetId", "did:odf:a").put("flowType", "INGEST"), e.body());

            assertEquals(List.of(TaskRunner.Result.SUCCEEDED, TaskRunner.Result.SKIPPED), e.deliveries(), "the duplicate changes nothing");
            assertEquals(1, ingest.runs("did:odf:a"));
            assertEquals(TaskStatus.SUCCEEDED, task.status());
            assertEquals("3 new records", task.outcome());
            assertEquals(1, flows.service().tasks("did:odf:a", 10).size());
        }
    }

    @Test
    void structuredEventsCarryTheSameAttributesAndAreRoutedByFlowType() {
        try (FlowSystem flows = scheduler(CloudEventTaskDispatcher.Mode.STRUCTURED)) {
            TriggerResult t = flows.service().trigger("did:odf:derived", FlowType.TRANSFORM, null); // dispatches right away
            assertEquals(1, received.size());
            JsonNode ev = received.get(0).body();
            assertEquals("application/cloudevents+json", received.get(0).headers().getFirst("Content-Type"));
            assertEquals("1.0", ev.get("specversion").asText());
            assertEquals(TaskEvent.TYPE, ev.get("type").asText());
            assertEquals(SOURCE, ev.get("source").asText());
            assertEquals(t.task().taskId(), ev.get("subject").asText());
            assertEquals("transform", ev.get("flowtype").asText());
            assertEquals("did:odf:derived", ev.get("dataset").asText());
            assertEquals("application/json", ev.get("datacontenttype").asText());
            assertEquals(t.task().taskId(), ev.get("data").get("taskId").asText());
            assertEquals("TRANSFORM", ev.get("data").get("flowType").asText());
            assertEquals(List.of(TaskRunner.Result.SUCCEEDED, TaskRunner.Result.SKIPPED), received.get(0).deliveries());
            assertEquals(1, transform.runs("did:odf:derived"));
            assertEquals(TaskStatus.SUCCEEDED, flows.service().task(t.task().taskId()).status());
        }
    }

    @Test
    void aTaskOfAnotherTypeIsLeftForTheFunctionThatServesIt() {
        try (FlowSystem flows = FlowSystem.builder(state.tables).clock(state.clock).dispatcher(r -> t -> { }).build()) {
            TriggerResult t = flows.service().trigger("did:odf:derived", FlowType.TRANSFORM, null);
            assertEquals(TaskRunner.Result.NOT_SERVED, ingestWorker.runner().runIfServed(t.task().taskId()));
            assertEquals(TaskStatus.QUEUED, flows.service().task(t.task().taskId()).status(), "misrouted: untouched");
            assertEquals(TaskRunner.Result.SUCCEEDED, transformWorker.runner().runIfServed(t.task().taskId()));
            assertEquals(TaskRunner.Result.NOT_FOUND, transformWorker.runner().runIfServed("task-none"));
            assertThrows(IllegalArgumentException.class, () -> transformWorker.runner().runIfServed(" "));
        }
    }

    @Test
    void aRefusedEventIsDispatchedAgainAfterItsDispatchLease() {
        try (FlowSystem flows = scheduler(CloudEventTaskDispatcher.Mode.BINARY)) {
            flows.service().setConfig("did:odf:a", FlowType.INGEST, FlowConfig.of(new FlowTrigger.Interval(Duration.ofHours(1))));
            refuse.set(1);
            assertEquals(new TickResult("t1", 1, 1, 0, 0, false), flows.scheduler().tick("t1", state.clock.instant()), "refused: not counted");
            assertEquals(0, received.size());
            assertEquals(0, flows.scheduler().tick("t2", state.clock.instant()).dispatched(), "it holds its dispatch lease");
            state.clock.advance(SchedulerConfig.defaults().dispatchLease().plusSeconds(1));
            assertEquals(new TickResult("t3", 0, 0, 1, 1, false), flows.scheduler().tick("t3", state.clock.instant()));
            assertEquals(1, received.size());
            assertEquals(1, ingest.runs("did:odf:a"));
            assertEquals(TaskStatus.SUCCEEDED, flows.service().tasks("did:odf:a", 10).get(0).status());
        }
    }

    @Test
    void dispatchFailuresAreTypedAndNameTheSink() {
        var d = new CloudEventTaskDispatcher(sink(), SOURCE, CloudEventTaskDispatcher.Mode.BINARY, Duration.ofSeconds(10), state.clock);
        refuse.set(1);
        var e = assertThrows(TaskDispatchException.class, () -> d.dispatch(new DispatchedTask("task-x", "did:odf:a", FlowType.INGEST)));
        assertTrue(e.getMessage().contains("HTTP 503") && e.getMessage().contains(sink().toString()), e.getMessage());
        broker.stop(0);
        var down = assertThrows(TaskDispatchException.class, () -> d.dispatch(new DispatchedTask("task-x", "did:odf:a", FlowType.INGEST)));
        assertTrue(down.getMessage().contains("not delivered"), down.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new CloudEventTaskDispatcher(URI.create("ftp://x/"), SOURCE, CloudEventTaskDispatcher.Mode.BINARY, Duration.ofSeconds(1), state.clock));
        assertFalse(TaskEvent.data(new DispatchedTask("t\"1", null, FlowType.RESET)).contains("t\"1"));
        assertEquals("{\"taskId\":\"t\\\"1\",\"datasetId\":null,\"flowType\":\"RESET\"}",
                TaskEvent.data(new DispatchedTask("t\"1", null, FlowType.RESET)));
    }
}
