package dev.sluice.fn.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.sluice.fn.common.Node;
import dev.sluice.odf.yaml.ManifestYaml;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class IngestFunctionTest {
    static final String SNAPSHOT = """
            kind: DatasetSnapshot
            version: 1
            content:
              name: scores
              kind: Root
              metadata:
                - kind: AddPushSource
                  sourceName: default
                  read:
                    kind: NdJson
                    schema:
                      fields:
                        - { name: id, type: int64 }
                        - { name: name, type: string }
                  merge:
                    kind: Ledger
                    primaryKey: [id]
            """;

    @Inject Node node;

    /** RestAssured encodes strings only for content types it knows; data formats go as bytes. */
    static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @BeforeEach
    void dataset() {
        if (node.repository().find("scores").isEmpty()) node.repository().create(ManifestYaml.readSnapshot(SNAPSHOT));
    }

    @Test
    void rawBodyPushThenLedgerDedup() {
        String body = "{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"name\":\"b\"}\n";
        given().contentType("application/x-ndjson").body(bytes(body)).post("/kamu/scores/ingest")
                .then().statusCode(200).body("rowsRead", equalTo(2)).body("dataset", equalTo("kamu/scores"));
        given().contentType("application/x-ndjson").body(bytes(body)).post("/kamu/scores/ingest")
                .then().statusCode(200).body("committed", equalTo(false)).body("rowsAdded", equalTo(0));
        org.junit.jupiter.api.Assertions.assertEquals(0, node.index().failures(), "the state index followed every commit");
    }

    @Test
    void funqyEntryPoint() {
        given().contentType("application/json")
                .body("{\"dataset\":\"scores\",\"data\":\"{\\\"id\\\":7,\\\"name\\\":\\\"x\\\"}\",\"idempotencyKey\":\"k-7\"}")
                .post("/ingest").then().statusCode(200).body("newHead", notNullValue());
        given().contentType("application/json")
                .body("{\"dataset\":\"scores\",\"data\":\"{\\\"id\\\":7,\\\"name\\\":\\\"x\\\"}\",\"idempotencyKey\":\"k-7\"}")
                .post("/ingest").then().statusCode(200).body("duplicate", equalTo(true));
    }

    @Test
    void badRequestsAreJson4xx() {
        given().contentType("application/x-ndjson").body(bytes("{not json")).post("/kamu/scores/ingest")
                .then().statusCode(400).body("error", equalTo("bad-input"));
        given().contentType("image/png").body(bytes("x")).post("/kamu/scores/ingest").then().statusCode(415).body("status", equalTo(415));
        given().contentType("application/x-ndjson").body(bytes("{}")).post("/kamu/nope/ingest").then().statusCode(404).body("error", equalTo("dataset-not-found"));
        given().contentType("application/x-ndjson").body(bytes("x".repeat(100_001))).post("/kamu/scores/ingest").then().statusCode(413).body("status", equalTo(413));
        given().contentType("application/json").body("{bad").post("/ingest").then().statusCode(400).body("status", equalTo(400));
        given().contentType("application/json").body("{\"dataset\":\"../etc\",\"data\":\"\"}").post("/ingest").then().statusCode(400);
    }
}
