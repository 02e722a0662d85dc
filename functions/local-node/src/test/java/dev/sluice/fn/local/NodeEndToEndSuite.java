package dev.sluice.fn.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.odf.DataSlice;
import dev.sluice.odf.DatasetId;
import dev.sluice.odf.MetadataBlock;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.codec.BlockCodec;
import dev.sluice.storage.DatasetLayout;
import dev.sluice.storage.ObjectStore;
import io.quarkus.test.common.http.TestHTTPResource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.Test;

/**
 * The node end to end, over HTTP only, whatever storage it runs on (subclasses pick it): apply the leaderboard
 * fixtures, push twice (Ledger dedup), tail, query in every data format, pin a query to an older block, and clone
 * both datasets through the simple transfer protocol, checking every object's hash and its bytes against storage.
 */
abstract class NodeEndToEndSuite {
    static final int MAX_BODY = 16 * 1024;
    static final ObjectMapper JSON = new ObjectMapper();

    /** Rows other tests push too (match 1 and 2). */
    static final String SCORES = """
            {"match_time":"2000-01-01T00:00:00Z","match_id":1,"player_id":"Alice","score":100}
            {"match_time":"2000-01-01T00:00:00Z","match_id":1,"player_id":"Bob","score":80}
            {"match_time":"2000-01-02T00:00:00Z","match_id":2,"player_id":"Alice","score":70}
            """;
    /** This suite's own rows (match 101 and 102), so what it queries does not depend on other tests. */
    static final String OWN_SCORES = """
            {"match_time":"2001-01-01T00:00:00Z","match_id":101,"player_id":"Alice","score":100}
            {"match_time":"2001-01-01T00:00:00Z","match_id":101,"player_id":"Bob","score":80}
            {"match_time":"2001-01-02T00:00:00Z","match_id":102,"player_id":"Alice","score":70}
            """;
    static final String LATER_SCORES = """
            {"match_time":"2001-01-03T00:00:00Z","match_id":103,"player_id":"Bob","score":95}
            """;
    static final String TOTALS = "select player_id, sum(score) as total from \"%s\" where match_id > 100 group by player_id order by total desc";

    @TestHTTPResource("/")
    URI base;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** The node's dataset storage, read directly to compare what is served with what is stored. */
    abstract ObjectStore storage();

    @Test
    void applyPushQueryPinAndCloneOverHttp() throws Exception {
        Fixtures.createLeaderboard(this);
        JsonNode list = json(send("GET", "datasets", null, null), 200);
        List<String> aliases = new ArrayList<>();
        list.get("datasets").forEach(d -> aliases.add(d.get("alias").asText()));
        assertTrue(aliases.containsAll(List.of("kamu/player-scores", "kamu/leaderboard")), aliases.toString());

        JsonNode first = json(send("POST", "kamu/player-scores/ingest", "application/x-ndjson", OWN_SCORES), 200);
        assertEquals(3, first.get("rowsAdded").asLong());
        assertTrue(first.get("committed").asBoolean());
        // The same rows again: the Ledger merge finds nothing new and commits nothing.
        JsonNode second = json(send("POST", "kamu/player-scores/ingest", "application/x-ndjson", OWN_SCORES), 200);
        assertFalse(second.get("committed").asBoolean());
        assertEquals(first.get("newHead").asText(), second.get("newHead").asText());

        JsonNode tail = json(send("GET", "kamu/player-scores/tail?limit=2", null, null), 200);
        assertEquals(2, tail.get("data").size());
        assertEquals("Bob", tail.get("data").get(0).get("player_id").asText());
        assertEquals(70, tail.get("data").get(1).get("score").asInt());
        assertEquals("2001-01-02T00:00:00Z", tail.get("data").get(1).get("match_time").asText());

        queryInEveryFormat();

        // Account-qualified alias in SQL: the same dataset in local mode; unknown datasets stay 404.
        JsonNode qualified = json(query(String.format(TOTALS, "kamu/player-scores"), "JsonAoA", null), 200);
        assertEquals("[[\"Alice\",170],[\"Bob\",80]]", qualified.get("output").get("data").toString());
        json(query("select * from \"kamu/no-such\"", null, null), 404);
        json(query("select * from \"someone/player-scores\"", null, null), 404);

        // A later push moves the head; a query pinned to the older block still gives the older answer.
        String older = first.get("newHead").asText();
        JsonNode later = json(send("POST", "kamu/player-scores/ingest", "application/x-ndjson", LATER_SCORES), 200);
        assertNotEquals(older, later.get("newHead").asText());
        String pinned = "\"datasets\":[{\"alias\":\"player-scores\",\"blockHash\":\"" + older + "\"}],\"include\":[\"Input\"]";
        JsonNode then = json(query(String.format(TOTALS, "player-scores"), "JsonAoA", pinned), 200);
        assertEquals("[[\"Alice\",170],[\"Bob\",80]]", then.get("output").get("data").toString());
        assertEquals(older, then.get("input").get("datasets").get(0).get("blockHash").asText());
        JsonNode now = json(query(String.format(TOTALS, "player-scores"), "JsonAoA", "\"include\":[\"Input\"]"), 200);
        assertEquals("[[\"Bob\",175],[\"Alice\",170]]", now.get("output").get("data").toString());
        assertEquals(later.get("newHead").asText(), now.get("input").get("datasets").get(0).get("blockHash").asText());

        cloneAndVerify("kamu/player-scores");
        cloneAndVerify("kamu/leaderboard");
    }

    /** The same answer in JsonAoS, JsonSoA, JsonAoA, Csv, NdJson and Arrow IPC (by dataFormat and by Accept). */
    private void queryInEveryFormat() throws Exception {
        String sql = String.format(TOTALS, "player-scores");
        assertEquals("[{\"player_id\":\"Alice\",\"total\":170},{\"player_id\":\"Bob\",\"total\":80}]",
                json(query(sql, "JsonAoS", null), 200).get("output").get("data").toString());
        assertEquals("{\"player_id\":[\"Alice\",\"Bob\"],\"total\":[170,80]}",
                json(query(sql, "JsonSoA", null), 200).get("output").get("data").toString());
        assertEquals("[[\"Alice\",170],[\"Bob\",80]]", json(query(sql, "JsonAoA", null), 200).get("output").get("data").toString());
        HttpResponse<byte[]> csv = query(sql, "Csv", null);
        assertEquals("player_id,total\nAlice,170\nBob,80\n", body(csv, 200));
        assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        assertEquals("{\"player_id\":\"Alice\",\"total\":170}\n{\"player_id\":\"Bob\",\"total\":80}\n", body(query(sql, "NdJson", null), 200));
        assertEquals(List.of("Alice=170", "Bob=80"), arrowRows(bytes(query(sql, "ArrowIpc", null))));
        HttpRequest byAccept = HttpRequest.newBuilder(base.resolve("query?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
                .header("Accept", "application/vnd.apache.arrow.stream").build();
        HttpResponse<byte[]> arrow = http.send(byAccept, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("application/vnd.apache.arrow.stream", arrow.headers().firstValue("Content-Type").orElse(""));
        assertEquals(List.of("Alice=170", "Bob=80"), arrowRows(bytes(arrow)));
    }

    private static List<String> arrowRows(byte[] ipc) throws IOException {
        List<String> rows = new ArrayList<>();
        try (RootAllocator allocator = new RootAllocator();
                ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(ipc), allocator)) {
            while (reader.loadNextBatch()) {
                VectorSchemaRoot root = reader.getVectorSchemaRoot();
                for (int i = 0; i < root.getRowCount(); i++) {
                    rows.add(root.getVector("player_id").getObject(i) + "=" + root.getVector("total").getObject(i));
                }
            }
        }
        return rows;
    }

    /**
     * Simple transfer protocol: head → blocks back to Seed → data and checkpoints; every hash checked, every byte
     * compared with storage, and every object stored for the dataset reached from its head.
     */
    private void cloneAndVerify(String dataset) throws Exception {
        DatasetId id = DatasetId.parse(json(send("GET", dataset + "/metadata", null, null), 200).get("output").get("seed").get("datasetId").asText());
        String head = body(send("GET", dataset + "/refs/head", null, null), 200).strip();
        assertEquals(new String(storage().get(DatasetLayout.head(id)).orElseThrow(), StandardCharsets.UTF_8).strip(), head);
        Set<String> fetched = new HashSet<>();
        for (Multihash h = Multihash.fromMultibase(head); h != null; ) {
            byte[] bytes = bytes(send("GET", dataset + "/blocks/" + h.toMultibase(), null, null));
            assertEquals(h, BlockCodec.hash(bytes), "block bytes hash to their name");
            assertArrayEquals(storage().get(DatasetLayout.block(id, h)).orElseThrow(), bytes);
            fetched.add(DatasetLayout.block(id, h));
            MetadataBlock block = BlockCodec.decode(bytes);
            DataSlice slice = block.event() instanceof MetadataEvent.AddData a ? a.newData()
                    : block.event() instanceof MetadataEvent.ExecuteTransform x ? x.newData() : null;
            if (slice != null) {
                byte[] data = bytes(send("GET", dataset + "/data/" + slice.physicalHash().toMultibase(), null, null));
                assertEquals(slice.physicalHash(), Multihash.sha3(data), "data object hashes to its physical hash");
                assertEquals(slice.size(), data.length);
                assertArrayEquals(storage().get(DatasetLayout.data(id, slice.physicalHash())).orElseThrow(), data);
                fetched.add(DatasetLayout.data(id, slice.physicalHash()));
            }
            var checkpoint = block.event() instanceof MetadataEvent.AddData a ? a.newCheckpoint()
                    : block.event() instanceof MetadataEvent.ExecuteTransform x ? x.newCheckpoint() : null;
            if (checkpoint != null) {
                byte[] cp = bytes(send("GET", dataset + "/checkpoints/" + checkpoint.physicalHash().toMultibase(), null, null));
                assertEquals(checkpoint.physicalHash(), Multihash.sha3(cp));
                assertArrayEquals(storage().get(DatasetLayout.checkpoint(id, checkpoint.physicalHash())).orElseThrow(), cp);
                fetched.add(DatasetLayout.checkpoint(id, checkpoint.physicalHash()));
            }
            h = block.prevBlockHash();
        }
        // Nothing stored is missed and nothing served is unreachable: the stored objects are exactly the fetched ones.
        Set<String> stored = new HashSet<>();
        for (String folder : List.of(DatasetLayout.BLOCKS, DatasetLayout.DATA, DatasetLayout.CHECKPOINTS)) {
            stored.addAll(storage().list(DatasetLayout.root(id) + folder));
        }
        assertEquals(stored, fetched);
        if (dataset.endsWith("player-scores")) assertTrue(fetched.stream().anyMatch(k -> k.contains("/data/")), "pushed data was cloned");
    }

    HttpResponse<byte[]> query(String sql, String dataFormat, String extraJson) throws IOException, InterruptedException {
        String body = "{\"query\":" + JSON.writeValueAsString(sql) + (dataFormat == null ? "" : ",\"dataFormat\":\"" + dataFormat + "\"")
                + (extraJson == null ? "" : "," + extraJson) + "}";
        return send("POST", "query", "application/json", body);
    }

    HttpResponse<byte[]> send(String method, String path, String contentType, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
        if (contentType != null) b.header("Content-Type", contentType);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonNode json(HttpResponse<byte[]> r, int status) throws IOException {
        return JSON.readTree(body(r, status));
    }

    static String body(HttpResponse<byte[]> r, int status) {
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(status, r.statusCode(), r.request().method() + " " + r.uri() + " → " + text);
        return text;
    }

    static byte[] bytes(HttpResponse<byte[]> r) {
        assertEquals(200, r.statusCode(), () -> r.uri() + " → " + new String(r.body(), StandardCharsets.UTF_8));
        assertNotNull(r.body());
        return r.body();
    }
}
