package dev.sluice.fn.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.odf.DataSlice;
import dev.sluice.odf.MetadataBlock;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.codec.BlockCodec;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The local node end to end, over HTTP only: create the leaderboard fixtures, push twice (Ledger dedup), tail,
 * and clone a dataset through the simple transfer protocol, checking every object's hash and bytes.
 */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class LocalNodeTest {
    static final int MAX_BODY = 16 * 1024;
    static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    final HttpClient http = HttpClient.newHttpClient();

    static final String SCORES = """
            {"match_time":"2000-01-01T00:00:00Z","match_id":1,"player_id":"Alice","score":100}
            {"match_time":"2000-01-01T00:00:00Z","match_id":1,"player_id":"Bob","score":80}
            {"match_time":"2000-01-02T00:00:00Z","match_id":2,"player_id":"Alice","score":70}
            """;

    @Test
    void createPushTailAndCloneOverHttp() throws Exception {
        Fixtures.createLeaderboard(this);
        JsonNode list = json(send("GET", "datasets", null, null), 200);
        List<String> aliases = new ArrayList<>();
        list.get("datasets").forEach(d -> aliases.add(d.get("alias").asText()));
        assertTrue(aliases.containsAll(List.of("kamu/player-scores", "kamu/leaderboard")), aliases.toString());

        JsonNode first = json(send("POST", "kamu/player-scores/ingest", "application/x-ndjson", SCORES), 200);
        assertEquals(3, first.get("rowsAdded").asLong());
        assertTrue(first.get("committed").asBoolean());
        // The same rows again: the Ledger merge finds nothing new and commits nothing.
        JsonNode second = json(send("POST", "kamu/player-scores/ingest", "application/x-ndjson", SCORES), 200);
        assertFalse(second.get("committed").asBoolean());
        assertEquals(first.get("newHead").asText(), second.get("newHead").asText());

        JsonNode tail = json(send("GET", "kamu/player-scores/tail?limit=2", null, null), 200);
        assertEquals(2, tail.get("data").size());
        assertEquals("Bob", tail.get("data").get(0).get("player_id").asText());
        assertEquals(70, tail.get("data").get(1).get("score").asInt());
        assertEquals("2000-01-02T00:00:00Z", tail.get("data").get(1).get("match_time").asText());

        JsonNode q = json(send("POST", "query", "application/json",
                "{\"query\":\"select player_id, sum(score) as total from \\\"player-scores\\\" group by player_id order by total desc\"}"), 200);
        assertEquals("Alice", q.get("output").get("data").get(0).get("player_id").asText());
        assertEquals(170, q.get("output").get("data").get(0).get("total").asInt());

        JsonNode meta = json(send("GET", "kamu/player-scores/metadata", null, null), 200);
        String did = meta.get("output").get("seed").get("datasetId").asText();
        cloneAndVerify("kamu/player-scores", did);
        cloneAndVerify("kamu/leaderboard", json(send("GET", "kamu/leaderboard/metadata", null, null), 200)
                .get("output").get("seed").get("datasetId").asText());
    }

    /** Simple transfer protocol: head → blocks back to Seed → data and checkpoints; every hash and byte checked. */
    private void cloneAndVerify(String dataset, String did) throws Exception {
        String head = body(send("GET", dataset + "/refs/head", null, null), 200).strip();
        Path stored = TempDataDir.DATA.resolve("datasets").resolve(did.substring("did:odf:".length()));
        assertEquals(Files.readString(stored.resolve("refs/head")).strip(), head);
        int blocks = 0, objects = 0;
        for (Multihash h = Multihash.fromMultibase(head); h != null; ) {
            byte[] bytes = bytes(send("GET", dataset + "/blocks/" + h.toMultibase(), null, null));
            assertEquals(h, BlockCodec.hash(bytes), "block bytes hash to their name");
            assertArrayEquals(Files.readAllBytes(stored.resolve("blocks").resolve(h.toMultibase())), bytes);
            MetadataBlock block = BlockCodec.decode(bytes);
            DataSlice slice = block.event() instanceof MetadataEvent.AddData a ? a.newData()
                    : block.event() instanceof MetadataEvent.ExecuteTransform x ? x.newData() : null;
            if (slice != null) {
                byte[] data = bytes(send("GET", dataset + "/data/" + slice.physicalHash().toMultibase(), null, null));
                assertEquals(slice.physicalHash(), Multihash.sha3(data), "data object hashes to its physical hash");
                assertEquals(slice.size(), data.length);
                assertArrayEquals(Files.readAllBytes(stored.resolve("data").resolve(slice.physicalHash().toMultibase())), data);
                objects++;
            }
            var checkpoint = block.event() instanceof MetadataEvent.AddData a ? a.newCheckpoint()
                    : block.event() instanceof MetadataEvent.ExecuteTransform x ? x.newCheckpoint() : null;
            if (checkpoint != null) {
                byte[] cp = bytes(send("GET", dataset + "/checkpoints/" + checkpoint.physicalHash().toMultibase(), null, null));
                assertEquals(checkpoint.physicalHash(), Multihash.sha3(cp));
                objects++;
            }
            blocks++;
            h = block.prevBlockHash();
        }
        // Every stored block was reached from the head (nothing served is unreachable, nothing stored is missed).
        try (Stream<Path> s = Files.list(stored.resolve("blocks"))) {
            assertEquals(s.count(), blocks);
        }
        if (dataset.endsWith("player-scores")) assertEquals(1, objects, "one data slice pushed");
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
