package dev.sluice.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DatasetSnapshot;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.odf.yaml.ManifestYaml;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.DatasetVerifier;
import dev.sluice.storage.FileSystemObjectStore;
import dev.sluice.storage.ForwardingObjectStore;
import dev.sluice.storage.HashedBlock;
import dev.sluice.storage.LocalS3Server;
import dev.sluice.storage.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushIngestTest {
    @TempDir Path root;
    @TempDir Path scratch;

    static final String PLAYER_SCORES = """
            kind: DatasetSnapshot
            version: 1
            content:
              name: player-scores
              kind: Root
              metadata:
                - kind: AddPushSource
                  sourceName: default
                  read:
                    kind: NdJson
                    schema:
                      fields:
                        - name: match_time
                          type: timestamp
                        - name: match_id
                          type: int64
                        - name: player_id
                          type: string
                        - name: score
                          type: int64
                  merge:
                    kind: Ledger
                    primaryKey:
                      - match_id
                      - player_id
                - kind: SetVocab
                  eventTimeColumn: match_time
            """;

    static final String MATCH_1 = """
            {"match_time": "2000-01-01T00:00:00Z", "match_id": 1, "player_id": "Alice", "score": 100}
            {"match_time": "2000-01-01T00:00:00Z", "match_id": 1, "player_id": "Bob", "score": 80}
            """;
    static final String MATCH_1_AND_2 = MATCH_1 + """
            {"match_time": "2000-01-02T00:00:00Z", "match_id": 2, "player_id": "Alice", "score": 70}
            {"match_time": "2000-01-02T00:00:00Z", "match_id": 2, "player_id": "Charlie", "score": 90}
            """;

    static IngestSource text(String s) {
        return IngestSource.ofBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    Dataset create(DatasetRepository repo, String manifest) {
        DatasetSnapshot s = ManifestYaml.readSnapshot(manifest);
        return repo.create(s);
    }

    /**
     * The push path stores its slice before {@code Dataset.commit} takes the commit lock: a push whose slice upload is
     * held does not hold up another push to the same dataset (through the same handle), which commits meanwhile; the
     * held one then finds the head moved, merges again on top of it and commits.
     */
    @Test
    void aPushDoesNotWaitForAnotherPushsSliceUpload() throws Exception {
        CountDownLatch uploading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger dataPuts = new AtomicInteger();
        ObjectStore store = new ForwardingObjectStore(new FileSystemObjectStore(root)) {
            @Override
            public boolean putIfAbsent(String key, Path file) throws java.io.IOException {
                if (key.contains("/data/") && dataPuts.incrementAndGet() == 1) {
                    uploading.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.putIfAbsent(key, file);
            }
        };
        Dataset ds = create(new DatasetRepository(store), PLAYER_SCORES);
        PushIngest ingest = new PushIngest(scratch);
        String match2 = MATCH_1_AND_2.substring(MATCH_1.length());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<IngestResult> held = pool.submit(() -> ingest.ingest(ds, null, "application/x-ndjson", text(MATCH_1), null));
            assertTrue(uploading.await(30, TimeUnit.SECONDS), "the first push is uploading its slice");
            IngestResult other = pool.submit(() -> ingest.ingest(ds, null, "application/x-ndjson", text(match2), null)).get(30, TimeUnit.SECONDS);
            assertFalse(held.isDone(), "the first push is still uploading");
            assertEquals(other.newHead(), ds.head().orElseThrow(), "the second push committed meanwhile");
            assertEquals(new OffsetInterval(0, 1), other.newData());

            release.countDown();
            IngestResult first = held.get(30, TimeUnit.SECONDS);
            assertEquals(2, first.attempts(), "its slice was built on the old head: merged again on the new one");
            assertEquals(new OffsetInterval(2, 3), first.newData());
            assertEquals(first.newHead(), ds.head().orElseThrow());
            assertEquals(3L, ds.state().lastOffset());
            assertTrue(new DatasetVerifier().verify(ds).ok());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void ledgerKeepsEachKeyOnceAcrossOverlappingPushes() throws Exception {
        var repo = new DatasetRepository(new FileSystemObjectStore(root));
        Dataset ds = create(repo, PLAYER_SCORES);
        PushIngest ingest = new PushIngest(scratch);

        IngestResult first = ingest.ingest(ds, null, "application/x-ndjson", text(MATCH_1), null);
        assertEquals(2, first.rowsRead());
        assertEquals(2, first.rowsAdded());
        assertEquals(0, first.newData().start());
        IngestResult second = ingest.ingest(ds, "default", null, text(MATCH_1_AND_2), null);
        assertEquals(4, second.rowsRead());
        assertEquals(2, second.rowsAdded(), "only the two unseen (match_id, player_id) pairs are added");
        assertEquals(2, second.newData().start());
        IngestResult third = ingest.ingest(ds, null, null, text(MATCH_1_AND_2), null);
        assertFalse(third.committed(), "nothing new: no block");
        assertEquals(second.newHead(), ds.head().orElseThrow());

        // The chain: SetDataSchema once, then two AddData with contiguous offsets and the watermark at the max event time.
        List<MetadataEvent> events = new ArrayList<>();
        for (HashedBlock b : ds.blocks()) events.add(b.block().event());
        assertEquals(1, events.stream().filter(e -> e instanceof MetadataEvent.SetDataSchema).count());
        var last = (MetadataEvent.AddData) events.get(0);
        assertEquals(1L, last.prevOffset());
        assertEquals(java.time.Instant.parse("2000-01-02T00:00:00Z"), last.newWatermark());
        DataSchema schema = ds.state().schema();
        assertEquals(List.of("offset", "op", "system_time", "match_time", "match_id", "player_id", "score"),
                schema.fields().stream().map(f -> f.name()).toList());
        assertTrue(new DatasetVerifier().verify(ds).ok());

        // A second, independent reader (DuckDB) sees each pair once, with kamu's column types.
        List<String> files = dataFiles(ds);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            String src = "read_parquet([" + String.join(",", files.stream().map(f -> "'" + f + "'").toList()) + "])";
            try (ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT (match_id, player_id)), min(\"offset\"), max(\"offset\") FROM " + src)) {
                rs.next();
                assertEquals(4, rs.getLong(1));
                assertEquals(4, rs.getLong(2));
                assertEquals(0, rs.getLong(3));
                assertEquals(3, rs.getLong(4));
            }
            try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + src)) {
                List<String> cols = new ArrayList<>();
                while (rs.next()) cols.add(rs.getString(1) + ":" + rs.getString(2));
                assertEquals(List.of("offset:BIGINT", "op:INTEGER", "system_time:TIMESTAMP WITH TIME ZONE",
                        "match_time:TIMESTAMP WITH TIME ZONE", "match_id:BIGINT", "player_id:VARCHAR", "score:BIGINT"), cols);
            }
            try (ResultSet rs = st.executeQuery("SELECT player_id, score FROM " + src + " WHERE match_id = 2 ORDER BY \"offset\"")) {
                rs.next();
                assertEquals("Alice", rs.getString(1));
                assertEquals(70, rs.getLong(2));
                rs.next();
                assertEquals("Charlie", rs.getString(1));
            }
        }
    }

    static List<String> dataFiles(Dataset ds) throws Exception {
        List<String> files = new ArrayList<>();
        for (HashedBlock b : ds.blocks()) {
            if (b.block().event() instanceof MetadataEvent.AddData a && a.newData() != null) {
                files.add(ds.store().localFile(dev.sluice.storage.DatasetLayout.data(ds.id(), a.newData().physicalHash())).orElseThrow().toString());
            }
        }
        return files;
    }

    @Test
    void sameIdempotencyKeyCommitsOnce() {
        var repo = new DatasetRepository(new FileSystemObjectStore(root));
        Dataset ds = create(repo, PLAYER_SCORES.replace("kind: Ledger", "kind: Append").replace("""
                    primaryKey:
                      - match_id
                      - player_id
            """, ""));
        PushIngest ingest = new PushIngest(scratch);
        IngestResult a = ingest.ingest(ds, null, null, text(MATCH_1), "req-1");
        IngestResult b = ingest.ingest(ds, null, null, text(MATCH_1), "req-1");
        assertTrue(a.committed());
        assertTrue(b.duplicate());
        assertFalse(b.committed());
        assertEquals(a.newHead(), ds.head().orElseThrow());
        assertEquals(a.newData(), b.newData());
        IngestResult c = ingest.ingest(ds, null, null, text(MATCH_1), "req-2");
        assertTrue(c.committed(), "another key appends again (Append strategy)");
        assertEquals(2, c.newData().start());
    }

    @Test
    void concurrentPushesToOneDatasetAllLand() throws Exception {
        var store = new FileSystemObjectStore(root);
        Dataset created = create(new DatasetRepository(store), PLAYER_SCORES);
        int writers = 4;
        CyclicBarrier start = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<IngestResult>> fs = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int id = w;
            fs.add(pool.submit(() -> {
                Dataset ds = new DatasetRepository(store).get("player-scores");
                StringBuilder sb = new StringBuilder();
                for (int m = 0; m < 5; m++) {
                    sb.append("{\"match_time\": \"2000-01-01T00:00:00Z\", \"match_id\": ").append(100 * id + m)
                            .append(", \"player_id\": \"p\", \"score\": 1}\n");
                }
                start.await();
                return new PushIngest(scratch.resolve("w" + id)).ingest(ds, null, null, text(sb.toString()), null);
            }));
        }
        for (Future<IngestResult> f : fs) assertEquals(5, f.get().rowsAdded());
        pool.shutdown();
        Dataset ds = new DatasetRepository(store).get(created.id().toDid());
        assertEquals(19L, ds.state().lastOffset());
        assertTrue(new DatasetVerifier().verify(ds).ok());
    }

    @Test
    void badRequestsChangeNothing() {
        var repo = new DatasetRepository(new FileSystemObjectStore(root));
        Dataset ds = create(repo, PLAYER_SCORES);
        Multihash head = ds.head().orElseThrow();
        PushIngest ingest = new PushIngest(scratch);
        assertThrows(IngestException.class, () -> ingest.ingest(ds, "nope", null, text(MATCH_1), null));
        assertThrows(RuntimeException.class, () -> ingest.ingest(ds, null, "application/x-frobnicate", text(MATCH_1), null));
        assertThrows(IngestException.class, () -> ingest.ingest(ds, null, null, text(MATCH_1), "bad\nkey"));
        assertEquals(head, ds.head().orElseThrow());
    }

    @Test
    void ledgerOnS3ReadsPreviousSlicesThroughTheCache() throws Exception {
        try (LocalS3Server s3 = LocalS3Server.start()) {
            ObjectStore store = s3.newStore("datasets");
            Dataset ds = create(new DatasetRepository(store), PLAYER_SCORES);
            PushIngest ingest = new PushIngest(scratch);
            ingest.ingest(ds, null, null, text(MATCH_1), null);
            IngestResult r = ingest.ingest(ds, null, null, text(MATCH_1_AND_2), null);
            assertEquals(2, r.rowsAdded());
            assertTrue(new DatasetVerifier().verify(ds).ok());
            try (var files = Files.list(scratch.resolve("slice-cache"))) {
                assertEquals(1, files.filter(p -> !p.getFileName().toString().startsWith(".")).count(), "first slice fetched once");
            }
            assertNotEquals(r.oldHead(), r.newHead());
        }
    }
}
