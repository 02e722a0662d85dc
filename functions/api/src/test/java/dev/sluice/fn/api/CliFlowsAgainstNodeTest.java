package dev.sluice.fn.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.cli.CliRun;
import dev.sluice.fn.common.FlowNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ./sluice flows, tasks and trigger with {@code --node URL} against this application, in-process, with the test
 * executors (ingest succeeds or fails as the flow's options say; transform runs until released). A ticker thread
 * dispatches queued tasks every 50 ms, as the local node's timer does.
 */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class CliFlowsAgainstNodeTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    @Inject FlowNode flowNode;
    @Inject BlockingTransformExecutor transform;

    private Thread ticker;
    private volatile boolean ticking;

    @BeforeEach
    void datasetsAndTicker() {
        FlowResourceTest.create(FlowResourceTest.POLLED.formatted("cli-polled"), FlowResourceTest.POLLED.formatted("cli-failing"),
                FlowResourceTest.PUSHED.formatted("cli-pushed"), FlowResourceTest.DERIVED.formatted("cli-derived", "cli-polled"));
        ticking = true;
        ticker = new Thread(() -> {
            while (ticking) {
                flowNode.flows().scheduler().dispatchQueued(Instant.now());
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }, "test-ticker");
        ticker.start();
    }

    @AfterEach
    void stopTicker() throws InterruptedException {
        // Stopped by a flag, not an interrupt: an interrupted SDK call aborts its HTTP request, and dynalite dies of that.
        ticking = false;
        ticker.join(TimeUnit.SECONDS.toMillis(30));
    }

    CliRun.Result node(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--node", base.toString()));
        return CliRun.run(all.toArray(String[]::new));
    }

    static CliRun.Result ok(CliRun.Result r) {
        assertEquals(0, r.exit(), r::toString);
        return r;
    }

    static CliRun.Result fails(String errPart, CliRun.Result r) {
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().startsWith("error: ") && r.err().contains(errPart), r.toString());
        return r;
    }

    static List<String> rows(CliRun.Result r) {
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.size() >= 2 && lines.get(1).startsWith("----"), r.out());
        return lines.subList(2, lines.size());
    }

    /** Polls a task (over REST) until it has finished; the ticker dispatches it. */
    static void awaitFinished(String taskId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(given().get("/tasks/" + taskId).then().extract().<String>path("status"))) {
            if (System.nanoTime() > deadline) throw new AssertionError("task " + taskId + " did not finish");
            Thread.sleep(20); // polling a condition with a deadline
        }
    }

    @Test
    void flowsAreConfiguredPausedAndShownOnTheNode() throws Exception {
        String empty = ok(node("flows", "cli-polled")).out();
        assertTrue(empty.equals("no flows for kamu/cli-polled (its default flow type is ingest)\n")
                || empty.startsWith("TYPE "), empty); // another test may have run a flow already

        List<String> set = rows(ok(node("flows", "kamu/cli-polled", "--cron", "0 0 1 1 *", "--retry", "4/30s", "--backoff", "linear",
                "--stop-after", "3", "--priority", "8")));
        assertTrue(set.get(0).matches("ingest +WAITING +cron 0 0 1 1 \\* +4 attempts/30s linear +after 3 +8 +\\S+Z +.*"), set.get(0));
        JsonNode viaRest = JSON.readTree(given().get("/kamu/cli-polled/flows/ingest").then().statusCode(200).extract().asString());
        JsonNode viaCli = JSON.readTree(ok(node("flows", "cli-polled", "--type", "dev.kamu.flow.dataset.ingest", "-o", "json")).out());
        assertEquals(viaRest, viaCli, "-o json prints the node's document");
        assertEquals("Linear", viaCli.path("config").path("retry").path("backoff").asText());

        assertTrue(rows(ok(node("flows", "cli-polled", "--pause"))).get(0).startsWith("ingest  PAUSED (paused by user)  cron 0 0 1 1 *"));
        assertEquals("PAUSED", given().get("/kamu/cli-polled/flows/ingest").then().extract().path("status"));
        assertTrue(rows(ok(node("flows", "cli-polled", "--resume", "--every", "12h"))).get(0)
                .matches("ingest +WAITING +every 12h +4 attempts/30s linear +after 3 +8 +\\S+Z +.*"));
        assertTrue(rows(ok(node("flows", "cli-derived", "--reactive", "10"))).get(0).matches("transform +WAITING +reactive \\(10 records or 0s\\) .*"));

        fails("trigger.every: '1x' is not a duration", node("flows", "cli-polled", "--every", "1x"));
        assertTrue(fails("priority:", node("flows", "cli-polled", "--priority", "1000")).err().contains("(HTTP 400 from PUT " + base));
        fails("kamu/cli-pushed is a root dataset without a polling source, so it has no default flow type; name one (compaction or reset) with --type",
                node("flows", "cli-pushed", "--every", "1h"));
        fails("kamu/cli-pushed has no polling source", node("flows", "cli-pushed", "--type", "ingest", "--manual"));
        fails("dataset kamu/cli-pushed has no reset flow", node("flows", "cli-pushed", "--type", "reset", "--pause"));
        fails("dataset not found: kamu/nope (HTTP 404", node("flows", "nope"));
        assertTrue(rows(ok(node("flows", "cli-polled"))).get(0).contains("every 12h"));
    }

    @Test
    void triggerWaitsForTheTaskAndTasksShowIt() throws Exception {
        CliRun.Result ran = ok(node("trigger", "cli-polled", "--wait"));
        List<String> out = ran.out().lines().toList();
        assertEquals(2, out.size(), ran.out());
        String id = out.get(0);
        assertTrue(id.matches("task-[0-9a-f-]{36}"), id);
        assertEquals("succeeded: 3 new records", out.get(1));
        assertEquals("SUCCEEDED", given().get("/tasks/" + id).then().extract().path("status"));

        String show = ok(node("tasks", "--show", id)).out();
        assertTrue(show.startsWith("task         " + id + "\ndataset      kamu/cli-polled\nflow         ingest (dev.kamu.flow.dataset.ingest)\n"
                + "status       SUCCEEDED\ncause        MANUAL (triggered manually)\n"), show);
        assertTrue(show.lines().anyMatch(l -> l.matches("  \\S+Z fetched 3 records")), show);
        JsonNode shown = JSON.readTree(ok(node("tasks", "--show", id, "-o", "json")).out());
        assertEquals(JSON.readTree(given().get("/tasks/" + id).then().extract().asString()), shown);

        List<String> tasks = rows(ok(node("tasks", "cli-polled", "-n", "1")));
        assertEquals(1, tasks.size());
        assertTrue(tasks.get(0).matches(id + " +kamu/cli-polled +ingest +SUCCEEDED +1 +MANUAL( +\\S+Z){3} +3 new records"), tasks.get(0));
        assertTrue(rows(ok(node("tasks", "-n", "100"))).stream().anyMatch(l -> l.startsWith(id + "  kamu/cli-polled")));

        // Without --wait: the id, at once; a failing task makes --wait exit 1 with the task's error.
        given().contentType("application/json").body("{\"options\": {\"fail\": \"source answered 503\"}}").put("/kamu/cli-failing/flows/ingest")
                .then().statusCode(200);
        CliRun.Result failed = node("trigger", "kamu/cli-failing", "--type", "ingest", "--wait", "--priority", "3");
        assertEquals(1, failed.exit(), failed::toString);
        String failedId = failed.out().strip();
        assertTrue(failed.err().startsWith("error: task " + failedId + " failed: source answered 503"), failed.toString());
        assertEquals(3, (int) given().get("/tasks/" + failedId).then().extract().path("priority"));
        assertTrue(rows(ok(node("flows", "cli-failing"))).get(0).matches("ingest +WAITING +manual .* +failed: source answered 503"));

        String queued = ok(node("trigger", "cli-polled")).out().strip();
        assertTrue(queued.matches("task-[0-9a-f-]{36}") && !queued.equals(id), queued);

        awaitFinished(queued);

        fails("has no default flow type", node("trigger", "cli-pushed"));
        fails("kamu/cli-polled is a root dataset", node("trigger", "cli-polled", "--type", "transform"));
        fails("dataset not found: kamu/nope (HTTP 404", node("trigger", "nope"));
        fails("no task task-none (HTTP 404 from GET " + base + "tasks/task-none)", node("tasks", "--show", "task-none"));
        fails("no task '../etc'", node("tasks", "--show", "../etc"));
    }

    @Test
    void aFlowWithATaskAnswersThatTask() throws Exception {
        transform.hold();
        String id;
        try {
            id = ok(node("trigger", "cli-derived")).out().strip();
            assertTrue(transform.awaitStarted(30), "the transform task started");
            CliRun.Result again = ok(node("trigger", "cli-derived", "--type", "transform"));
            assertEquals(id, again.out().strip());
            assertTrue(again.err().startsWith("note: the transform flow of kamu/cli-derived already has this task (RUNNING); no new one was created"),
                    again.err());
            assertTrue(rows(ok(node("flows", "cli-derived"))).get(0).startsWith("transform  RUNNING"));
        } finally {
            transform.release();
        }
        CliRun.Result waited = ok(node("trigger", "cli-derived", "--wait"));
        assertTrue(waited.out().endsWith("succeeded: 1 new records\n"), waited.out());
    }
}
