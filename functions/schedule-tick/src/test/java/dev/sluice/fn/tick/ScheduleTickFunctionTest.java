package dev.sluice.fn.tick;

import dev.sluice.fn.common.FlowNode;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.flows.FlowConfig;
import dev.sluice.flows.FlowTrigger;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.TaskStatus;
import dev.sluice.flows.TaskView;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The function over HTTP, on the embedded state store of a fresh data folder, with a test executor bean. */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class ScheduleTickFunctionTest {
    @Inject FlowNode node;
    @Inject CountingIngestExecutor executor;

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(20); // polling a condition with a deadline
        }
    }

    long succeeded(String datasetId) {
        return node.flows().service().tasks(datasetId, 10).stream().filter(t -> t.status() == TaskStatus.SUCCEEDED).count();
    }

    @Test
    void aTickRunsDueFlowsOnceAndARedeliveryChangesNothing() throws Exception {
        List<String> ids = List.of("did:odf:tick-a", "did:odf:tick-b", "did:odf:tick-c");
        for (String id : ids) node.flows().service().setConfig(id, FlowType.INGEST, FlowConfig.of(new FlowTrigger.Interval(Duration.ofHours(1))));
        String body = "{\"id\":\"evt-1\",\"time\":\"" + Instant.now().plusSeconds(1) + "\",\"source\":\"/timer\",\"type\":\"tick\"}";
        given().contentType("application/json").body(body).post("/schedule-tick").then().statusCode(200)
                .body("id", equalTo("evt-1")).body("due", equalTo(3)).body("claimed", equalTo(3))
                .body("dispatched", equalTo(2)).body("requeued", equalTo(0)).body("duplicate", equalTo(false));
        given().contentType("application/json").body(body).post("/schedule-tick").then().statusCode(200)
                .body("claimed", equalTo(3)).body("dispatched", equalTo(2)).body("duplicate", equalTo(true));
        // the third waits over the budget; the local pool dispatches it into the first slot that frees
        await(() -> ids.stream().allMatch(id -> succeeded(id) == 1), "all three tasks to run");
        given().contentType("application/json").body("{\"id\":\"evt-2\"}").post("/schedule-tick").then().statusCode(200)
                .body("due", equalTo(0)).body("claimed", equalTo(0)).body("dispatched", equalTo(0)).body("duplicate", equalTo(false));
        for (String id : ids) {
            assertEquals(1, executor.runs(id), id);
            List<TaskView> tasks = node.flows().service().tasks(id, 10);
            assertEquals(1, tasks.size(), id);
            assertEquals("1 new records", tasks.get(0).outcome());
        }
    }

    @Test
    void aPingWithoutIdIsKeyedByItsMinute() {
        // A Knative PingSource posts its static data ({}) only; a tick at a given time is keyed by that minute.
        given().contentType("application/json").body("{\"time\":\"2025-01-01T00:00:10Z\"}").post("/schedule-tick")
                .then().statusCode(200).body("id", equalTo("ping-60000-" + (Instant.parse("2025-01-01T00:00:00Z").toEpochMilli() / 60000)))
                .body("duplicate", equalTo(false));
        given().contentType("application/json").body("{\"time\":\"2025-01-01T00:00:50Z\"}").post("/schedule-tick")
                .then().statusCode(200).body("duplicate", equalTo(true));
        given().contentType("application/json").body("{}").post("/schedule-tick").then().statusCode(200)
                .body("id", startsWith("ping-60000-"));
    }

    @Test
    void badTickEventsAre400s() {
        given().contentType("application/json").body("{\"id\":\"x\",\"time\":\"yesterday\"}").post("/schedule-tick")
                .then().statusCode(400).body("message", containsString("RFC 3339"));
        given().contentType("application/json").body("{bad").post("/schedule-tick").then().statusCode(400);
    }
}
