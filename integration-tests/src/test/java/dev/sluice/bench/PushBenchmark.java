package dev.sluice.bench;

import dev.sluice.data.LogicalHasher;
import dev.sluice.data.SliceReader;
import dev.sluice.data.SliceWriter;
import dev.sluice.data.SliceWriterProbe;
import dev.sluice.data.read.ReadOptions;
import dev.sluice.data.read.RecordReader;
import dev.sluice.data.read.RecordReaders;
import dev.sluice.ingest.IngestResult;
import dev.sluice.ingest.IngestSource;
import dev.sluice.ingest.PushIngest;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.ReadStep;
import dev.sluice.odf.yaml.ManifestYaml;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetLayout;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
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
 * Push of a 1M-row, 6-column CSV (~55 MB) into a new slice of a root dataset (Append source; read, slice write with
 * physical and logical hashes, commit) against DuckDB's own {@code COPY (FROM read_csv(f)) TO 'f.parquet'} on the
 * same file, both warm in this JVM.
 *
 * <p>What hashing costs: {@code sliceWrite} and {@code sliceWriteWithoutHashes} read the CSV and write the slice file
 * (no commit) with and without the physical and logical hashes; their difference over {@code sluicePush} is the share
 * of push time spent hashing (hashing runs beside reading and encoding, so it costs less wall time than CPU time).
 * {@code hashOnly} is the CPU cost of both hashes of the produced slice on one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--add-opens=java.base/java.nio=org.apache.arrow.memory.core,ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
public class PushBenchmark {
    Path dir;
    Path csv;
    DatasetRepository repo;
    Connection duck;
    Path lastSlice;
    final AtomicInteger n = new AtomicInteger();

    @Setup(Level.Trial)
    public void setup() throws Exception {
        dir = Files.createTempDirectory("sluice-push-bench");
        csv = CsvFile.write(dir.resolve("f.csv"), 1_000_000);
        repo = new DatasetRepository(new FileSystemObjectStore(dir.resolve("datasets")));
        duck = DriverManager.getConnection("jdbc:duckdb:");
        System.out.printf("%n[input] %s: %.1f MB%n", csv, Files.size(csv) / 1e6);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        duck.close();
        try (var files = Files.walk(dir)) { // the CSV, DuckDB's output and every pushed slice: ~30 MB a push
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public IngestResult sluicePush() throws Exception {
        Dataset ds = repo.create(ManifestYaml.readSnapshot(CsvFile.manifest("bench-" + n.incrementAndGet(), "Append")));
        IngestResult r = new PushIngest(dir.resolve("tmp")).ingest(ds, null, null, IngestSource.ofFile(csv), null);
        lastSlice = ds.store().localFile(DatasetLayout.data(ds.id(),
                ((dev.sluice.odf.MetadataEvent.AddData) ds.block(r.newHead()).block().event()).newData().physicalHash())).orElseThrow();
        return r;
    }

    @Benchmark
    public long sliceWrite() throws Exception {
        return writeSlice(SliceWriter.options());
    }

    @Benchmark
    public long sliceWriteWithoutHashes() throws Exception {
        return writeSlice(SliceWriterProbe.withoutHashes(SliceWriter.options()));
    }

    private long writeSlice(SliceWriter.Options options) throws Exception {
        ReadStep step = ((MetadataEvent.AddPushSource) ManifestYaml.readSnapshot(CsvFile.manifest("slice", "Append")).metadata().stream()
                .filter(e -> e instanceof MetadataEvent.AddPushSource).findFirst().orElseThrow()).read();
        Path out = dir.resolve("slice.parquet");
        try (BufferAllocator alloc = new RootAllocator(); InputStream in = Files.newInputStream(csv);
                RecordReader r = RecordReaders.open(step, in, ReadOptions.defaults().allocator(alloc));
                SliceWriter w = SliceWriter.open(out, r.schema(), options.systemTime(Instant.now()).allocator(alloc))) {
            while (r.hasNext()) w.write(r.next());
            return w.finish().size();
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Benchmark
    public int duckdbCsvToParquet() throws Exception {
        try (Statement st = duck.createStatement()) {
            return st.executeUpdate("COPY (FROM read_csv('" + csv + "')) TO '" + dir.resolve("duck.parquet") + "' (FORMAT parquet)");
        }
    }

    /** The produced slice, in memory: its bytes and its batches (as the push hashes them while writing). */
    @State(Scope.Benchmark)
    public static class ProducedSlice {
        byte[] bytes;
        org.apache.arrow.vector.types.pojo.Schema schema;
        java.util.List<org.apache.arrow.vector.VectorSchemaRoot> batches = new java.util.ArrayList<>();
        org.apache.arrow.memory.BufferAllocator allocator = new org.apache.arrow.memory.RootAllocator();

        @Setup(Level.Trial)
        public void load(PushBenchmark b) throws Exception {
            b.sluicePush();
            bytes = Files.readAllBytes(b.lastSlice);
            try (SliceReader r = SliceReader.open(b.lastSlice, allocator, 65_536)) {
                schema = r.schema();
                while (r.hasNext()) {
                    var src = r.next();
                    // Take over the reader's buffers (appending into an empty root fails on its empty offset buffer).
                    var copy = org.apache.arrow.vector.VectorSchemaRoot.create(src.getSchema(), allocator);
                    for (int c = 0; c < src.getFieldVectors().size(); c++) {
                        src.getVector(c).makeTransferPair(copy.getVector(c)).transfer();
                    }
                    copy.setRowCount(src.getRowCount());
                    batches.add(copy);
                }
            }
        }
    }

    /** Both hashes of the produced slice on one thread: physical (file bytes) and logical (its rows). */
    @Benchmark
    public Multihash hashOnly(ProducedSlice slice) {
        Multihash physical = Multihash.sha3(slice.bytes);
        Multihash logical = LogicalHasher.hash(slice.schema, slice.batches);
        return logical.code() > 0 ? physical : null;
    }
}
