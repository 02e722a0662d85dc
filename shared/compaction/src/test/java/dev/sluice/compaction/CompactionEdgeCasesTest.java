package dev.sluice.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ingest.IngestResult;
import dev.sluice.ingest.PushIngest;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.yaml.ManifestYaml;
import dev.sluice.storage.ChainRewrites;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import dev.sluice.storage.HashedBlock;
import dev.sluice.storage.LocalS3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactionEdgeCasesTest {
    @TempDir Path root;
    @TempDir Path scratch;

    Fixture fixture() {
        return new Fixture(new FileSystemObjectStore(root), scratch);
    }

    static Compactor at(Path scratch, Instant now) {
        return new Compactor(scratch, Clock.fixed(now, ZoneOffset.UTC), CompactionListener.NONE);
    }

    @Test
    void derivativesAreRefusedAndNothingChanges() {
        Fixture f = fixture();
        f.push("v1", 1);
        f.push("v1", 1);
        Dataset derivative = f.repo.create(ManifestYaml.readSnapshot("""
                kind: DatasetSnapshot
                version: 1
                content:
                  name: top-events
                  kind: Derivative
                  metadata:
                    - kind: SetTransform
                      inputs:
                        - datasetRef: events
                      transform:
                        kind: Sql
                        engine: duckdb
                        query: select * from events
                """));
        Multihash head = derivative.head().orElseThrow();
        CompactionException e = assertThrows(CompactionException.class,
                () -> new Compactor(scratch).compact(derivative, CompactionOptions.defaults()));
        assertEquals("dataset top-events is a derivative: hard compaction applies to root datasets only"
                + " (a derivative's data is rebuilt by its transform)", e.getMessage());
        assertEquals(head, derivative.head().orElseThrow());
        // Keep-metadata-only is kamu's reset of a derivative; with no ExecuteTransform yet there is nothing to drop.
        CompactionReport r = new Compactor(scratch).compact(derivative, CompactionOptions.defaults().withKeepMetadataOnly(true));
        assertFalse(r.changed());
    }

    @Test
    void badOptionsAreTypedErrors() {
        assertEquals("max slice records must be positive, got 0",
                assertThrows(CompactionException.class, () -> CompactionOptions.defaults().withMaxSliceRecords(0)).getMessage());
        assertEquals("max slice size must be a positive number of bytes, got -5",
                assertThrows(CompactionException.class, () -> CompactionOptions.defaults().withMaxSliceSize(-5)).getMessage());
        assertThrows(CompactionException.class, () -> CompactionOptions.defaults().withIdempotencyRetention(Duration.ofSeconds(-1)));
        assertEquals(300_000_000L, CompactionOptions.defaults().maxSliceSize());
        assertEquals(10_000L, CompactionOptions.defaults().maxSliceRecords());
    }

    @Test
    void recentIdempotencyKeysStayFindableAndOldOnesAreMergedAway() throws Exception {
        Fixture f = fixture();
        f.push("v1", 1);
        f.push("v1", 1);
        f.push("v1", 1, "key-a");
        f.push("v1", 1, "key-b");
        f.push("v1", 1);
        f.push("v1", 1);
        Instant lastBlock = f.ds.block(f.ds.head().orElseThrow()).block().systemTime();

        // Within the retention: keyed blocks stay as they are (and split the runs), so retries are still recognised.
        CompactionReport r = at(scratch.resolve("c1"), lastBlock.plus(Duration.ofHours(1))).compact(f.ds, CompactionOptions.defaults());
        assertTrue(r.changed());
        assertEquals(CompactorTest.P + " D2 D1 D1 D2", Fixture.layout(f.ds));
        IngestResult retry = f.push("v1", 1, "key-b");
        assertTrue(retry.duplicate(), "a retried push is still recognised after compaction");
        assertEquals(6, f.rows(f.ds).size());

        // Past the retention they merge like any other block; the keys go with them.
        CompactionReport later = at(scratch.resolve("c2"), lastBlock.plus(Duration.ofDays(2))).compact(f.ds, CompactionOptions.defaults());
        assertTrue(later.changed());
        assertEquals(CompactorTest.P + " D6", Fixture.layout(f.ds));
        MetadataEvent.AddData merged = (MetadataEvent.AddData) f.ds.block(f.ds.head().orElseThrow()).block().event();
        assertEquals(null, merged.extra(), "no idempotency key on the merged block");
        Fixture.verify(f.ds);
    }

    @Test
    void rewrittenInputBlocksAreDetectedAsGoneWhileThePrefixStays() {
        Fixture f = fixture();
        for (int i = 0; i < 3; i++) f.push("v1", 4);
        f.setInfo("boundary");
        for (int i = 0; i < 4; i++) f.push("v1", 1);
        List<HashedBlock> before = Fixture.oldestFirst(f.ds); // Seed Src Src Schema D4 D4 D4 Info D1 D1 D1 D1
        new Compactor(scratch).compact(f.ds, CompactionOptions.defaults().withMaxSliceRecords(4));
        assertEquals(CompactorTest.P + " D4 D4 D4 Info D4", Fixture.layout(f.ds));
        for (HashedBlock b : before) {
            boolean reused = b.block().sequenceNumber() <= 7; // up to Info: nothing before the first run changed
            assertEquals(reused, ChainRewrites.containsBlock(f.ds, b.hash()), "block #" + b.block().sequenceNumber());
        }
        assertTrue(ChainRewrites.containsBlock(f.ds, f.ds.head().orElseThrow()));
    }

    @Test
    void watermarkSourceStateAndCheckpointComeFromTheRunsEnds() throws Exception {
        Fixture f = fixture();
        f.push("v1", 1);
        f.ds.commit(s -> new MetadataEvent.AddData(s.lastCheckpoint(), s.lastOffset(), null, null, s.watermark().plusSeconds(100),
                new dev.sluice.odf.SourceState("v1", "odf/etag", "\"e1\""), null));
        f.push("v1", 1);
        f.ds.commit(s -> new MetadataEvent.AddData(s.lastCheckpoint(), s.lastOffset(), null, null, s.watermark().plusSeconds(100),
                null, null));
        var before = f.ds.state();
        new Compactor(scratch).compact(f.ds, CompactionOptions.defaults());
        assertEquals(CompactorTest.P + " D2", Fixture.layout(f.ds));
        MetadataEvent.AddData m = (MetadataEvent.AddData) f.ds.block(f.ds.head().orElseThrow()).block().event();
        assertEquals(before.watermark(), m.newWatermark(), "the last block's watermark");
        assertEquals(new dev.sluice.odf.SourceState("v1", "odf/etag", "\"e1\""), m.newSourceState(), "the newest source state");
        assertEquals(null, m.prevOffset(), "the first block's prevOffset");
        assertEquals(0, m.newData().offsetInterval().start());
        assertEquals(1, m.newData().offsetInterval().end());
        Fixture.verify(f.ds);
    }

    @Test
    void sourceStatesOfDifferentSourcesAreNotMergedTogether() {
        Fixture f = fixture();
        f.push("v1", 1);
        f.ds.commit(s -> new MetadataEvent.AddData(s.lastCheckpoint(), s.lastOffset(), null, null, s.watermark().plusSeconds(1),
                new dev.sluice.odf.SourceState("v1", "odf/etag", "a"), null));
        f.push("v1", 1);
        f.ds.commit(s -> new MetadataEvent.AddData(s.lastCheckpoint(), s.lastOffset(), null, null, s.watermark().plusSeconds(1),
                new dev.sluice.odf.SourceState("v2", "odf/etag", "b"), null));
        f.push("v1", 1);
        new Compactor(scratch).compact(f.ds, CompactionOptions.defaults());
        assertEquals(CompactorTest.P + " D2 D1", Fixture.layout(f.ds), "the run breaks where v2's state begins");
    }

    @Test
    void compactsOnS3AndCleansItsScratchSpace() throws Exception {
        try (LocalS3Server s3 = LocalS3Server.start()) {
            Fixture f = new Fixture(s3.newStore("datasets"), scratch);
            for (int i = 0; i < 7; i++) f.push("v1", 2);
            List<String> rows = f.rows(f.ds);
            Path work = scratch.resolve("compact");
            CompactionReport r = new Compactor(work).compact(f.ds, CompactionOptions.defaults().withMaxSliceRecords(6));
            assertEquals(7, r.slicesBefore());
            assertEquals(3, r.slicesAfter());
            Dataset fresh = new DatasetRepository(f.store).get("events");
            assertEquals(CompactorTest.P + " D6 D6 D2", Fixture.layout(fresh));
            assertEquals(rows, f.rows(fresh));
            assertEquals(Fixture.duckRows(f.dataFiles(fresh)).size(), 14);
            Fixture.verify(fresh);
            try (Stream<Path> left = Files.list(work)) {
                assertEquals(0, left.count(), "fetched and merged files are removed");
            }
        }
    }

    @Test
    void pushIngestMergesAgainstCompactedData() throws Exception {
        // Ledger dedup reads all previous slices: after compaction it must still see every key.
        Fixture f = fixture();
        Dataset ledger = f.repo.create(ManifestYaml.readSnapshot(Fixture.MANIFEST.replace("name: events", "name: ledger")
                .replaceFirst("kind: Append", "kind: Ledger\n        primaryKey: [id]")));
        PushIngest ingest = new PushIngest(scratch.resolve("ledger"), f.clock);
        for (int i = 0; i < 4; i++) {
            ingest.ingest(ledger, "v1", null, dev.sluice.ingest.IngestSource.ofBytes(
                    ("{\"event_time\": \"2020-01-01T00:00:0" + i + "Z\", \"id\": " + i + ", \"name\": \"x\"}\n").getBytes()), null);
        }
        new Compactor(scratch.resolve("c")).compact(ledger, CompactionOptions.defaults());
        assertEquals(CompactorTest.P + " D4", Fixture.layout(ledger));
        IngestResult again = ingest.ingest(ledger, "v1", null, dev.sluice.ingest.IngestSource.ofBytes(
                "{\"event_time\": \"2020-01-01T00:00:09Z\", \"id\": 2, \"name\": \"x\"}\n{\"event_time\": \"2020-01-01T00:00:09Z\", \"id\": 7, \"name\": \"y\"}\n".getBytes()), null);
        assertEquals(1, again.rowsAdded(), "id 2 is already in the merged slice; only id 7 is new");
        assertEquals(4, again.newData().start());
    }
}
