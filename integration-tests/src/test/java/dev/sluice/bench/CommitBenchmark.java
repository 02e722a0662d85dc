package dev.sluice.bench;

import dev.sluice.odf.DataSlice;
import dev.sluice.odf.DatasetAlias;
import dev.sluice.odf.DatasetKind;
import dev.sluice.odf.MergeStrategy;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.odf.ReadStep;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import dev.sluice.storage.ObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Commits per second to one dataset, with 1 and 8 concurrent writers, on the filesystem store and on the S3 store
 * against a real S3 protocol server (s3proxy) on localhost. Each commit is a full AddData block (the data object
 * itself is written once up front, so this measures the metadata commit path: read head, fold, encode, put block,
 * CAS head).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CommitBenchmark {
    @Param({"fs", "s3"})
    public String store;

    Path dir;
    dev.sluice.storage.LocalS3Server s3;
    ObjectStore objectStore;
    DatasetRepository repository;
    Multihash physical;
    final AtomicLong counter = new AtomicLong();

    @State(Scope.Thread)
    public static class Writer {
        Dataset ds;

        @Setup(Level.Trial)
        public void open(CommitBenchmark b) {
            // One repository per process, as in a node serving concurrent requests: writers in a process take turns
            // (Dataset's commit lock) and race other processes through the CAS on refs/head.
            ds = b.repository.get("bench");
        }
    }

    @Setup(Level.Trial)
    public void setup() throws Exception {
        dir = Files.createTempDirectory("sluice-commit-bench");
        if (store.equals("s3")) {
            s3 = dev.sluice.storage.LocalS3Server.start();
            objectStore = s3.newStore("bench-prefix");
        } else {
            objectStore = new FileSystemObjectStore(dir.resolve("fs"));
        }
        var repo = new DatasetRepository(objectStore);
        repository = repo;
        Dataset ds = repo.create(DatasetAlias.parse("bench"), DatasetKind.Root, List.of(
                new MetadataEvent.AddPushSource("default", new ReadStep.NdJson(null, List.of("a BIGINT"), null, null, null), null, new MergeStrategy.Append())));
        Path f = dir.resolve("slice");
        Files.writeString(f, "slice");
        physical = Multihash.sha3(Files.readAllBytes(f));
        ds.putData(physical, f);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (s3 != null) s3.close();
    }

    long commit(Dataset ds) {
        long tag = counter.incrementAndGet();
        Multihash logical = new Multihash(Multihash.ARROW0_SHA3_256, Multihash.sha3("l" + tag).digest());
        return ds.commit(state -> new MetadataEvent.AddData(null, state.lastOffset(),
                new DataSlice(logical, physical, new OffsetInterval(state.nextOffset(), state.nextOffset()), 5), null,
                Instant.EPOCH.plusSeconds(state.nextOffset()), null, null)).sequenceNumber();
    }

    @Benchmark
    @Threads(1)
    public long commit1Writer(Writer w) {
        return commit(w.ds);
    }

    @Benchmark
    @Threads(8)
    public long commit8Writers(Writer w) {
        return commit(w.ds);
    }
}
