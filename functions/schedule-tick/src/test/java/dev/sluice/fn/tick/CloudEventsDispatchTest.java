package dev.sluice.fn.tick;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.flows.FlowConfig;
import dev.sluice.flows.FlowTrigger;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.TaskStatus;
import dev.sluice.flows.TaskView;
import dev.sluice.fn.common.FlowNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The cloud path end to end, in one application: {@code sluice.flows.dispatch=cloudevents} makes the tick POST a
 * {@code dev.sluice.task.queued} CloudEvent to a real HTTP server standing in for the Knative Broker, which
 * acknowledges it and then delivers it — twice, as at-least-once delivery may — to this application's
 * {@code run-task} function over HTTP. One run, one SUCCEEDED task; the duplicate answers SKIPPED.
 */
@QuarkusTest
@QuarkusTestResource(value = CloudEventsDispatchTest.Broker.class, restrictToAnnotatedClass = true)
class CloudEventsDispatchTest {
    /**
     * The stand-in broker: started before the application (whose {@code sluice.flows.dispatch-url} points at it),
     * it records each event (ce-* headers, content type, body) and the run-task answers to its two deliveries. It runs
     * in the test framework's class loader, so it shares only JDK types with the test (injected into its fields).
     */
    public static class Broker implements QuarkusTestResourceLifecycleManager {
        final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
        final AtomicReference<URI> runTask = new AtomicReference<>();
        HttpServer server;
        ExecutorService delivery;

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            delivery = Executors.newSingleThreadExecutor();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
            server.createContext("/sluice/default", exchange -> {
                try (exchange) {
                    Map<String, String> headers = new TreeMap<>();
                    exchange.getRequestHeaders().forEach((k, v) -> {
                        String name = k.toLowerCase(java.util.Locale.ROOT);
                        if (name.startsWith("ce-") || name.equals("content-type")) headers.put(name, v.get(0));
                    });
                    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(202, -1); // the broker acknowledges, then delivers
                    delivery.execute(() -> {
                        List<String> answers = new ArrayList<>();
                        for (int i = 0; i < 2; i++) {
                            try {
                                HttpResponse<String> r = http.send(HttpRequest.newBuilder(runTask.get()).timeout(Duration.ofSeconds(30))
                                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                        HttpResponse.BodyHandlers.ofString());
                                answers.add(r.statusCode() + " " + r.body());
                            } catch (Exception ex) {
                                answers.add("failed: " + ex);
                            }
                        }
                        events.add(Map.of("headers", headers, "body", body, "answers", answers));
                    });
                }
            });
            server.start();
            return Map.of("sluice.flows.dispatch", "cloudevents",
                    "sluice.flows.dispatch-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/sluice/default",
                    "sluice.flows.dispatch-source", "/test/schedule-tick");
        }

        @Override
        public void inject(TestInjector injector) {
            injector.injectIntoFields(events, f -> f.getName().equals("brokerEvents"));
            injector.injectIntoFields(runTask, f -> f.getName().equals("runTaskTarget"));
        }

        @Override
        public void stop() {
            if (server != null) server.stop(0);
            if (delivery != null) delivery.shutdownNow();
        }
    }

    List<Map<String, Object>> brokerEvents;
    AtomicReference<URI> runTaskTarget;
    @Inject FlowNode node;
    @Inject CountingIngestExecutor executor;
    @TestHTTPResource("/run-task") URI runTaskUrl;

    @Test
    void aTickSendsTaskEventsThatTheRunTaskFunctionRunsOnce() throws Exception {
        runTaskTarget.set(runTaskUrl);
        node.flows().service().setConfig("did:odf:ce-a", FlowType.INGEST, FlowConfig.of(new FlowTrigger.Interval(Duration.ofHours(1))));
        given().contentType("application/json").body("{\"id\":\"ce-1\"}").post("/schedule-tick").then().statusCode(200)
                .body("due", equalTo(1)).body("claimed", equalTo(1)).body("dispatched", equalTo(1));
        ScheduleTickFunctionTest.await(() -> brokerEvents.size() == 1, "the event to be delivered twice");
        Map<String, Object> e = brokerEvents.get(0);
        @SuppressWarnings("unchecked") Map<String, String> h = (Map<String, String>) e.get("headers");
        TaskView task = node.flows().service().tasks("did:odf:ce-a", 10).get(0);
        assertEquals("dev.sluice.task.queued", h.get("ce-type"));
        assertEquals("/test/schedule-tick", h.get("ce-source"));
        assertEquals("1.0", h.get("ce-specversion"));
        assertEquals("ingest", h.get("ce-flowtype"));
        assertEquals("did:odf:ce-a", h.get("ce-dataset"));
        assertEquals(task.taskId(), h.get("ce-subject"));
        assertEquals(36, h.get("ce-id").length());
        assertEquals("application/json", h.get("content-type"));
        assertEquals("{\"taskId\":\"" + task.taskId() + "\",\"datasetId\":\"did:odf:ce-a\",\"flowType\":\"INGEST\"}", e.get("body"));
        assertEquals(List.of(
                "200 {\"taskId\":\"" + task.taskId() + "\",\"result\":\"SUCCEEDED\",\"status\":\"SUCCEEDED\"}",
                "200 {\"taskId\":\"" + task.taskId() + "\",\"result\":\"SKIPPED\",\"status\":\"SUCCEEDED\"}"), e.get("answers"));
        assertEquals(TaskStatus.SUCCEEDED, task.status());
        assertEquals(1, executor.runs("did:odf:ce-a"));
        assertEquals(1, node.flows().service().tasks("did:odf:ce-a", 10).size());
    }

    @Test
    void malformedOrUnknownTaskEvents() {
        given().contentType("application/json").body("{}").post("/run-task").then().statusCode(400)
                .body("message", containsString("no 'taskId'"));
        given().contentType("application/json").body("{\"taskId\":\"task-none\"}").post("/run-task").then().statusCode(200)
                .body("result", equalTo("NOT_FOUND")).body("status", nullValue());
    }
}
