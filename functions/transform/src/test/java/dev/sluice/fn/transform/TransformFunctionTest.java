package dev.sluice.fn.transform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.fn.common.FlowNode;
import dev.sluice.fn.common.Node;
import dev.sluice.flows.FlowConfig;
import dev.sluice.flows.FlowService;
import dev.sluice.flows.FlowTrigger;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.TaskStatus;
import dev.sluice.flows.TaskView;
import dev.sluice.ingest.IngestSource;
import dev.sluice.odf.yaml.ManifestYaml;
import dev.sluice.storage.Dataset;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** The function over HTTP (Funqy JSON), on a node with the fixture datasets. */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class TransformFunctionTest {
    @Inject Node node;
    @Inject FlowNode flows;

    static Path manifest(String file) {
        return Path.of(System.getProperty("sluice.sharedDir", "../../../shared"), "fixtures", "manifests", file);
    }

    Dataset create(String yaml) {
        return node.repository().create(ManifestYaml.readSnapshot(yaml));
    }

    Dataset ensure(String name, String file) throws Exception {
        var found = node.repository().find(name);
        return found.isPresent() ? found.get() : create(Files.readString(manifest(file)));
    }

    void push(Dataset ds, String ndjson) {
        node.ingest().ingest(ds, null, "application/x-ndjson", IngestSource.ofBytes(ndjson.getBytes(StandardCharsets.UTF_8)), null);
    }

    /** A root like player-scores under another name, so each test has its own input. */
    Dataset root(String name) throws Exception {
        var found = node.repository().find(name);
        return found.isPresent() ? found.get()
                : create(Files.readString(manifest("kamu-cli__leaderboard__player-scores.yaml")).replace("name: player-scores", "name: " + name));
    }

    static String derivative(String name, String input, String engine, String sql) {
        return "kind: DatasetSnapshot\nversion: 1\ncontent:\n  name: " + name + "\n  kind: Derivative\n  metadata:\n"
                + "    - kind: SetTransform\n      inputs:\n        - datasetRef: " + input + "\n          alias: player_scores\n"
                + "      transform:\n        kind: Sql\n        engine: " + engine + "\n        query: \"" + sql + "\"\n"
                + "    - kind: SetVocab\n      eventTimeColumn: match_time\n";
    }

    @Test
    void bringsTheLeaderboardUpToDate() throws Exception {
        Dataset scores = ensure("player-scores", "kamu-cli__leaderboard__player-scores.yaml");
        ensure("leaderboard", "kamu-cli__leaderboard__leaderboard.yaml");
        push(scores, "{\"match_time\":\"2000-01-01T00:00:00Z\",\"match_id\":1,\"player_id\":\"alice\",\"score\":100}\n"
                + "{\"match_time\":\"2000-01-01T00:00:00Z\",\"match_id\":1,\"player_id\":\"bob\",\"score\":80}\n");
        given().contentType("application/json").body("{\"dataset\":\"leaderboard\"}").post("/transform")
                .then().statusCode(200)
                .body("dataset", equalTo("kamu/leaderboard"))
                .body("upToDate", equalTo(true))
                .body("steps", hasSize(1))
                .body("steps[0].offsets", contains(0, 1))
                .body("steps[0].engine", equalTo("duckdb"))
                .body("notes[0]", containsString("ran on the duckdb engine"));
        given().contentType("application/json").body("{\"dataset\":\"leaderboard\"}").post("/transform")
                .then().statusCode(200).body("steps", hasSize(0)).body("upToDate", equalTo(true)).body("waitingFor", nullValue());
        Assertions.assertEquals(0, node.index().failures(), "the state index followed the transform's commits");
    }

    @Test
    void typedFailuresAreJson4xx() throws Exception {
        Dataset scores = root("scores-for-failures");
        push(scores, "{\"match_time\":\"2000-01-02T00:00:00Z\",\"match_id\":2,\"player_id\":\"carol\",\"score\":7}\n");
        if (node.repository().find("bad-sql").isEmpty()) create(derivative("bad-sql", "scores-for-failures", "duckdb", "select match_time frm player_scores"));
        if (node.repository().find("flink-only").isEmpty()) {
            create(derivative("flink-only", "scores-for-failures", "flink", "select match_time from player_scores for system_time as of proctime()"));
        }
        given().contentType("application/json").body("{\"dataset\":\"bad-sql\"}").post("/transform")
                .then().statusCode(400).body("error", equalTo("invalid-transform")).body("message", containsString("Parser Error"));
        given().contentType("application/json").body("{\"dataset\":\"flink-only\"}").post("/transform")
                .then().statusCode(422).body("error", equalTo("engine-not-available")).body("message", startsWith("engine flink not available"));
        given().contentType("application/json").body("{\"dataset\":\"scores-for-failures\"}").post("/transform")
                .then().statusCode(400).body("message", containsString("root dataset"));
        given().contentType("application/json").body("{\"dataset\":\"nope\"}").post("/transform").then().statusCode(404);
        given().contentType("application/json").body("{}").post("/transform").then().statusCode(400).body("message", equalTo("missing 'dataset'"));
        given().contentType("application/json").body("{\"dataset\":\"bad-sql\",\"maxSteps\":0}").post("/transform").then().statusCode(400)
                .body("message", equalTo("'maxSteps' must be at least 1"));
    }

    @Test
    void resetTakesADerivativeBackToItsMetadata() throws Exception {
        Dataset scores = root("scores-for-reset");
        push(scores, "{\"match_time\":\"2000-01-03T00:00:00Z\",\"match_id\":3,\"player_id\":\"dave\",\"score\":1}\n");
        if (node.repository().find("all-scores").isEmpty()) {
            create(derivative("all-scores", "scores-for-reset", "duckdb", "select match_time, player_id, score from player_scores"));
        }
        given().contentType("application/json").body("{\"dataset\":\"all-scores\"}").post("/transform").then().statusCode(200);
        given().contentType("application/json").body("{\"dataset\":\"all-scores\"}").post("/transform-reset")
                .then().statusCode(200).body("keptEvents", equalTo(0));
        Assertions.assertNull(node.repository().get("all-scores").state().lastOffset());
    }

    /** The TRANSFORM, COMPACTION and RESET executors this module contributes, run as flow tasks on the local pool. */
    @Test
    void flowTasksTransformCompactAndReset() throws Exception {
        Dataset scores = root("scores-for-flows");
        push(scores, "{\"match_time\":\"2000-01-04T00:00:00Z\",\"match_id\":4,\"player_id\":\"erin\",\"score\":3}\n"
                + "{\"match_time\":\"2000-01-04T00:00:00Z\",\"match_id\":4,\"player_id\":\"fred\",\"score\":4}\n");
        push(scores, "{\"match_time\":\"2000-01-05T00:00:00Z\",\"match_id\":5,\"player_id\":\"erin\",\"score\":5}\n");
        Dataset copy = create(derivative("flow-scores", "scores-for-flows", "duckdb", "select match_time, player_id, score from player_scores"));
        String did = copy.id().toDid();
        FlowService service = flows.flows().service();
        assertEquals(FlowTrigger.Reactive.immediate(), service.flow(did, FlowType.TRANSFORM).config().trigger(), "a default flow at creation");

        TaskView first = run(service, did, FlowType.TRANSFORM);
        assertEquals(TaskStatus.SUCCEEDED, first.status(), first.toString());
        assertEquals("2 steps, 3 new records", first.outcome());

        String input = scores.id().toDid();
        service.setConfig(input, FlowType.COMPACTION, FlowConfig.manual());
        TaskView compacted = run(service, input, FlowType.COMPACTION);
        assertEquals("compacted: 2 → 1 slices, 6 → 5 blocks", compacted.outcome());

        TaskView recovered = run(service, did, FlowType.TRANSFORM);
        assertEquals("1 step, 3 new records (recomputed after a breaking change in an input)", recovered.outcome());
        assertTrue(recovered.log().stream().anyMatch(l -> l.contains("recovering (forBreakingChange: Recover)")), recovered.log().toString());

        TaskView reset = run(service, did, FlowType.RESET);
        assertEquals("reset to metadata (2 blocks dropped)", reset.outcome());
        Assertions.assertNull(node.repository().get(did).state().lastOffset());
    }

    /** Triggers the flow and waits until its task has finished and the flow has recorded it. */
    static TaskView run(FlowService service, String did, FlowType type) throws InterruptedException {
        String id = service.trigger(did, type, null).task().taskId();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            TaskView t = service.task(id);
            if (t.status().finished() && !id.equals(service.flow(did, type).activeTaskId())) return t;
            if (System.nanoTime() > deadline) throw new AssertionError("task did not finish: " + t);
            Thread.sleep(20); // polling a condition with a deadline
        }
    }
}
