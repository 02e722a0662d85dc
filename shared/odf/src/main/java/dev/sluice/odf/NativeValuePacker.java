package dev.sluice.odf;

import java.util.Objects;

/**
 * Rows of a column in off-heap memory (Arrow's layout, given as plain addresses so this module stays free of Arrow)
 * packed natively into the byte stream of the {@code arrow0-sha3-256} logical hash: per value its bytes (fixed
 * width), its length (u64 LE) and bytes (variable width) or 1/2 (false/true), a null one 0x00 byte. The per-value Java
 * code it replaces costs ~4 ns a short string and ~8 ns a nullable fixed-width value, ~1 ns here: with native SHA3
 * lanes, up to a third of the logical hash's CPU.
 * Part of the native SHA3 library ({@link NativeKeccak}): {@link #available()} is false where it is not loaded,
 * including with {@code -Dsluice.sha3.native=false}; callers then keep their Java code.
 *
 * <p>Every size is checked here or in the native code (values outside the data buffer are refused); the caller must
 * keep the memory at the given addresses allocated and unchanged during a call.
 */
public final class NativeValuePacker {
    private NativeValuePacker() {}

    /** Whether the native library is loaded. */
    public static boolean available() {
        return NativeKeccak.LOADED;
    }

    /**
     * Writes rows {@code [start, start+count)} of a variable-width column with 32-bit offsets into {@code dst} from
     * {@code at} (at most {@code 8 * count} bytes plus the rows' data bytes) and returns the number of bytes written.
     *
     * @param offsets address of the offsets buffer ({@code offsetsLen} bytes, at least {@code 4 * (start+count+1)})
     * @param data address of the data buffer ({@code dataLen} bytes; every valid value must lie inside it)
     * @param validity address of the validity bitmap ({@code validityLen} bytes), or 0 when no row is null
     * @throws IndexOutOfBoundsException if a buffer is too small for the rows or {@code dst} for their bytes
     * @throws IllegalArgumentException if a value's offsets are decreasing or outside the data buffer
     */
    public static int packVarWidth(long offsets, long offsetsLen, long data, long dataLen, long validity, long validityLen,
                                   int start, int count, byte[] dst, int at) {
        requireLoaded();
        checkRows(start, count, validity, validityLen);
        Objects.checkFromIndexSize(0, 4L * (start + count + 1), offsetsLen);
        if (offsets == 0 || data == 0 && dataLen > 0 || dataLen < 0) throw new IllegalArgumentException("null buffer address");
        Objects.checkIndex(at, dst.length + 1);
        return checked(NativeKeccak.packVarWidth(offsets, data, dataLen, validity, start, count, dst, at, dst.length - at));
    }

    /**
     * Writes rows {@code [start, start+count)} of a fixed-width column ({@code width} bytes a value, little-endian as
     * Arrow stores them) into {@code dst} from {@code at}, which must have room for {@code width * count} bytes, and
     * returns the number of bytes written.
     *
     * @param data address of the value buffer ({@code dataLen} bytes, at least {@code width * (start+count)})
     * @param validity address of the validity bitmap ({@code validityLen} bytes), or 0 when no row is null
     * @throws IndexOutOfBoundsException if a buffer is too small for the rows or {@code dst} for their bytes
     */
    public static int packFixedWidth(long data, long dataLen, long validity, long validityLen, int width, int start,
                                     int count, byte[] dst, int at) {
        requireLoaded();
        if (width < 1) throw new IllegalArgumentException("width " + width);
        checkRows(start, count, validity, validityLen);
        checkData(data, (long) width * (start + count), dataLen);
        Objects.checkFromIndexSize(at, (long) width * count, dst.length);
        return checked(NativeKeccak.packFixedWidth(data, validity, width, start, count, dst, at));
    }

    /**
     * Writes rows {@code [start, start+count)} of a boolean column (one bit a value) into {@code dst} from {@code at},
     * one byte each, and returns {@code count}.
     *
     * @param data address of the value bitmap ({@code dataLen} bytes, at least {@code (start+count)} bits)
     * @param validity address of the validity bitmap ({@code validityLen} bytes), or 0 when no row is null
     * @throws IndexOutOfBoundsException if a buffer is too small for the rows or {@code dst} for their bytes
     */
    public static int packBits(long data, long dataLen, long validity, long validityLen, int start, int count, byte[] dst, int at) {
        requireLoaded();
        checkRows(start, count, validity, validityLen);
        checkData(data, (start + count + 7L) / 8, dataLen);
        Objects.checkFromIndexSize(at, count, dst.length);
        return checked(NativeKeccak.packBits(data, validity, start, count, dst, at));
    }

    private static void requireLoaded() {
        if (!available()) throw new UnsupportedOperationException("native value packing not available");
    }

    private static void checkRows(int start, int count, long validity, long validityLen) {
        Objects.checkFromIndexSize(start, count, Integer.MAX_VALUE);
        if (validity != 0) Objects.checkFromIndexSize(0, (start + count + 7L) / 8, validityLen);
    }

    private static void checkData(long data, long needed, long dataLen) {
        Objects.checkFromIndexSize(0, needed, dataLen);
        if (data == 0 && needed > 0) throw new IllegalArgumentException("null buffer address");
    }

    private static int checked(int n) {
        return switch (n) {
            case -1 -> throw new IndexOutOfBoundsException("destination array too small for the packed values");
            case -2 -> throw new IllegalArgumentException("column offsets decreasing or outside the data buffer");
            case -3 -> throw new OutOfMemoryError("could not pin the destination array for native packing");
            default -> n;
        };
    }
}
