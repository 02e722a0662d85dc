package dev.sluice.transform;

import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineProvisioner;
import dev.sluice.engine.InProcessEngineProvisioner;
import dev.sluice.ingest.IngestResult;
import dev.sluice.ingest.IngestSource;
import dev.sluice.ingest.PushIngest;
import dev.sluice.odf.DataSlice;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.yaml.ManifestYaml;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.HashedBlock;
import dev.sluice.storage.ObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A repository with push ingest and a transform service on real storage, the real DuckDB engine and fixture manifests. */
final class Workspace implements AutoCloseable {
    final Path scratch;
    final DatasetRepository repo;
    final TickingClock clock = new TickingClock(Instant.parse("2026-01-01T00:00:00Z"));
    final PushIngest ingest;
    final EngineProvisioner engines;
    final TransformService transforms;

    Workspace(ObjectStore store, Path scratch) {
        this(store, scratch, InProcessEngineProvisioner.load());
    }

    Workspace(ObjectStore store, Path scratch, EngineProvisioner engines) {
        this.scratch = scratch;
        this.repo = new DatasetRepository(store, clock);
        this.ingest = new PushIngest(scratch.resolve("ingest"), clock);
        this.engines = engines;
        this.transforms = new TransformService(repo, engines, scratch.resolve("transform"), clock);
    }

    /** A clock that moves one second per reading: every block gets its own system time. */
    static final class TickingClock extends Clock {
        private final AtomicLong millis;

        TickingClock(Instant start) {
            this.millis = new AtomicLong(start.toEpochMilli());
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.addAndGet(1000));
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    static Path fixture(String name) {
        String prop = System.getProperty("sluice.sharedDir");
        Path shared = prop != null ? Path.of(prop) : Path.of("..", "..", "..", "shared");
        return shared.resolve("fixtures").resolve("manifests").resolve(name);
    }

    Dataset createFixture(String file) throws IOException {
        return repo.create(ManifestYaml.readSnapshot(Files.readString(fixture(file))));
    }

    Dataset create(String yaml) {
        return repo.create(ManifestYaml.readSnapshot(yaml));
    }

    IngestResult push(Dataset ds, String ndjson) {
        return ingest.ingest(ds, null, "application/x-ndjson", IngestSource.ofBytes(ndjson.getBytes(StandardCharsets.UTF_8)), null);
    }

    /** A derivative over one input with the given SQL and dialect (output event time: match_time). */
    Dataset derivative(String name, String input, String engine, String sql) {
        String yaml = "kind: DatasetSnapshot\nversion: 1\ncontent:\n  name: " + name + "\n  kind: Derivative\n  metadata:\n"
                + "    - kind: SetTransform\n      inputs:\n        - datasetRef: " + input + "\n          alias: player_scores\n"
                + "      transform:\n        kind: Sql\n        engine: " + engine + "\n        query: |\n"
                + "          " + sql.replace("\n", "\n          ") + "\n"
                + "    - kind: SetVocab\n      eventTimeColumn: match_time\n";
        return create(yaml);
    }

    /** ExecuteTransform blocks of a derivative, oldest first. */
    static List<MetadataEvent.ExecuteTransform> executes(Dataset ds) {
        List<MetadataEvent.ExecuteTransform> out = new ArrayList<>();
        for (HashedBlock b : ds.blocks()) if (b.block().event() instanceof MetadataEvent.ExecuteTransform x) out.add(x);
        Collections.reverse(out);
        return out;
    }

    /** Rows of one data slice, in file order, as "col=value, …". */
    List<String> rows(Dataset ds, DataSlice slice, String columns) throws Exception {
        Path f = scratch.resolve("read-" + slice.physicalHash().toMultibase() + ".parquet");
        try (var in = ds.openData(slice.physicalHash())) {
            Files.copy(in, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("SET TimeZone='UTC'");
            try (ResultSet rs = st.executeQuery("SELECT " + columns + " FROM read_parquet('" + f + "')")) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> cells = new ArrayList<>();
                    for (int i = 1; i <= n; i++) cells.add(rs.getString(i));
                    out.add(String.join(" ", cells));
                }
            }
        } finally {
            Files.deleteIfExists(f);
        }
        return out;
    }

    /** The DuckDB engine of this workspace (to wrap in test engines). */
    Engine duckdb() {
        return engines.engineFor("duckdb").orElseThrow();
    }

    @Override
    public void close() {
        engines.close();
    }
}
