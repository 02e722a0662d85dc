package dev.sluice.bench;

import dev.sluice.odf.Multihash;
import dev.sluice.odf.Sha3Lanes;
import java.security.MessageDigest;
import java.util.Random;
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

/**
 * SHA3-256 of four independent 1 MiB streams on one thread, fed in interleaved 16 KiB pieces (as the logical
 * hash feeds its column groups): {@link Sha3Lanes} with the 4-lane vector Keccak, the same lanes permuted one by
 * one with the scalar code, and four separate scalar digests ({@link Multihash#newSha3()}). Score = ms per 4 MiB;
 * MB/s per core = 4.19 / score × 1000.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class Sha3LanesBenchmark {
    private static final int STREAM = 1 << 20;
    private static final int PIECE = 1 << 14;
    byte[][] streams = new byte[Sha3Lanes.LANES][STREAM];

    @Setup
    public void setup() {
        Random r = new Random(1);
        for (byte[] s : streams) r.nextBytes(s);
    }

    @Benchmark
    public byte[][] vectorLanes() {
        return lanes(Sha3Lanes.Permutation.VECTOR);
    }

    @Benchmark
    public byte[][] scalarLanes() {
        return lanes(Sha3Lanes.Permutation.SCALAR);
    }

    @Benchmark
    public byte[][] fourScalarDigests() {
        MessageDigest[] md = new MessageDigest[streams.length];
        for (int k = 0; k < md.length; k++) md[k] = Multihash.newSha3();
        for (int at = 0; at < STREAM; at += PIECE) {
            for (int k = 0; k < md.length; k++) md[k].update(streams[k], at, PIECE);
        }
        byte[][] out = new byte[md.length][];
        for (int k = 0; k < md.length; k++) out[k] = md[k].digest();
        return out;
    }

    private byte[][] lanes(Sha3Lanes.Permutation p) {
        Sha3Lanes lanes = new Sha3Lanes(p);
        for (int at = 0; at < STREAM; at += PIECE) {
            for (int k = 0; k < streams.length; k++) lanes.update(k, streams[k], at, PIECE);
        }
        return lanes.digests();
    }
}
