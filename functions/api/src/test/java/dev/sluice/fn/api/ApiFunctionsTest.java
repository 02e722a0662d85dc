package dev.sluice.fn.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.odf.Multihash;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class ApiFunctionsTest {
    static final String SNAPSHOT = """
            kind: DatasetSnapshot
            version: 1
            content:
              name: kamu/things
              kind: Root
              metadata:
                - kind: AddPushSource
                  sourceName: default
                  read:
                    kind: Csv
                    header: true
                    schema:
                      fields:
                        - { name: id, type: int64 }
                  merge:
                    kind: Append
            """;

    @Test
    void createListMetadataAndTransfer() {
        given().contentType("application/yaml").body(SNAPSHOT.getBytes(StandardCharsets.UTF_8)).post("/datasets")
                .then().statusCode(201).body("alias", equalTo("kamu/things")).body("kind", equalTo("Root"));
        given().contentType("application/yaml").body(SNAPSHOT.getBytes(StandardCharsets.UTF_8)).post("/datasets")
                .then().statusCode(409).body("error", equalTo("dataset-exists"));
        given().get("/datasets").then().statusCode(200).body("datasets.alias", hasItem("kamu/things"));
        given().get("/kamu/things/metadata").then().statusCode(200).body("output.seed.datasetKind", equalTo("Root"))
                .body("output.pushSources", hasItem("default"));
        given().get("/kamu/things/tail").then().statusCode(200).body("data.size()", equalTo(0));

        String head = given().get("/kamu/things/refs/head").then().statusCode(200).extract().asString();
        byte[] block = given().get("/kamu/things/blocks/" + head).then().statusCode(200).extract().asByteArray();
        assertEquals(head, Multihash.sha3(block).toMultibase(), "served block bytes hash to their name");
    }

    @Test
    void funqyEntryPoints() {
        given().contentType("application/json").post("/list-datasets").then().statusCode(200);
        given().contentType("application/json").body("{\"dataset\":\"missing\"}").post("/metadata")
                .then().statusCode(404).body("error", equalTo("dataset-not-found"));
        given().contentType("application/json").body("{\"snapshot\":\"kind: Nonsense\"}").post("/create-dataset")
                .then().statusCode(400);
    }

    @Test
    void errorsAreJson() {
        given().get("/kamu/no-such/refs/head").then().statusCode(404).body("error", equalTo("dataset-not-found"));
        given().get("/other/things/metadata").then().statusCode(404).body("message", startsWith("account"));
        given().get("/kamu/things/blocks/not-a-hash").then().statusCode(anyOf4xx());
        given().get("/no/such/path/at/all").then().statusCode(404).body("status", equalTo(404));
        given().contentType("image/png").body(new byte[] {1, 2}).post("/datasets").then().statusCode(415);
        given().delete("/datasets").then().statusCode(405).body("status", equalTo(405));
    }

    private static org.hamcrest.Matcher<Integer> anyOf4xx() {
        return org.hamcrest.Matchers.both(org.hamcrest.Matchers.greaterThanOrEqualTo(400)).and(org.hamcrest.Matchers.lessThan(500));
    }
}
