package dev.sluice.fn.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.fn.common.Node;
import dev.sluice.odf.yaml.ManifestYaml;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A remote state store is opened on first use, and a push does not use it on the request: with the store's endpoint
 * refusing connections (port 9, discard), the function still starts and a push commits and answers — the index and
 * flow updates written behind it fail in the background and are caught up from the log later.
 */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
@TestProfile(StoreOpenedOnFirstUseTest.UnreachableStore.class)
class StoreOpenedOnFirstUseTest {
    public static class UnreachableStore implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sluice.state", "http://127.0.0.1:9");
        }
    }

    @Inject Node node;

    @Test
    void aPushCommitsAndAnswersWithoutTheStore() {
        assertTrue(node.hasState());
        var before = node.repository().create(ManifestYaml.readSnapshot(IngestFunctionTest.SNAPSHOT)).state().head();
        given().contentType("application/x-ndjson").body(IngestFunctionTest.bytes("{\"id\":1,\"name\":\"a\"}\n")).post("/kamu/scores/ingest")
                .then().statusCode(200).body("rowsAdded", equalTo(1)).body("committed", equalTo(true));
        assertNotEquals(before, node.repository().find("scores").orElseThrow().state().head(), "the push was committed");
    }
}
