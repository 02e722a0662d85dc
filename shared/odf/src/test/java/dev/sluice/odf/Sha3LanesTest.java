package dev.sluice.odf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Sha3LanesTest {
    /** FIPS 202 example values for SHA3-256. */
    private static final String EMPTY = "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a";
    private static final String ABC = "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532";

    @Test
    void scalarLanesMatchJdkSha3() throws Exception {
        checkRandomStreams(Sha3Lanes.Permutation.SCALAR, 400);
    }

    @Test
    void vectorLanesMatchJdkSha3() throws Exception {
        assumeTrue(Sha3Lanes.vectorPresent(), "JVM started without --add-modules jdk.incubator.vector");
        checkRandomStreams(Sha3Lanes.Permutation.VECTOR, 150); // interpreted Vector API: keep it small
    }

    @Test
    void nativeLanesMatchJdkSha3() throws Exception {
        assumeNative();
        checkRandomStreams(Sha3Lanes.Permutation.NATIVE, 400);
    }

    @Test
    void nativeLanesAgreeWithScalarOnLongInterleavedStreams() {
        assumeNative();
        Random r = new Random(11);
        Sha3Lanes scalar = new Sha3Lanes(Sha3Lanes.Permutation.SCALAR);
        Sha3Lanes nat = new Sha3Lanes(Sha3Lanes.Permutation.NATIVE);
        byte[] chunk = new byte[40_000];
        for (int round = 0; round < 60; round++) { // lanes fed unevenly: some far ahead, some idle for a while
            int lane = r.nextInt(Sha3Lanes.LANES);
            r.nextBytes(chunk);
            int len = r.nextInt(chunk.length);
            scalar.update(lane, chunk, 0, len);
            nat.update(lane, chunk, 0, len);
        }
        assertArrayEquals(scalar.digests(), nat.digests());
    }

    @Test
    void everyNativeInstructionSetAndWidthAgreesWithTheScalarPermutation() {
        assumeNative();
        Random r = new Random(5);
        int[][] levelWidth = NativeKeccak.LEVEL >= NativeKeccak.AVX512
                ? new int[][] {{NativeKeccak.AVX2, 4}, {NativeKeccak.AVX512, 4}, {NativeKeccak.AVX512, 8}}
                : new int[][] {{NativeKeccak.AVX2, 4}};
        for (int[] lw : levelWidth) {
            int w = lw[1];
            long[] state = new long[25 * w];
            long[] expected = new long[25 * w];
            for (int i = 0; i < state.length; i++) expected[i] = state[i] = r.nextLong();
            byte[][] blocks = new byte[w][3 * 136 + 5];
            int[] off = new int[w];
            for (int k = 0; k < w; k++) {
                r.nextBytes(blocks[k]);
                off[k] = r.nextInt(6);
            }
            NativeKeccak.absorb(lw[0], w, state, blocks, off, 3);
            for (int blk = 0; blk < 3; blk++) {
                for (int k = 0; k < w; k++) {
                    for (int i = 0; i < 17; i++) {
                        expected[w * i + k] ^= java.nio.ByteBuffer.wrap(blocks[k], off[k] + 136 * blk + 8 * i, 8)
                                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
                    }
                    Sha3_256.permute(expected, k, w);
                }
            }
            assertArrayEquals(expected, state, "level " + lw[0] + " width " + w);
        }
        assertThrows(IndexOutOfBoundsException.class,
                () -> NativeKeccak.absorb(4, new long[100], new byte[4][136], new int[] {0, 0, 0, 1}, 1));
        assertThrows(IllegalArgumentException.class,
                () -> NativeKeccak.absorb(5, new long[125], new byte[5][136], new int[5], 1));
    }

    @Test
    void directWritesMixWithUpdates() throws Exception {
        Random r = new Random(3);
        for (Sha3Lanes.Permutation p : new Sha3Lanes.Permutation[] {Sha3Lanes.Permutation.SCALAR, Sha3Lanes.Permutation.AUTO}) {
            Sha3Lanes lanes = new Sha3Lanes(5, p);
            java.io.ByteArrayOutputStream[] fed = new java.io.ByteArrayOutputStream[5];
            for (int k = 0; k < 5; k++) fed[k] = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < 400; i++) {
                int k = r.nextInt(5);
                byte[] b = new byte[r.nextInt(3000)];
                r.nextBytes(b);
                if (r.nextBoolean()) {
                    lanes.update(k, b, 0, b.length);
                } else {
                    byte[] dst = lanes.reserve(k, b.length + 10); // more room than written
                    System.arraycopy(b, 0, dst, lanes.appendPosition(k), b.length);
                    lanes.appended(k, b.length);
                }
                fed[k].write(b);
            }
            byte[][] got = lanes.digests();
            for (int k = 0; k < 5; k++) {
                assertArrayEquals(MessageDigest.getInstance("SHA3-256").digest(fed[k].toByteArray()), got[k], p + " stream " + k);
            }
        }
        Sha3Lanes lanes = new Sha3Lanes(1, Sha3Lanes.Permutation.SCALAR);
        lanes.reserve(0, 10);
        assertThrows(IndexOutOfBoundsException.class, () -> lanes.appended(0, lanes.reserve(0, 0).length + 1));
    }

    @Test
    void streamIndexesAreChecked() {
        Sha3Lanes lanes = new Sha3Lanes(6, Sha3Lanes.Permutation.SCALAR);
        assertEquals(6, lanes.streams());
        assertThrows(IndexOutOfBoundsException.class, () -> lanes.update(6, new byte[1], 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Sha3Lanes(0, Sha3Lanes.Permutation.SCALAR));
        assertEquals(6, lanes.digests().length);
    }

    /** On Linux x86-64 CI the library must be there (the build compiles it); elsewhere the Java lanes stand in. */
    @Test
    void aBurstWithABacklogRidesAlongWithTheOtherStreams() throws Exception {
        assumeNative();
        assumeTrue(NativeKeccak.maxWidth() == 8, "eight streams at once need AVX-512");
        // Eight streams fed evenly plus a ninth that gets 1 MiB at once (like a file's row group): allowed to wait,
        // the burst is absorbed a block per eight-stream permutation; not allowed, it is absorbed on its own at once.
        for (boolean backlog : new boolean[] {true, false}) {
            Random r = new Random(3);
            Sha3Lanes lanes = new Sha3Lanes(9, Sha3Lanes.Permutation.NATIVE);
            if (backlog) lanes.allowBacklog(8, 2 << 20);
            MessageDigest[] expected = new MessageDigest[9];
            for (int k = 0; k < 9; k++) expected[k] = MessageDigest.getInstance("SHA3-256");
            byte[] burst = new byte[1 << 20];
            r.nextBytes(burst);
            lanes.update(8, burst, 0, burst.length);
            expected[8].update(burst);
            byte[] piece = new byte[4096];
            for (int round = 0; round < 300; round++) {
                for (int k = 0; k < 8; k++) {
                    r.nextBytes(piece);
                    lanes.update(k, piece, 0, piece.length);
                    expected[k].update(piece);
                }
            }
            long burstBlocks = burst.length / 136;
            byte[][] got = lanes.digests();
            for (int k = 0; k < 9; k++) assertArrayEquals(expected[k].digest(), got[k], "stream " + k);
            long narrow = lanes.blocksAbsorbed(1) + lanes.blocksAbsorbed(4);
            if (backlog) {
                assertTrue(narrow < burstBlocks / 20, "blocks absorbed without the other streams: " + narrow);
            } else {
                assertTrue(narrow > burstBlocks * 9 / 10, "blocks absorbed without the other streams: " + narrow);
            }
        }
    }

    @Test
    void aBacklogBelowTheDefaultIsRefused() {
        Sha3Lanes lanes = new Sha3Lanes(2, Sha3Lanes.Permutation.SCALAR);
        assertThrows(IllegalArgumentException.class, () -> lanes.allowBacklog(0, 1000));
        assertThrows(IndexOutOfBoundsException.class, () -> lanes.allowBacklog(2, 1 << 20));
    }

    private static void assumeNative() {
        if ("true".equals(System.getenv("SLUICE_REQUIRE_NATIVE_SHA3"))) {
            assertEquals(true, Sha3Lanes.nativePresent(), "native SHA3 lanes not loaded (was gcc present at build?)");
        }
        assumeTrue(Sha3Lanes.nativePresent(), "native SHA3 lanes not available here");
    }

    @Test
    void autoLanesMatchJdkSha3() throws Exception {
        checkRandomStreams(Sha3Lanes.Permutation.AUTO, 100);
    }

    @Test
    void knownVectorsOnEveryLaneAndEmptyLanes() {
        for (Sha3Lanes.Permutation p : Sha3Lanes.Permutation.values()) {
            if (p == Sha3Lanes.Permutation.VECTOR && !Sha3Lanes.vectorPresent()) continue;
            if (p == Sha3Lanes.Permutation.NATIVE && !Sha3Lanes.nativePresent()) continue;
            Sha3Lanes lanes = new Sha3Lanes(p);
            byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
            lanes.update(1, abc, 0, 3);
            lanes.update(3, abc, 0, 1);
            lanes.update(3, abc, 1, 2);
            byte[][] d = lanes.digests();
            HexFormat hex = HexFormat.of();
            assertEquals(EMPTY, hex.formatHex(d[0]), p.name());
            assertEquals(ABC, hex.formatHex(d[1]), p.name());
            assertEquals(EMPTY, hex.formatHex(d[2]), p.name());
            assertEquals(ABC, hex.formatHex(d[3]), p.name());
            assertThrows(IllegalStateException.class, lanes::digests);
            assertThrows(IllegalStateException.class, () -> lanes.update(0, abc, 0, 1));
        }
    }

    /**
     * Four streams of random, unrelated lengths (some empty, some far longer than the others so that lanes run
     * ahead alone), fed in random interleaved pieces, against the JDK's SHA3-256 of each.
     */
    private static void checkRandomStreams(Sha3Lanes.Permutation p, int trials) throws Exception {
        Random r = new Random(7 + p.ordinal());
        for (int t = 0; t < trials; t++) {
            // mostly four streams; also 1..11 (a pool larger than the vector, and groups left partly empty)
            int streams = t % 3 == 0 ? 1 + r.nextInt(11) : Sha3Lanes.LANES;
            byte[][] data = new byte[streams][];
            for (int k = 0; k < data.length; k++) {
                int len = switch (r.nextInt(5)) {
                    case 0 -> 0;
                    case 1 -> r.nextInt(300);
                    case 2 -> 136 * r.nextInt(4) + r.nextInt(2);
                    case 3 -> r.nextInt(5_000);
                    default -> t % 10 == 0 ? 70_000 + r.nextInt(100_000) : r.nextInt(20_000);
                };
                data[k] = new byte[len];
                r.nextBytes(data[k]);
            }
            Sha3Lanes lanes = new Sha3Lanes(streams, p);
            if (t % 4 == 1) lanes.allowBacklog(r.nextInt(streams), (1 << 16) + r.nextInt(1 << 18)); // bursts wait
            int[] at = new int[data.length];
            while (true) {
                int k = r.nextInt(data.length);
                boolean left = false;
                for (int j = 0; j < data.length; j++) left |= at[j] < data[j].length;
                if (!left) break;
                int n = Math.min(data[k].length - at[k], r.nextInt(r.nextBoolean() ? 200 : 20_000));
                lanes.update(k, data[k], at[k], n);
                at[k] += n;
            }
            byte[][] got = lanes.digests();
            for (int k = 0; k < data.length; k++) {
                assertArrayEquals(MessageDigest.getInstance("SHA3-256").digest(data[k]), got[k],
                        p + " trial " + t + " lane " + k + " length " + data[k].length);
            }
        }
    }
}
