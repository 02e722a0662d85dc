package dev.sluice.odf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Sha3_256} with its bulk updates absorbed by the native one-stream Keccak ({@link NativeKeccak#absorb1}). */
class Sha3NativeTest {
    @BeforeEach
    void requireNative() {
        // On Linux x86-64 CI the library must be there (the build compiles it); the one-stream code also needs AVX-512VL.
        if ("true".equals(System.getenv("SLUICE_REQUIRE_NATIVE_SHA3"))) {
            assertTrue(NativeKeccak.LOADED, "native SHA3 library not loaded (was gcc present at build?)");
        }
        assumeTrue(NativeKeccak.LOADED, "native SHA3 library not available here");
        assumeTrue(Multihash.nativeSha3(), "CPU without AVX-512VL: one-stream SHA3 stays in Java");
    }

    @Test
    void absorb1AgreesWithTheJavaPermutation() {
        Random r = new Random(9);
        for (int blocks : new int[] {0, 1, 2, 7, 513, 1100}) { // > 512: split over several JNI calls
            long[] state = new long[25];
            for (int i = 0; i < 25; i++) state[i] = r.nextLong();
            long[] expected = state.clone();
            int off = r.nextInt(9);
            byte[] b = new byte[off + 136 * blocks + r.nextInt(3)];
            r.nextBytes(b);
            NativeKeccak.absorb1(state, b, off, blocks);
            ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            for (int blk = 0; blk < blocks; blk++) {
                for (int i = 0; i < 17; i++) expected[i] ^= in.getLong(off + 136 * blk + 8 * i);
                Sha3_256.permute(expected, 0, 1);
            }
            assertArrayEquals(expected, state, blocks + " blocks");
        }
        assertThrows(IndexOutOfBoundsException.class, () -> NativeKeccak.absorb1(new long[25], new byte[272], 1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> NativeKeccak.absorb1(new long[25], new byte[272], -1, 1));
        assertThrows(IllegalArgumentException.class, () -> NativeKeccak.absorb1(new long[24], new byte[136], 0, 1));
        assertThrows(IllegalArgumentException.class, () -> NativeKeccak.absorb1(new long[25], new byte[136], 0, -1));
    }

    /** Random lengths 0..5000, split into updates that go native (>= NATIVE_MIN), stay in Java, or are single bytes. */
    @Test
    void matchesJdkSha3WhenNativeAndJavaUpdatesMix() throws Exception {
        Random r = new Random(17);
        for (int t = 0; t < 3_000; t++) {
            byte[] data = new byte[t < 1_200 ? t : r.nextInt(5_001)];
            r.nextBytes(data);
            MessageDigest jdk = MessageDigest.getInstance("SHA3-256");
            MessageDigest ours = Multihash.newSha3();
            feed(r, data, jdk, ours);
            assertArrayEquals(jdk.digest(), ours.digest(), "length " + data.length);
        }
    }

    @Test
    void matchesJdkSha3OnMegabytes() throws Exception {
        Random r = new Random(23);
        for (int len : new int[] {3 << 20, (5 << 20) + 77}) {
            byte[] data = new byte[len];
            r.nextBytes(data);
            MessageDigest ours = Multihash.newSha3();
            for (int p = 0; p < len; ) { // mostly large updates (up to a few hundred kB), some short ones between
                int n = Math.min(len - p, r.nextInt(4) == 0 ? r.nextInt(600) : r.nextInt(300_000));
                ours.update(data, p, n);
                p += n;
            }
            assertArrayEquals(MessageDigest.getInstance("SHA3-256").digest(data), ours.digest(), "length " + len);
            assertArrayEquals(MessageDigest.getInstance("SHA3-256").digest(data), Multihash.sha3(data).digest());
        }
    }

    @Test
    void cloneAndResetAfterNativeUpdates() throws Exception {
        Random r = new Random(31);
        byte[] head = new byte[10_000 + 61]; // leaves a partial block in the Java buffer
        byte[] tailA = new byte[7_000];
        byte[] tailB = new byte[333];
        r.nextBytes(head);
        r.nextBytes(tailA);
        r.nextBytes(tailB);
        MessageDigest a = Multihash.newSha3();
        a.update(head);
        MessageDigest b = (MessageDigest) a.clone();
        a.update(tailA);
        b.update(tailB);
        assertArrayEquals(jdk(head, tailA), a.digest());
        assertArrayEquals(jdk(head, tailB), b.digest());
        // digest() reset both; reset() mid-stream too
        a.update(tailB);
        assertArrayEquals(jdk(tailB), a.digest());
        b.update(head);
        b.reset();
        b.update(tailA);
        assertArrayEquals(jdk(tailA), b.digest());
    }

    private static void feed(Random r, byte[] data, MessageDigest... mds) {
        for (int p = 0; p < data.length; ) {
            int kind = r.nextInt(8);
            if (kind == 0) {
                for (MessageDigest md : mds) md.update(data[p]);
                p++;
                continue;
            }
            int n = Math.min(data.length - p, kind < 4 ? r.nextInt(Sha3_256.NATIVE_MIN) : Sha3_256.NATIVE_MIN + r.nextInt(3_000));
            for (MessageDigest md : mds) md.update(data, p, n);
            p += n;
        }
    }

    private static byte[] jdk(byte[]... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA3-256");
        for (byte[] p : parts) md.update(p);
        return md.digest();
    }
}
