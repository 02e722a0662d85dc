package dev.sluice.odf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Sha3Test {
    /** Our Keccak against the JDK's SHA3-256: every length around the rate, split into random updates. */
    @Test
    void matchesJdkSha3OnRandomInputsAndSplits() throws Exception {
        Random r = new Random(42);
        for (int t = 0; t < 2_000; t++) {
            byte[] data = new byte[t < 600 ? t : r.nextInt(5_000)];
            r.nextBytes(data);
            MessageDigest jdk = MessageDigest.getInstance("SHA3-256");
            MessageDigest ours = Multihash.newSha3();
            for (int p = 0; p < data.length; ) {
                if (r.nextInt(8) == 0) {
                    jdk.update(data[p]);
                    ours.update(data[p]);
                    p++;
                    continue;
                }
                int n = Math.min(data.length - p, r.nextInt(400));
                jdk.update(data, p, n);
                ours.update(data, p, n);
                p += n;
            }
            assertArrayEquals(jdk.digest(), ours.digest(), "length " + data.length);
        }
        // reuse after digest() starts over
        MessageDigest ours = Multihash.newSha3();
        ours.update(new byte[] {1, 2, 3});
        ours.digest();
        assertArrayEquals(MessageDigest.getInstance("SHA3-256").digest(new byte[] {4}), ours.digest(new byte[] {4}));
    }
}
