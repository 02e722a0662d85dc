package dev.sluice.bench;

import dev.sluice.odf.DataSlice;
import dev.sluice.odf.MetadataBlock;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.odf.SourceState;
import dev.sluice.odf.codec.BlockCodec;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Encode, decode and hash rates of a typical AddData block (the block every ingest writes). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BlockCodecBenchmark {
    MetadataBlock block;
    byte[] bytes;

    @Setup
    public void setup() {
        block = new MetadataBlock(Instant.parse("2024-01-01T12:00:00Z"), Multihash.sha3("prev"), 117,
                new MetadataEvent.AddData(Multihash.sha3("cp"), 9L,
                        new DataSlice(new Multihash(Multihash.ARROW0_SHA3_256, Multihash.sha3("l").digest()), Multihash.sha3("p"),
                                new OffsetInterval(10, 99), 100),
                        null, Instant.parse("2024-01-01T12:00:00Z"), new SourceState("default", SourceState.KIND_ETAG, "\"abc\""), null));
        bytes = BlockCodec.encode(block);
    }

    @Benchmark
    public byte[] encode() {
        return BlockCodec.encode(block);
    }

    @Benchmark
    public MetadataBlock decode() {
        return BlockCodec.decode(bytes);
    }

    @Benchmark
    public Multihash hash() {
        return Multihash.sha3(bytes);
    }
}
