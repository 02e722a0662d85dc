package dev.sluice.fn.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.fn.common.FlowNode;
import dev.sluice.fn.common.Node;
import dev.sluice.flows.FlowService;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.TaskStatus;
import dev.sluice.flows.TaskView;
import dev.sluice.odf.yaml.ManifestYaml;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The poll function over HTTP, polling a source served by a real HTTP server in the test. */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class PollFunctionTest {
    static final String TOKEN = "t0p-s3cret-value";

    @Inject Node node;
    @Inject FlowNode flows;
    HttpServer source;
    final AtomicReference<String> body = new AtomicReference<>("id,name\n1,a\n");
    final AtomicReference<String> etag = new AtomicReference<>("\"v1\"");
    final AtomicInteger failWith = new AtomicInteger();
    final List<String> authorizations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        source = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        source.createContext("/", ex -> {
            try (ex) {
                authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
                if (!ex.getRequestURI().getPath().equals("/data.csv")) {
                    ex.sendResponseHeaders(404, -1);
                } else if (failWith.get() != 0) {
                    ex.sendResponseHeaders(failWith.get(), -1);
                } else if (etag.get().equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
                    ex.sendResponseHeaders(304, -1);
                } else {
                    byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().add("ETag", etag.get());
                    ex.sendResponseHeaders(200, b.length);
                    ex.getResponseBody().write(b);
                }
            }
        });
        source.start();
    }

    /** Every log record of the application while a test runs, formatted with its parameters and exception. */
    final List<String> logged = new CopyOnWriteArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            java.io.StringWriter w = new java.io.StringWriter();
            if (r.getThrown() != null) r.getThrown().printStackTrace(new java.io.PrintWriter(w));
            logged.add(new java.util.logging.SimpleFormatter().formatMessage(r) + " " + w);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureLogs() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stop() {
        source.stop(0);
        Logger.getLogger("").removeHandler(capture);
        for (String line : logged) assertFalse(line.contains(TOKEN), "a secret was logged: " + line);
    }

    String create(String name, String fetch) {
        node.repository().create(ManifestYaml.readSnapshot("""
                kind: DatasetSnapshot
                version: 1
                content:
                  name: %s
                  kind: Root
                  metadata:
                    - kind: SetPollingSource
                      fetch:
                %s
                      read:
                        kind: Csv
                        header: true
                        schema:
                          fields:
                            - { name: id, type: int64 }
                            - { name: name, type: string }
                      merge:
                        kind: Ledger
                        primaryKey: [id]
                """.formatted(name, fetch.indent(8).stripTrailing())));
        return name;
    }

    String url(String path) {
        return "http://127.0.0.1:" + source.getAddress().getPort() + path;
    }

    static String poll(String dataset) {
        return "{\"dataset\":\"" + dataset + "\"}";
    }

    @Test
    void pollsChangedSourcesAndSkipsUnchangedOnes() {
        String ds = create("polled", "kind: Url\nurl: \"" + url("/${{ env.POLL_FILE }}") + "\"\nheaders:\n"
                + "  - {name: Authorization, value: \"Bearer ${{ env.POLL_TOKEN }}\"}");
        given().contentType("application/json").body(poll(ds)).post("/poll").then().statusCode(200)
                .body("dataset", equalTo("kamu/polled")).body("status", equalTo("UPDATED")).body("rowsAdded", equalTo(1))
                .body("sourceStateKind", equalTo("odf/etag")).body("sourceState", equalTo("\"v1\"")).body("hasMore", equalTo(false));
        assertEquals("Bearer " + TOKEN, authorizations.get(authorizations.size() - 1), "the secret variable was sent");

        String head = node.repository().get(ds).head().orElseThrow().toMultibase();
        given().contentType("application/json").body(poll(ds)).post("/poll").then().statusCode(200)
                .body("status", equalTo("UP_TO_DATE")).body("committed", equalTo(false)).body("newHead", equalTo(head))
                .body("detail", containsString("304"));

        body.set("id,name\n1,a\n2,b\n");
        etag.set("\"v2\"");
        given().contentType("application/json").body(poll(ds)).post("/poll").then().statusCode(200)
                .body("status", equalTo("UPDATED")).body("rowsAdded", equalTo(1)).body("addedOffsets[0]", equalTo(1));
        assertEquals(0, node.index().failures(), "the state index followed every commit");
    }

    @Test
    void fetchErrorsAreTypedAndChangeNothing() {
        String ds = create("flaky", "kind: Url\nurl: \"" + url("/data.csv") + "?token=${{ env.POLL_TOKEN }}\"");
        String head = node.repository().get(ds).head().orElseThrow().toMultibase();
        failWith.set(500);
        given().contentType("application/json").body(poll(ds)).post("/poll").then().statusCode(503)
                .body("error", equalTo("source-unavailable")).body("message", containsString("HTTP 500"))
                .body("message", containsString("token=***")).body("message", not(containsString(TOKEN)));
        failWith.set(404);
        given().contentType("application/json").body(poll(ds)).post("/poll").then().statusCode(422)
                .body("error", equalTo("fetch-failed")).body("message", not(containsString(TOKEN)));
        assertEquals(head, node.repository().get(ds).head().orElseThrow().toMultibase());
        failWith.set(0);
        given().contentType("application/json").body(poll(ds)).post("/poll").then().statusCode(200).body("status", equalTo("UPDATED"));

        String unknownVar = create("unknown-var", "kind: Url\nurl: \"" + url("/${{ env.NOT_CONFIGURED }}") + "\"");
        given().contentType("application/json").body(poll(unknownVar)).post("/poll").then().statusCode(422)
                .body("message", containsString("NOT_CONFIGURED"));
    }

    /** The INGEST flow executor this module contributes polls with the same options (variables, secrets) as the function. */
    @Test
    void ingestFlowTasksPollWithTheNodesOptions() throws Exception {
        String ds = create("flowed", "kind: Url\nurl: \"" + url("/${{ env.POLL_FILE }}") + "?t=${{ env.POLL_TOKEN }}\"");
        String did = node.repository().get(ds).id().toDid();
        FlowService service = flows.flows().service();
        assertEquals(List.of(), service.flows(did), "no default polling interval: no flow until one is set up");
        TaskView t = await(service, service.trigger(did, FlowType.INGEST, null).task().taskId());
        assertEquals(TaskStatus.SUCCEEDED, t.status(), t.toString());
        assertEquals(1L, t.newRecords());
        assertTrue(t.log().stream().anyMatch(l -> l.contains("updated: fetched " + url("/data.csv") + "?t=***")), t.log().toString());
        for (String line : t.log()) assertFalse(line.contains(TOKEN), "a secret in the task log: " + line);

        failWith.set(503);
        TaskView failed = await(service, service.trigger(did, FlowType.INGEST, null).task().taskId());
        assertEquals(TaskStatus.FAILED, failed.status());
        assertTrue(failed.error().contains("HTTP 503") && !failed.error().contains(TOKEN), failed.error());
    }

    /** The task once it has finished and its flow has recorded that (so the next trigger makes a new task). */
    static TaskView await(FlowService service, String taskId) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (true) {
            TaskView t = service.task(taskId);
            if (t.status().finished() && !taskId.equals(service.flow(t.datasetId(), t.type()).activeTaskId())) return t;
            if (System.nanoTime() > deadline) throw new AssertionError("task did not finish: " + t);
            Thread.sleep(20); // polling a condition with a deadline
        }
    }

    @Test
    void unsupportedSourcesMissingDatasetsAndBadRequests() {
        String mqtt = create("mqtt-temp", "kind: Mqtt\nhost: localhost\nport: 1883\ntopics:\n  - path: t/temp");
        given().contentType("application/json").body(poll(mqtt)).post("/poll").then().statusCode(422)
                .body("error", equalTo("unsupported-source")).body("message", containsString("Mqtt"));
        given().contentType("application/json").body(poll("nope")).post("/poll").then().statusCode(404)
                .body("error", equalTo("dataset-not-found"));
        given().contentType("application/json").body("{}").post("/poll").then().statusCode(400);
        given().contentType("application/json").body(poll("../etc")).post("/poll").then().statusCode(400);
        if (node.repository().find("push-only").isEmpty()) {
            node.repository().create(ManifestYaml.readSnapshot("""
                    kind: DatasetSnapshot
                    version: 1
                    content:
                      name: push-only
                      kind: Root
                      metadata:
                        - kind: AddPushSource
                          sourceName: default
                          read: {kind: NdJson}
                          merge: {kind: Append}
                    """));
        }
        given().contentType("application/json").body(poll("push-only")).post("/poll").then().statusCode(400)
                .body("error", equalTo("bad-input")).body("message", containsString("has no polling source"));
    }
}
