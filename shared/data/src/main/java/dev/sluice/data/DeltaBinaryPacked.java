package dev.sluice.data;

import dev.sluice.data.ColumnEncoder.ByteBuf;

/**
 * Parquet's DELTA_BINARY_PACKED encoding of INT32/INT64 values (parquet-format Encodings.md): a header
 * {@code <block size 128> <4 miniblocks> <value count> <zigzag first value>}, then per block of 128 deltas the
 * zigzag minimum delta, four miniblock bit widths, and each miniblock's 32 (delta − minimum) bit-packed
 * little-endian at its own width. Sequential ids, offsets and timestamps pack to a few bits a value (a constant step:
 * to 5 bytes per 128 values).
 *
 * <p>Deltas wrap around (two's complement) as the spec requires, in 32 bits for INT32 so no width exceeds 32.
 * The bytes are the same as parquet-mr's {@code DeltaBinaryPackingValuesWriterForLong/ForInteger} write, except
 * where parquet-mr leaves stale bits: unused miniblocks of the last block get width 0 and the padding of the last
 * miniblock is zero (the spec's "should").
 */
final class DeltaBinaryPacked {
    static final int BLOCK = 128;
    static final int MINIBLOCKS = 4;
    static final int MINIBLOCK = BLOCK / MINIBLOCKS;

    private final long[] deltas = new long[BLOCK];
    private long[] values = new long[0];

    /** A scratch array of at least {@code n} values to fill and pass to {@link #encode}. */
    long[] values(int n) {
        if (values.length < n) values = new long[Math.max(n, values.length * 2)];
        return values;
    }

    /**
     * Appends values {@code v[0, n)} (n ≥ 1) encoded; {@code int32}: the values are INT32s (sign-extended) and
     * their deltas are taken in 32 bits.
     */
    void encode(long[] v, int n, boolean int32, ByteBuf out) {
        uleb(out, BLOCK);
        uleb(out, MINIBLOCKS);
        uleb(out, n);
        uleb(out, zigzag(v[0]));
        for (int start = 1; start < n; start += BLOCK) {
            int m = Math.min(BLOCK, n - start);
            long min = Long.MAX_VALUE;
            for (int k = 0; k < m; k++) {
                long d = v[start + k] - v[start + k - 1];
                if (int32) d = (int) d;
                deltas[k] = d;
                if (d < min) min = d;
            }
            uleb(out, zigzag(min));
            long mask32 = int32 ? 0xFFFF_FFFFL : -1L;
            for (int k = 0; k < m; k++) deltas[k] = (deltas[k] - min) & mask32;
            for (int k = m; k < BLOCK; k++) deltas[k] = 0;
            int widthsAt = out.size;
            out.ensure(MINIBLOCKS);
            out.size += MINIBLOCKS;
            int used = (m + MINIBLOCK - 1) / MINIBLOCK;
            for (int b = 0; b < MINIBLOCKS; b++) {
                int width = 0;
                if (b < used) {
                    long or = 0;
                    for (int k = b * MINIBLOCK, end = k + MINIBLOCK; k < end; k++) or |= deltas[k];
                    width = 64 - Long.numberOfLeadingZeros(or);
                    pack(deltas, b * MINIBLOCK, width, out);
                }
                out.buf[widthsAt + b] = (byte) width;
            }
        }
    }

    /** Bit-packs the 32 values from {@code from} at {@code width} bits each, least significant bit first. */
    private static void pack(long[] d, int from, int width, ByteBuf out) {
        if (width == 0) return;
        out.ensure(4 * width + 8);
        long acc = 0;
        int bits = 0;
        for (int k = from, end = from + MINIBLOCK; k < end; k++) {
            long x = d[k];
            acc |= x << bits;
            bits += width;
            if (bits >= 64) {
                out.putLong(acc);
                bits -= 64;
                acc = bits == 0 ? 0 : x >>> (width - bits);
            }
        }
        // 32 values of an odd width end half-way through a long: its low four bytes.
        if (bits > 0) out.putInt((int) acc);
    }

    static long zigzag(long x) {
        return (x << 1) ^ (x >> 63);
    }

    /** Unsigned LEB128 varint. */
    static void uleb(ByteBuf out, long x) {
        while ((x & ~0x7FL) != 0) {
            out.put((byte) ((x & 0x7F) | 0x80));
            x >>>= 7;
        }
        out.put((byte) x);
    }
}
