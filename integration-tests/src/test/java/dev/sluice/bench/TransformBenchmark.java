package dev.sluice.bench;

import dev.sluice.engine.InProcessEngineProvisioner;
import dev.sluice.ingest.IngestSource;
import dev.sluice.ingest.PushIngest;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.yaml.ManifestYaml;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetLayout;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import dev.sluice.storage.HashedBlock;
import dev.sluice.transform.TransformResult;
import dev.sluice.transform.TransformService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Incremental transform of 1M new input rows (one input block, the CSV of {@link PushBenchmark} pushed as one slice)
 * into a derivative reset to its metadata before each call (so the block is new to it; the repeated output has the
 * same hashes, which is the reproducibility the design promises) — plan, DuckDB engine in its sandbox, output slice with both hashes, checkpoint, commit —
 * against DuckDB itself running the same SQL over the same Parquet file to Parquet ({@code COPY (…) TO}) on a warm
 * connection. Two transforms: a stateless projection/filter (incremental, ~half the rows out) and an aggregate
 * (recompute-and-diff: one thread, result diffed with an empty previous result, checkpoint written).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--add-opens=java.base/java.nio=org.apache.arrow.memory.core,ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
public class TransformBenchmark {
    static final String STATELESS = "select event_time, id, name, value * 2 as value2, tag from input where count < 500";
    static final String AGGREGATE = "select tag, count(*) as n, sum(value) as total, max(event_time) as event_time from input group by tag";

    Path dir;
    DatasetRepository repo;
    InProcessEngineProvisioner engines;
    TransformService transforms;
    Connection duck;
    Dataset stateless;
    Dataset aggregate;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        dir = Files.createTempDirectory("sluice-transform-bench");
        Path csv = CsvFile.write(dir.resolve("f.csv"), 1_000_000);
        repo = new DatasetRepository(new FileSystemObjectStore(dir.resolve("datasets")));
        Dataset input = repo.create(ManifestYaml.readSnapshot(CsvFile.manifest("input", "Append")));
        new PushIngest(dir.resolve("tmp")).ingest(input, null, null, IngestSource.ofFile(csv), null);
        Path slice = null;
        for (HashedBlock b : input.blocks()) {
            if (b.block().event() instanceof MetadataEvent.AddData a && a.newData() != null) {
                slice = input.store().localFile(DatasetLayout.data(input.id(), a.newData().physicalHash())).orElseThrow();
            }
        }
        engines = InProcessEngineProvisioner.load();
        transforms = new TransformService(repo, engines, dir.resolve("scratch"), Clock.systemUTC());
        duck = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement st = duck.createStatement()) {
            st.execute("CREATE VIEW input AS SELECT * FROM read_parquet('" + slice + "')");
        }
        stateless = derivative("stateless", STATELESS);
        aggregate = derivative("aggregate", AGGREGATE);
        System.out.printf("%n[input] 1M rows in one slice, %.1f MB%n", Files.size(slice) / 1e6);
    }

    /** Each measured transform starts from the derivative's metadata alone: the 1M input rows are all new to it. */
    @Setup(Level.Invocation)
    public void resetDerivatives() throws Exception {
        for (Dataset d : new Dataset[] {stateless, aggregate}) {
            // The previous output is garbage after the reset; delete it so the measured call stores its output again.
            for (HashedBlock b : d.blocks()) {
                if (b.block().event() instanceof MetadataEvent.ExecuteTransform x) {
                    if (x.newData() != null) d.store().delete(DatasetLayout.data(d.id(), x.newData().physicalHash()));
                    if (x.newCheckpoint() != null) d.store().delete(DatasetLayout.checkpoint(d.id(), x.newCheckpoint().physicalHash()));
                }
            }
            transforms.reset(d);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        duck.close();
        engines.close();
        LocalNodeProcess.deleteTree(dir); // ~90 MB of CSV, input and outputs per trial
    }

    private Dataset derivative(String name, String sql) {
        return repo.create(ManifestYaml.readSnapshot("""
                kind: DatasetSnapshot
                version: 1
                content:
                  name: %s
                  kind: Derivative
                  metadata:
                    - kind: SetTransform
                      inputs:
                        - datasetRef: input
                          alias: input
                      transform:
                        kind: Sql
                        engine: duckdb
                        query: "%s"
                """.formatted(name, sql)));
    }

    private TransformResult transform(Dataset d) {
        TransformResult r = transforms.transform(d, 1);
        if (r.steps().size() != 1) throw new IllegalStateException("expected one step: " + r);
        return r;
    }

    private long duckdb(String sql) throws Exception {
        try (Statement st = duck.createStatement()) {
            return st.executeUpdate("COPY (" + sql + ") TO '" + dir.resolve("duck.parquet") + "' (FORMAT parquet)");
        }
    }

    @Benchmark
    public TransformResult sluiceStateless() {
        return transform(stateless);
    }

    @Benchmark
    public long duckdbStateless() throws Exception {
        return duckdb(STATELESS);
    }

    @Benchmark
    public TransformResult sluiceAggregate() {
        return transform(aggregate);
    }

    @Benchmark
    public long duckdbAggregate() throws Exception {
        return duckdb(AGGREGATE);
    }
}
