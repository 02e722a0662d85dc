package dev.sluice.compaction;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.data.SliceReader;
import dev.sluice.ingest.IngestResult;
import dev.sluice.ingest.IngestSource;
import dev.sluice.ingest.PushIngest;
import dev.sluice.ingest.SliceFiles;
import dev.sluice.odf.DataSlice;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.yaml.ManifestYaml;
import dev.sluice.storage.DataVerifier;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetLayout;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.DatasetVerifier;
import dev.sluice.storage.HashedBlock;
import dev.sluice.storage.ObjectStore;
import dev.sluice.storage.VerifyReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A root dataset {@code events} with two Append push sources — {@code v1} (event_time, id, name) and {@code v2}
 * (the same plus score, so switching to it is an additive schema change) — fed by real pushes, plus readers that
 * look at the data independently of the chain code: Arrow rows via SliceReader, and DuckDB over the Parquet files.
 */
final class Fixture {
    static final Instant T0 = Instant.parse("2020-01-01T00:00:00Z");
    static final String MANIFEST = """
            kind: DatasetSnapshot
            version: 1
            content:
              name: events
              kind: Root
              metadata:
                - kind: AddPushSource
                  sourceName: v1
                  read:
                    kind: NdJson
                    schema:
                      fields:
                        - name: event_time
                          type: timestamp
                        - name: id
                          type: int64
                        - name: name
                          type: string
                  merge:
                    kind: Append
                - kind: AddPushSource
                  sourceName: v2
                  read:
                    kind: NdJson
                    schema:
                      fields:
                        - name: event_time
                          type: timestamp
                        - name: id
                          type: int64
                        - name: name
                          type: string
                        - name: score
                          type: int64
                  merge:
                    kind: Append
            """;

    final ObjectStore store;
    final Path scratch;
    final TickingClock clock = new TickingClock(T0);
    final DatasetRepository repo;
    final Dataset ds;
    final PushIngest ingest;
    private final java.util.concurrent.atomic.AtomicInteger nextId = new java.util.concurrent.atomic.AtomicInteger();

    Fixture(ObjectStore store, Path scratch) {
        this.store = store;
        this.scratch = scratch;
        this.repo = new DatasetRepository(store, clock);
        this.ds = repo.create(ManifestYaml.readSnapshot(MANIFEST));
        this.ingest = new PushIngest(scratch.resolve("ingest"), clock);
    }

    /** Pushes {@code rows} new rows (ids continue; event_time = T0 + id seconds) through {@code source}. */
    IngestResult push(String source, int rows) {
        return push(source, rows, null);
    }

    IngestResult push(String source, int rows, String idempotencyKey) {
        return ingest.ingest(ds, source, null, IngestSource.ofBytes(ndjson(source, rows)), idempotencyKey);
    }

    /** A push by another writer: its own repository and dataset handle (no shared cache or lock), own ingest. */
    IngestResult pushAsAnotherWriter(PushIngest otherIngest, String source, int rows) {
        Dataset other = new DatasetRepository(store, clock).get(ds.id().toDid());
        return otherIngest.ingest(other, source, null, IngestSource.ofBytes(ndjson(source, rows)), null);
    }

    byte[] ndjson(String source, int rows) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            int id = nextId.getAndIncrement();
            sb.append("{\"event_time\": \"").append(T0.plusSeconds(id)).append("\", \"id\": ").append(id)
                    .append(", \"name\": \"").append(String.format("n%05d", id)).append('"');
            if (source.equals("v2")) sb.append(", \"score\": ").append(id * 10);
            sb.append("}\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Commits an AddData that only moves the watermark forward by {@code millis}. */
    void advanceWatermark(long millis) {
        ds.commit(s -> new MetadataEvent.AddData(s.lastCheckpoint(), s.lastOffset(), null, null, s.watermark().plusMillis(millis), null, null));
    }

    void setInfo(String description) {
        ds.commit(new MetadataEvent.SetInfo(description, null));
    }

    // ---- looking at the chain --------------------------------------------------------------------------------

    static List<HashedBlock> oldestFirst(Dataset d) {
        List<HashedBlock> c = new ArrayList<>(d.chain());
        Collections.reverse(c);
        return c;
    }

    /** The chain as words, oldest first: Seed Src Schema Info Vocab D<records> (AddData with data) W (without). */
    static String layout(Dataset d) {
        List<String> words = new ArrayList<>();
        for (HashedBlock b : oldestFirst(d)) {
            MetadataEvent e = b.block().event();
            words.add(switch (e.kind()) {
                case "Seed" -> "Seed";
                case "AddPushSource" -> "Src";
                case "SetDataSchema" -> "Schema";
                case "SetInfo" -> "Info";
                case "SetVocab" -> "Vocab";
                case "AddData" -> {
                    DataSlice s = ((MetadataEvent.AddData) e).newData();
                    yield s == null ? "W" : "D" + (s.offsetInterval().end() - s.offsetInterval().start() + 1);
                }
                default -> e.kind();
            });
        }
        return String.join(" ", words);
    }

    static List<DataSlice> slices(Dataset d) {
        List<DataSlice> out = new ArrayList<>();
        for (HashedBlock b : oldestFirst(d)) {
            if (b.block().event() instanceof MetadataEvent.AddData a && a.newData() != null) out.add(a.newData());
        }
        return out;
    }

    /** Local copies of the data files, in offset order. */
    List<Path> dataFiles(Dataset d) throws Exception {
        SliceFiles files = new SliceFiles(scratch.resolve("read-cache"));
        List<Path> out = new ArrayList<>();
        for (DataSlice s : slices(d)) out.add(files.local(d, s.physicalHash()));
        return out;
    }

    /** Every row of every slice in offset order, as "column=value" text (read with SliceReader). */
    List<String> rows(Dataset d) throws Exception {
        List<String> out = new ArrayList<>();
        for (Path f : dataFiles(d)) {
            try (SliceReader r = SliceReader.open(f, null, 7)) {
                while (r.hasNext()) {
                    VectorSchemaRoot b = r.next();
                    for (int i = 0; i < b.getRowCount(); i++) {
                        StringBuilder sb = new StringBuilder();
                        for (FieldVector v : b.getFieldVectors()) sb.append(v.getName()).append('=').append(v.getObject(i)).append(' ');
                        out.add(sb.toString());
                    }
                }
            }
        }
        return out;
    }

    /** The rows as DuckDB reads the Parquet files (schemas unioned by name), ordered by offset. */
    static List<String> duckRows(List<Path> files) throws Exception {
        List<String> out = new ArrayList<>();
        if (files.isEmpty()) return out;
        String list = String.join(",", files.stream().map(p -> "'" + p + "'").toList());
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM read_parquet([" + list + "], union_by_name = true) ORDER BY \"offset\"")) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) sb.append(rs.getMetaData().getColumnName(i)).append('=').append(rs.getString(i)).append(' ');
                out.add(sb.toString());
            }
        }
        return out;
    }

    /** Full verification, including each slice's logical hash recomputed from its rows. */
    static VerifyReport verify(Dataset d) throws Exception {
        DataVerifier logical = (slice, in) -> {
            Path tmp = Files.createTempFile("verify-", ".parquet");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Multihash actual = SliceReader.logicalHash(tmp);
                return actual.equals(slice.logicalHash()) ? null : "logical hash " + actual + " != " + slice.logicalHash();
            } finally {
                Files.deleteIfExists(tmp);
            }
        };
        VerifyReport r = new DatasetVerifier(logical).verify(d);
        assertTrue(r.ok(), () -> "verify: " + r.problems());
        return r;
    }

    /** Keys of the blocks and data objects of {@code chain}. */
    static Set<String> objectKeys(Dataset d, List<HashedBlock> chain) {
        Set<String> keys = new HashSet<>();
        for (HashedBlock b : chain) {
            keys.add(DatasetLayout.block(d.id(), b.hash()));
            if (b.block().event() instanceof MetadataEvent.AddData a && a.newData() != null) {
                keys.add(DatasetLayout.data(d.id(), a.newData().physicalHash()));
            }
        }
        return keys;
    }

    /** A clock that advances one second per reading (deterministic system times). */
    static final class TickingClock extends Clock {
        private final AtomicLong ticks = new AtomicLong();
        private final Instant start;

        TickingClock(Instant start) {
            this.start = start;
        }

        @Override
        public Instant instant() {
            return start.plusSeconds(ticks.getAndIncrement());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
