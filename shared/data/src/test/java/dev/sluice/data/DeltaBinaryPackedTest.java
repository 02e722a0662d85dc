package dev.sluice.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.data.ColumnEncoder.ByteBuf;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.values.delta.DeltaBinaryPackingValuesReader;
import org.apache.parquet.column.values.delta.DeltaBinaryPackingValuesWriterForInteger;
import org.apache.parquet.column.values.delta.DeltaBinaryPackingValuesWriterForLong;
import org.junit.jupiter.api.Test;

/**
 * The hand-written DELTA_BINARY_PACKED encoder against parquet-mr's reader (every value back, every byte consumed)
 * and parquet-mr's writer (the same bytes wherever parquet-mr leaves no stale bits: one block, or full blocks only).
 */
class DeltaBinaryPackedTest {
    static final int[] COUNTS = {1, 2, 31, 32, 33, 127, 128, 129, 130, 200, 257, 385, 1000, 20_001};

    private static long mix(long x) { // splitmix64: pseudo-random, same for every run
        x += 0x9E3779B97F4A7C15L;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }

    private static final LongUnaryOperator[] LONGS = {
        i -> i, // offsets: constant step 1
        i -> 1_700_000_000_000L + i * 1000, // timestamps a second apart
        i -> 5_000_000 - 7 * i, // negative deltas
        i -> 42, // constant
        i -> 1_700_000_000_000L + i * 1000 + (mix(i) & 0x3FF), // jittered timestamps
        i -> mix(i), // random 64-bit: 64-bit widths
        i -> i % 2 == 0 ? Long.MIN_VALUE : Long.MAX_VALUE, // deltas that wrap
        i -> i % 3 == 0 ? Long.MIN_VALUE : i % 3 == 1 ? Long.MAX_VALUE : 0,
        i -> i < 64 ? i : -i * 1_000_000_007L, // widths changing between miniblocks
        i -> mix(i) >> 40, // small random, both signs
    };

    private static final LongUnaryOperator[] INTS = {
        i -> i,
        i -> 20_000 + i / 3, // dates with repeats
        i -> 1000 - 13 * i,
        i -> (int) mix(i), // random 32-bit
        i -> i % 2 == 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE, // wraps in 32 bits
        i -> i % 5 == 0 ? Integer.MIN_VALUE + i : i % 5 == 1 ? Integer.MAX_VALUE - i : (int) (mix(i) >> 48),
    };

    @Test
    void int64SequencesDecodeWithParquetMrAndMatchItsBytes() throws Exception {
        DeltaBinaryPacked enc = new DeltaBinaryPacked();
        for (int g = 0; g < LONGS.length; g++) {
            for (int n : COUNTS) {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) v[i] = LONGS[g].applyAsLong(i);
                byte[] ours = encode(enc, v, false);
                String what = "generator " + g + ", " + n + " values";

                DeltaBinaryPackingValuesReader r = new DeltaBinaryPackingValuesReader();
                ByteBufferInputStream in = ByteBufferInputStream.wrap(ByteBuffer.wrap(ours));
                r.initFromPage(n, in);
                assertEquals(0, in.available(), what + ": bytes left over");
                long[] back = new long[n];
                for (int i = 0; i < n; i++) back[i] = r.readLong();
                assertArrayEquals(v, back, what);

                if (n <= 129 || (n - 1) % 128 == 0) {
                    var mr = new DeltaBinaryPackingValuesWriterForLong(128, 4, 64, 1 << 20, HeapByteBufferAllocator.getInstance());
                    for (long x : v) mr.writeLong(x);
                    assertArrayEquals(mr.getBytes().toByteArray(), ours, what);
                }
            }
        }
    }

    @Test
    void int32SequencesDecodeWithParquetMrAndMatchItsBytes() throws Exception {
        DeltaBinaryPacked enc = new DeltaBinaryPacked();
        for (int g = 0; g < INTS.length; g++) {
            for (int n : COUNTS) {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) v[i] = (int) INTS[g].applyAsLong(i);
                byte[] ours = encode(enc, v, true);
                String what = "generator " + g + ", " + n + " values";

                DeltaBinaryPackingValuesReader r = new DeltaBinaryPackingValuesReader();
                ByteBufferInputStream in = ByteBufferInputStream.wrap(ByteBuffer.wrap(ours));
                r.initFromPage(n, in);
                assertEquals(0, in.available(), what + ": bytes left over");
                for (int i = 0; i < n; i++) assertEquals((int) v[i], r.readInteger(), what + " at " + i);
                assertMaxWidth(ours, n, 32, what);

                if (n <= 129 || (n - 1) % 128 == 0) {
                    var mr = new DeltaBinaryPackingValuesWriterForInteger(128, 4, 64, 1 << 20, HeapByteBufferAllocator.getInstance());
                    for (long x : v) mr.writeInteger((int) x);
                    assertArrayEquals(mr.getBytes().toByteArray(), ours, what);
                }
            }
        }
    }

    @Test
    void constantStepsTakeFiveBytesPerBlockAndUnusedMiniblocksAreZero() {
        DeltaBinaryPacked enc = new DeltaBinaryPacked();
        long[] v = new long[1 + 128 * 10];
        Arrays.setAll(v, i -> 7_000_000L + i); // offsets
        byte[] b = encode(enc, v, false);
        // header: 128 (2 bytes), 4, 1281 (2 bytes), zigzag(7000000) (4 bytes); per block: zigzag(1) + four zero widths
        assertEquals(2 + 1 + 2 + 4 + 10 * (1 + 4), b.length);

        long[] w = new long[1 + 40]; // one block: 40 deltas, two miniblocks used, widths of the other two zero
        SplittableRandom r = new SplittableRandom(3);
        Arrays.setAll(w, i -> r.nextLong(1 << 20));
        byte[] c = encode(enc, w, false);
        int at = skipVarint(c, headerLength(c)); // the widths follow the header and the block's min delta
        assertEquals(0, c[at + 2]);
        assertEquals(0, c[at + 3]);
        assertTrue(c[at] > 0 && c[at + 1] > 0);
        assertEquals(at + 4 + 4 * (c[at] + c[at + 1]), c.length, "two packed miniblocks of 32 values");
    }

    private static void assertMaxWidth(byte[] b, int n, int max, String what) {
        int at = headerLength(b);
        for (int left = n - 1; left > 0; left -= 128) {
            at = skipVarint(b, at);
            int packed = 0;
            for (int k = 0; k < 4; k++) {
                int w = b[at + k];
                assertTrue(w >= 0 && w <= max, what + ": width " + w);
                if (k * 32 < Math.min(left, 128)) packed += 4 * w;
            }
            at += 4 + packed;
        }
        assertEquals(b.length, at, what);
    }

    private static int headerLength(byte[] b) {
        int at = 0;
        for (int k = 0; k < 4; k++) at = skipVarint(b, at);
        return at;
    }

    private static int skipVarint(byte[] b, int at) {
        while ((b[at] & 0x80) != 0) at++;
        return at + 1;
    }

    private static byte[] encode(DeltaBinaryPacked enc, long[] v, boolean int32) {
        ByteBuf out = new ByteBuf(16);
        out.put((byte) 0x5A); // the encoder appends
        enc.encode(v, v.length, int32, out);
        assertEquals(0x5A, out.buf[0]);
        return Arrays.copyOfRange(out.buf, 1, out.size);
    }
}
