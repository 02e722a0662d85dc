package dev.sluice.fn.query;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.fn.common.Node;
import dev.sluice.ingest.IngestSource;
import dev.sluice.odf.yaml.ManifestYaml;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class QueryFunctionTest {
    static final String SNAPSHOT = """
            kind: DatasetSnapshot
            version: 1
            content:
              name: nums
              kind: Root
              metadata:
                - kind: AddPushSource
                  sourceName: default
                  read:
                    kind: NdJson
                    schema:
                      fields:
                        - { name: n, type: int64 }
                  merge:
                    kind: Append
            """;

    @Inject Node node;

    @BeforeEach
    void data() {
        if (node.repository().find("nums").isPresent()) return;
        var ds = node.repository().create(ManifestYaml.readSnapshot(SNAPSHOT));
        node.ingest().ingest(ds, null, "application/x-ndjson",
                IngestSource.ofBytes("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n".getBytes(StandardCharsets.UTF_8)), null);
    }

    @Test
    void getPostAndFunqy() {
        given().queryParam("query", "select sum(n) as s from nums").get("/query")
                .then().statusCode(200).body("output.data[0].s", equalTo(6)).body("output.dataFormat", equalTo("JsonAoS"));
        given().contentType("application/json").body("{\"query\":\"select n from \\\"nums\\\" order by n\",\"dataFormat\":\"JsonSoA\",\"include\":[\"Input\"]}")
                .post("/query").then().statusCode(200).body("output.data.n[2]", equalTo(3)).body("input.datasets[0].alias", equalTo("nums"));
        given().queryParam("query", "select n from nums order by n").queryParam("dataFormat", "Csv").get("/query")
                .then().statusCode(200).contentType(startsWith("text/csv")).body(equalTo("n\n1\n2\n3\n"));
        given().contentType("application/json").body("{\"query\":\"select count(*) as c from nums\"}").post("/run-query")
                .then().statusCode(200).body("output.data[0].c", equalTo(3));
    }

    /** An answer over the in-memory limit goes out of a scratch file, in chunks, whole; the file is gone afterwards. */
    @Test
    void aLargeAnswerIsStreamedWhole() throws Exception {
        if (node.repository().find("big").isEmpty()) {
            var ds = node.repository().create(ManifestYaml.readSnapshot(SNAPSHOT.replace("name: nums", "name: big")));
            StringBuilder rows = new StringBuilder();
            for (int i = 0; i < 150_000; i++) rows.append("{\"n\":").append(i).append("}\n");
            node.ingest().ingest(ds, null, "application/x-ndjson", IngestSource.ofBytes(rows.toString().getBytes(StandardCharsets.UTF_8)), null);
        }
        byte[] body = given().queryParam("query", "select n from big order by n").get("/query")
                .then().statusCode(200).contentType(startsWith("application/json")).extract().asByteArray();
        assertTrue(body.length > QueryFunction.MEMORY_ANSWER_BYTES, "answer of " + body.length + " bytes");
        var data = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).get("output").get("data");
        assertEquals(150_000, data.size());
        long sum = 0;
        for (var row : data) sum += row.get("n").asLong();
        assertEquals(150_000L * 149_999 / 2, sum);
        String csv = given().contentType("application/json").body("{\"query\":\"select n from big order by n\",\"dataFormat\":\"Csv\"}")
                .post("/query").then().statusCode(200).extract().asString();
        assertEquals(150_001, csv.lines().count());
        assertTrue(csv.endsWith("149999\n"));
        try (var left = java.nio.file.Files.walk(node.scratchDir())) {
            assertEquals(List.of(), left.filter(f -> f.getFileName().toString().startsWith(".answer-")).toList());
        }
    }

    @Test
    void errors() {
        given().queryParam("query", "selec nonsense").get("/query").then().statusCode(400).body("error", equalTo("invalid-query"));
        given().queryParam("query", "select * from no_such").get("/query").then().statusCode(404);
        given().queryParam("query", "select * from read_csv('/etc/passwd')").get("/query").then()
                .statusCode(org.hamcrest.Matchers.anyOf(equalTo(400), equalTo(403))).body("message", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("root:")));
        given().get("/query").then().statusCode(400);
        given().contentType("application/json").body("{\"query\":").post("/query").then().statusCode(400).body("error", equalTo("bad-json"));
        given().contentType("text/plain").body("select 1").post("/query").then().statusCode(415);
        given().queryParam("query", "select 1").queryParam("dataFormat", "Excel").get("/query").then().statusCode(400);
    }
}
