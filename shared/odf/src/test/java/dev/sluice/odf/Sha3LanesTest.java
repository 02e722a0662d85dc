package dev.sluice.odf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
    void autoLanesMatchJdkSha3() throws Exception {
        checkRandomStreams(Sha3Lanes.Permutation.AUTO, 100);
    }

    @Test
    void knownVectorsOnEveryLaneAndEmptyLanes() {
        for (Sha3Lanes.Permutation p : Sha3Lanes.Permutation.values()) {
            if (p == Sha3Lanes.Permutation.VECTOR && !Sha3Lanes.vectorPresent()) continue;
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
            byte[][] data = new byte[Sha3Lanes.LANES][];
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
            Sha3Lanes lanes = new Sha3Lanes(p);
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
