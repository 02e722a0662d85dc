package dev.sluice.fn.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A node without a state store ({@code sluice.state=none}) serves datasets, but flows and tasks answer 503. */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
@TestProfile(FlowsWithoutStateTest.NoState.class)
class FlowsWithoutStateTest {
    public static class NoState implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sluice.state", "none");
        }
    }

    @Test
    void flowsAndTasksNeedTheStateStore() {
        given().contentType("application/yaml").body(FlowResourceTest.POLLED.formatted("polled").getBytes(StandardCharsets.UTF_8))
                .post("/datasets").then().statusCode(201);
        given().get("/kamu/polled/flows").then().statusCode(503).body("error", equalTo("state-unavailable"))
                .body("message", containsString("flows need the state store"));
        given().get("/kamu/polled/flows/ingest").then().statusCode(503);
        given().contentType("application/json").body("{}").put("/kamu/polled/flows/ingest").then().statusCode(503);
        given().post("/kamu/polled/flows/ingest/trigger").then().statusCode(503);
        given().post("/kamu/polled/flows/ingest/pause").then().statusCode(503);
        given().get("/kamu/polled/tasks").then().statusCode(503);
        given().get("/tasks").then().statusCode(503);
        given().get("/tasks/task-x").then().statusCode(503);
        given().post("/tasks/task-x/cancel").then().statusCode(503);
        // Requests that are wrong anyway say so first.
        given().get("/kamu/nope/flows").then().statusCode(404);
        given().contentType("application/json").body("{\"trigger\": 1}").put("/kamu/polled/flows/ingest").then().statusCode(400);
        given().get("/kamu/polled/flows/sideways").then().statusCode(404);
    }
}
