package dev.sluice.fn.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.fn.common.Node;
import dev.sluice.odf.DataSlice;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.yaml.ManifestYaml;
import dev.sluice.storage.Dataset;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;
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

    @io.quarkus.test.common.http.TestHTTPResource("/")
    URI base;

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

    /** A push source with a preprocess query: the node runs it in the sandboxed DuckDB, as the CLI does. */
    @Test
    void preprocessQueriesRunOnPushes() throws Exception {
        if (node.repository().find("shouting").isEmpty()) {
            node.repository().create(ManifestYaml.readSnapshot(SNAPSHOT.replace("name: scores", "name: shouting").replace("      merge:",
                    "      preprocess:\n        kind: Sql\n        engine: duckdb\n"
                            + "        query: \"select id, upper(name) as name from input where id > 0\"\n      merge:")));
        }
        given().contentType("application/x-ndjson").body(bytes("{\"id\":1,\"name\":\"a\"}\n{\"id\":-1,\"name\":\"z\"}\n"))
                .post("/kamu/shouting/ingest").then().log().ifValidationFails().statusCode(200).body("rowsRead", equalTo(2)).body("rowsAdded", equalTo(1));
        Dataset ds = node.repository().get("shouting");
        DataSlice slice = ((MetadataEvent.AddData) ds.chain().get(0).block().event()).newData();
        Path f = Files.createTempFile(Path.of("target"), "slice-", ".parquet");
        try (var in = ds.openData(slice.physicalHash())) {
            Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select id, name from read_parquet('" + f + "')")) {
            assertTrue(rs.next());
            assertEquals("1 A", rs.getLong(1) + " " + rs.getString(2), "the preprocess query ran");
            assertFalse(rs.next(), "and dropped the other row");
        } finally {
            Files.deleteIfExists(f);
        }
    }

    /**
     * An empty chunked body (just the terminating chunk) is answered with a 400 at once, not after the HTTP read
     * timeout (60 s); the socket's own timeout only keeps a regression from hanging the build.
     */
    @Test
    void emptyBodiesGet400OverARawSocket() throws Exception {
        String head = node.repository().get("scores").head().orElseThrow().toMultibase();
        for (boolean chunked : new boolean[] {true, false}) {
            try (Socket s = new Socket(base.getHost(), base.getPort())) {
                s.setSoTimeout(20_000);
                String request = "POST /kamu/scores/ingest HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-ndjson\r\n"
                        + (chunked ? "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" : "Content-Length: 0\r\n\r\n");
                s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("HTTP/1.1 400 Bad Request", in.readLine(), chunked ? "chunked" : "Content-Length: 0");
                int length = -1;
                for (String line; !(line = in.readLine()).isEmpty(); ) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(line.substring(15).strip());
                }
                char[] body = new char[length];
                for (int n = 0; n < length; ) n += in.read(body, n, length - n);
                assertTrue(new String(body).contains("the request body is empty"), new String(body));
            }
        }
        assertEquals(head, node.repository().get("scores").head().orElseThrow().toMultibase(), "nothing committed");
    }

    private static String chunk(String data) {
        return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + data + "\r\n";
    }

    /**
     * The push reads the upload while it arrives: a body sent in parts is ingested whole, and an upload cut off after
     * whole rows (client gone before the last chunk) commits nothing, although its first rows were already parsed.
     */
    @Test
    void aStreamedUploadIsIngestedWholeOrNotAtAll() throws Exception {
        String before = node.repository().get("scores").head().orElseThrow().toMultibase();
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(20_000);
            var out = s.getOutputStream();
            out.write(("POST /kamu/scores/ingest HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-ndjson\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n" + chunk("{\"id\":600,\"name\":\"cut\"}\n{\"id\":601,")).getBytes(StandardCharsets.UTF_8));
            out.flush();
            out.write(chunk("\"name\":\"cut\"}\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } // closed without the last chunk: the body never ended
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(20_000);
            var out = s.getOutputStream();
            out.write(("POST /kamu/scores/ingest HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-ndjson\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n" + chunk("{\"id\":500,\"name\":\"x\"}\n{\"id\":")).getBytes(StandardCharsets.UTF_8));
            out.flush();
            out.write((chunk("501,\"name\":\"y\"}\n") + "0\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("HTTP/1.1 200 OK", in.readLine());
        }
        Dataset ds = node.repository().get("scores");
        var blocks = new java.util.ArrayList<MetadataEvent>();
        for (var b : ds.blocks()) {
            if (b.hash().toMultibase().equals(before)) break;
            blocks.add(b.block().event());
        }
        assertEquals(1, blocks.size(), "one commit: the whole second upload, nothing of the cut one " + blocks);
        DataSlice added = ((MetadataEvent.AddData) blocks.get(0)).newData();
        assertEquals(2, added.offsetInterval().end() - added.offsetInterval().start() + 1);
    }
}
