package dev.sluice.fn.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.fn.common.FlowNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The flow and task endpoints over HTTP, on the embedded state store, with test executors for ingest (succeeds, or
 * fails as the flow's options say) and transform (held RUNNING until released). The application has no tick: where
 * a task waits for the budget, the test dispatches queued tasks as a tick would.
 */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class FlowResourceTest {
    static final String POLLED = """
            kind: DatasetSnapshot
            version: 1
            content:
              name: %s
              kind: Root
              metadata:
                - kind: SetPollingSource
                  fetch:
                    kind: FilesGlob
                    path: /nonexistent/*.csv
                  read:
                    kind: Csv
                    header: true
                    schema:
                      fields:
                        - { name: id, type: int64 }
                  merge:
                    kind: Append
            """;
    static final String PUSHED = ApiFunctionsTest.SNAPSHOT.replace("kamu/things", "%s");
    static final String DERIVED = """
            kind: DatasetSnapshot
            version: 1
            content:
              name: %s
              kind: Derivative
              metadata:
                - kind: SetTransform
                  inputs:
                    - datasetRef: %s
                      alias: input
                  transform:
                    kind: Sql
                    engine: duckdb
                    query: select id from input
            """;

    @Inject FlowNode flowNode;
    @Inject BlockingTransformExecutor transform;

    @BeforeEach
    void datasets() {
        create(POLLED.formatted("polled"), POLLED.formatted("failing"), PUSHED.formatted("pushed"), DERIVED.formatted("derived", "polled"));
    }

    /** Creates datasets (201, or 409 when an earlier test did). */
    static void create(String... snapshots) {
        for (String yaml : snapshots) {
            int status = given().contentType("application/yaml").body(yaml.getBytes(StandardCharsets.UTF_8)).post("/datasets").statusCode();
            assertTrue(status == 201 || status == 409, "creating a dataset: HTTP " + status);
        }
    }

    static ValidatableResponse put(String path, String json) {
        return given().contentType("application/json").body(json).put(path).then();
    }

    static ValidatableResponse post(String path) {
        return given().contentType("application/json").post(path).then();
    }

    static ValidatableResponse post(String path, String json) {
        return given().contentType("application/json").body(json).post(path).then();
    }

    /** Polls a task until it has the status, dispatching queued tasks in between as a tick would. */
    JsonPath awaitTask(String taskId, String status) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            JsonPath task = given().get("/tasks/" + taskId).then().statusCode(200).extract().jsonPath();
            if (status.equals(task.getString("status"))) return task;
            if (System.nanoTime() > deadline) throw new AssertionError("task " + taskId + " is " + task.getString("status") + ", not " + status);
            flowNode.flows().scheduler().dispatchQueued(Instant.now());
            Thread.sleep(20); // polling a condition with a deadline
        }
    }

    @Test
    void datasetsListTheirFlowsAndDefaultType() {
        given().get("/kamu/polled/flows").then().statusCode(200).body("dataset", equalTo("kamu/polled"))
                .body("datasetId", startsWith("did:odf:")).body("kind", equalTo("Root")).body("pollingSource", equalTo(true))
                .body("defaultType", equalTo("ingest"));
        given().get("/kamu/pushed/flows").then().statusCode(200).body("pollingSource", equalTo(false))
                .body("defaultType", nullValue());
        given().get("/kamu/derived/flows").then().statusCode(200).body("kind", equalTo("Derivative")).body("defaultType", equalTo("transform"));
    }

    @Test
    void configurationsAreSetShownAndListed() {
        String config = """
                {"trigger": {"cron": "0 0 1 1 *"}, "retry": {"maxAttempts": 3, "minDelay": "1m", "backoff": "exponential"},
                 "stop": {"afterConsecutiveFailures": 2}, "priority": 5, "options": {"fetchUncacheable": true}}""";
        String nextJan1 = LocalDate.now(ZoneOffset.UTC).withDayOfYear(1).plusYears(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
        put("/kamu/polled/flows/ingest", config).statusCode(200).body("type", equalTo("ingest"))
                .body("kamuType", equalTo("dev.kamu.flow.dataset.ingest")).body("status", equalTo("WAITING"))
                .body("nextDueAt", equalTo(nextJan1)).body("pausedReason", nullValue()).body("lastTask", nullValue())
                .body("config.trigger", equalTo(Map.of("cron", "0 0 1 1 *")))
                .body("config.retry", equalTo(Map.of("maxAttempts", 3, "minDelay", "PT1M", "backoff", "Exponential")))
                .body("config.stop.afterConsecutiveFailures", equalTo(2)).body("config.priority", equalTo(5))
                .body("config.options", equalTo(Map.of("fetchUncacheable", "true")));
        given().get("/kamu/polled/flows/dev.kamu.flow.dataset.ingest").then().statusCode(200).body("type", equalTo("ingest"))
                .body("nextDueAt", equalTo(nextJan1)).body("config.retry.backoff", equalTo("Exponential"));
        given().get("/kamu/polled/flows").then().statusCode(200).body("flows.type", hasItem("ingest"));

        put("/kamu/derived/flows/transform", "{\"trigger\": {\"reactive\": {\"minRecords\": 10, \"maxWait\": \"PT10M\"}}}").statusCode(200)
                .body("config.trigger.reactive.minRecords", equalTo(10)).body("config.trigger.reactive.maxWait", equalTo("PT10M"))
                // nothing pending: next due is the reactive recheck (sluice.flows.reactive-recheck), an hour out
                .body("nextDueAt", org.hamcrest.Matchers.notNullValue()).body("pendingRecords", equalTo(0)).body("config.retry", nullValue());
        // Compaction applies to any dataset; {} is manual only with no retries.
        put("/kamu/pushed/flows/compact", "{}").statusCode(200).body("type", equalTo("compaction")).body("config.trigger", nullValue())
                .body("nextDueAt", nullValue()).body("config.priority", equalTo(0));
    }

    @Test
    void badConfigurationsAre400sNamingTheFieldAndChangeNothing() {
        put("/kamu/polled/flows/ingest", "{\"trigger\": {\"every\": \"PT6H\"}, \"priority\": 3}").statusCode(200);
        Map<String, Object> before = given().get("/kamu/polled/flows/ingest").then().statusCode(200).extract().jsonPath().getMap("config");
        List<List<String>> cases = List.of(
                List.of("{\"trigger\": {\"every\": \"1x\"}}", "trigger.every:"),
                List.of("{\"trigger\": {\"every\": \"PT0S\"}}", "trigger.every: interval must be at least 1 second"),
                List.of("{\"trigger\": {\"cron\": \"* * *\"}}", "trigger.cron:"),
                List.of("{\"trigger\": {\"every\": \"PT1H\", \"cron\": \"0 * * * *\"}}", "trigger: give exactly one"),
                List.of("{\"trigger\": {\"reactive\": {\"minRecords\": 5}}}", "ingest flows take a schedule"),
                List.of("{\"retry\": {\"maxAttempts\": 50}}", "retry.maxAttempts:"),
                List.of("{\"retry\": {\"maxAttempts\": 2, \"backoff\": \"sometimes\"}}", "retry.backoff:"),
                List.of("{\"stop\": {\"afterConsecutiveFailures\": 0}}", "stop.afterConsecutiveFailures:"),
                List.of("{\"priority\": 1000}", "priority:"),
                List.of("{\"priority\": \"high\"}", "priority: expected a whole number"),
                List.of("{\"options\": {\"x\": [1]}}", "options.x:"),
                List.of("{\"retyr\": {\"maxAttempts\": 3}}", "unknown field 'retyr'"),
                List.of("[1, 2]", "the flow configuration: expected a JSON object"));
        for (List<String> c : cases) {
            put("/kamu/polled/flows/ingest", c.get(0)).statusCode(400).body("error", equalTo("invalid-flow-config"))
                    .body("message", startsWith(c.get(1)));
        }
        put("/kamu/polled/flows/reset", "{\"trigger\": {\"every\": \"PT1H\"}}").statusCode(400).body("message", containsString("manually"));
        put("/kamu/pushed/flows/ingest", "{}").statusCode(400).body("message", containsString("kamu/pushed has no polling source"));
        put("/kamu/polled/flows/transform", "{}").statusCode(400).body("message", containsString("kamu/polled is a root dataset"));
        put("/kamu/derived/flows/ingest", "{}").statusCode(400).body("message", containsString("is a derivative dataset"));
        put("/kamu/polled/flows/ingest", "{").statusCode(400).body("error", equalTo("bad-json"));
        put("/kamu/polled/flows/ingest", "{} []").statusCode(400).body("error", equalTo("bad-json"));
        put("/kamu/polled/flows/ingest", "").statusCode(400).body("message", startsWith("missing flow configuration"));
        given().contentType("text/plain").body("{}").put("/kamu/polled/flows/ingest").then().statusCode(415);
        put("/kamu/nope/flows/ingest", "{}").statusCode(404).body("error", equalTo("dataset-not-found"));
        put("/someone/polled/flows/ingest", "{}").statusCode(404).body("message", startsWith("account"));
        put("/kamu/polled/flows/sideways", "{}").statusCode(404).body("message", containsString("unknown flow type 'sideways'"));
        put("/kamu/..%2Fx/flows/ingest", "{}").statusCode(400);

        assertEquals(before, given().get("/kamu/polled/flows/ingest").then().statusCode(200).extract().jsonPath().getMap("config"));
        given().get("/kamu/pushed/flows").then().body("flows.type", org.hamcrest.Matchers.not(hasItem("ingest")));
        given().get("/kamu/polled/flows/transform").then().statusCode(404).body("error", equalTo("flow-not-found"))
                .body("message", equalTo("dataset kamu/polled has no transform flow"));
        given().get("/kamu/polled/flows/nonsense").then().statusCode(404);
        given().get("/kamu/nope/flows").then().statusCode(404).body("error", equalTo("dataset-not-found"));
    }

    @Test
    void aTriggerRunsATaskThatTheFlowAndTaskListsShow() throws Exception {
        String id = given().post("/kamu/polled/flows/ingest/trigger").then().statusCode(202).body("type", equalTo("ingest"))
                .body("cause", equalTo("MANUAL")).body("dataset", equalTo("kamu/polled")).body("log", nullValue())
                .extract().path("taskId");
        assertTrue(id.startsWith("task-"), id);
        JsonPath done = awaitTask(id, "SUCCEEDED");
        assertEquals("3 new records", done.getString("outcome"));
        assertEquals(3, done.getInt("newRecords"));
        assertTrue(done.getList("log", String.class).stream().anyMatch(l -> l.endsWith(" fetched 3 records")), done.prettify());
        given().get("/kamu/polled/flows/ingest").then().statusCode(200).body("lastTask.taskId", equalTo(id))
                .body("lastTask.status", equalTo("SUCCEEDED")).body("lastTask.outcome", equalTo("3 new records"))
                .body("lastTask.error", nullValue()).body("lastTask.finishedAt", equalTo(done.getString("finishedAt")))
                .body("activeTaskId", nullValue());
        given().get("/kamu/polled/tasks?limit=50").then().statusCode(200).body("tasks.taskId", hasItem(id))
                .body("tasks[0].log", nullValue()).body("tasks[0].dataset", equalTo("kamu/polled"));
        given().get("/tasks?limit=50").then().statusCode(200).body("tasks.taskId", hasItem(id)).body("tasks.dataset", hasItem("kamu/polled"));
        given().get("/kamu/polled/tasks?limit=1").then().statusCode(200).body("tasks.size()", equalTo(1));

        String prio = post("/kamu/polled/flows/ingest/trigger", "{\"priority\": 7}").statusCode(202).body("priority", equalTo(7))
                .extract().path("taskId");
        awaitTask(prio, "SUCCEEDED");

        // A failing run: the flow records the task's error.
        put("/kamu/failing/flows/ingest", "{\"options\": {\"fail\": \"source answered 503\"}}").statusCode(200);
        String failed = post("/kamu/failing/flows/ingest/trigger").statusCode(202).extract().path("taskId");
        assertEquals("source answered 503", awaitTask(failed, "FAILED").getString("error"));
        given().get("/kamu/failing/flows").then().statusCode(200).body("flows[0].lastTask.status", equalTo("FAILED"))
                .body("flows[0].lastTask.error", equalTo("source answered 503")).body("flows[0].consecutiveFailures", equalTo(1));

        // A flow without configuration is created manual-only; without an executor for its type the task fails.
        String compaction = post("/kamu/pushed/flows/compaction/trigger").statusCode(202).extract().path("taskId");
        assertTrue(awaitTask(compaction, "FAILED").getString("error").contains("no executor for compaction flows"));
    }

    @Test
    void badTriggersAre4xxAndCreateNothing() {
        int before = given().get("/kamu/polled/tasks?limit=1000").then().statusCode(200).extract().path("tasks.size()");
        post("/kamu/polled/flows/ingest/trigger", "{\"priority\": 1000}").statusCode(400).body("message", containsString("priority"));
        post("/kamu/polled/flows/ingest/trigger", "{\"priority\": \"x\"}").statusCode(400).body("message", startsWith("priority:"));
        post("/kamu/polled/flows/ingest/trigger", "{\"prio\": 1}").statusCode(400).body("message", containsString("'prio'"));
        post("/kamu/polled/flows/ingest/trigger", "[1]").statusCode(400);
        post("/kamu/polled/flows/ingest/trigger", "{\"priority\": ").statusCode(400).body("error", equalTo("bad-json"));
        given().contentType("text/csv").body("a").post("/kamu/polled/flows/ingest/trigger").then().statusCode(415);
        post("/kamu/pushed/flows/ingest/trigger").statusCode(400).body("message", containsString("no polling source"));
        post("/kamu/polled/flows/transform/trigger").statusCode(400).body("message", containsString("root dataset"));
        post("/kamu/nope/flows/ingest/trigger").statusCode(404).body("error", equalTo("dataset-not-found"));
        post("/kamu/polled/flows/sideways/trigger").statusCode(404);
        assertEquals(before, (int) given().get("/kamu/polled/tasks?limit=1000").then().statusCode(200).extract().path("tasks.size()"));
        given().get("/kamu/pushed/flows").then().body("flows.type", org.hamcrest.Matchers.not(hasItem("ingest")));
    }

    @Test
    void pauseResumeAndCancel() throws Exception {
        transform.hold();
        try {
            String running = post("/kamu/derived/flows/transform/trigger").statusCode(202).extract().path("taskId");
            awaitTask(running, "RUNNING");
            assertTrue(transform.awaitStarted(30));
            post("/tasks/" + running + "/cancel").statusCode(409).body("error", equalTo("flow-conflict"))
                    .body("message", containsString("only queued tasks can be cancelled"));
            // The flow already has a task: a trigger answers that one (200) and creates none.
            post("/kamu/derived/flows/transform/trigger").statusCode(200).body("taskId", equalTo(running));
            given().get("/kamu/derived/flows/transform").then().body("status", equalTo("RUNNING")).body("activeTaskId", equalTo(running));

            // The budget (1) is taken: a second task stays queued, and can be cancelled.
            String queued = post("/kamu/polled/flows/ingest/trigger").statusCode(202).body("status", equalTo("QUEUED")).extract().path("taskId");
            given().get("/tasks/" + queued).then().body("status", equalTo("QUEUED"));
            post("/tasks/" + queued + "/cancel").statusCode(200).body("status", equalTo("CANCELLED")).body("taskId", equalTo(queued));
            post("/tasks/" + queued + "/cancel").statusCode(200).body("status", equalTo("CANCELLED"));
            given().get("/kamu/polled/flows/ingest").then().body("activeTaskId", nullValue()).body("lastTask.status", equalTo("CANCELLED"));

            put("/kamu/polled/flows/ingest", "{\"trigger\": {\"every\": \"PT1H\"}}").statusCode(200).body("nextDueAt", org.hamcrest.Matchers.notNullValue());
            post("/kamu/polled/flows/ingest/pause").statusCode(200).body("status", equalTo("PAUSED"))
                    .body("pausedReason", equalTo("paused by user")).body("nextDueAt", nullValue());
            post("/kamu/polled/flows/ingest/pause").statusCode(200).body("status", equalTo("PAUSED"));
            given().get("/kamu/polled/flows").then().body("flows.find { it.type == 'ingest' }.status", equalTo("PAUSED"));
            post("/kamu/polled/flows/ingest/resume").statusCode(200).body("status", equalTo("WAITING"))
                    .body("pausedReason", nullValue()).body("nextDueAt", org.hamcrest.Matchers.notNullValue());
            post("/kamu/polled/flows/ingest/resume").statusCode(200).body("status", equalTo("WAITING"));
        } finally {
            transform.release();
        }
        post("/kamu/polled/flows/reset/pause").statusCode(404).body("error", equalTo("flow-not-found"));
        post("/kamu/polled/flows/reset/resume").statusCode(404).body("error", equalTo("flow-not-found"));
        post("/kamu/nope/flows/ingest/pause").statusCode(404).body("error", equalTo("dataset-not-found"));
        post("/kamu/polled/flows/ingest/stop").statusCode(404);
    }

    @Test
    void unknownTasksAndBadLimits() {
        given().get("/tasks/task-00000000-0000-0000-0000-000000000000").then().statusCode(404).body("error", equalTo("task-not-found"));
        given().get("/tasks/%2e%2e").then().statusCode(404);
        given().get("/tasks/" + "x".repeat(300)).then().statusCode(404).body("error", equalTo("task-not-found"));
        post("/tasks/task-none/cancel").statusCode(404).body("error", equalTo("task-not-found"));
        for (String limit : List.of("0", "1001", "x", "-1")) {
            given().get("/tasks?limit=" + limit).then().statusCode(400).body("message", containsString("limit"));
            given().get("/kamu/polled/tasks?limit=" + limit).then().statusCode(400);
        }
        given().get("/kamu/nope/tasks").then().statusCode(404).body("error", equalTo("dataset-not-found"));
        given().delete("/tasks").then().statusCode(405);
    }
}
