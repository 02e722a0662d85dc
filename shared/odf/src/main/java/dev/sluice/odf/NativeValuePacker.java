package dev.sluice.odf;

import java.util.Objects;

/**
 * Rows of a column in off-heap memory (Arrow's layout, given as plain addresses so this module stays free of Arrow)
 * packed natively into the byte stream of the {@code arrow0-sha3-256} logical hash: per value its length (u64 LE)
 * and bytes, a null one 0x00 byte. The per-value Java copies it replaces cost more CPU than the SHA3 of the bytes.
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
        if (!available()) throw new UnsupportedOperationException("native value packing not available");
        Objects.checkFromIndexSize(start, count, Integer.MAX_VALUE);
        Objects.checkFromIndexSize(0, 4L * (start + count + 1), offsetsLen);
        if (validity != 0) Objects.checkFromIndexSize(0, (start + count + 7L) / 8, validityLen);
        if (offsets == 0 || data == 0 && dataLen > 0 || dataLen < 0) throw new IllegalArgumentException("null buffer address");
        Objects.checkIndex(at, dst.length + 1);
        int n = NativeKeccak.packVarWidth(offsets, data, dataLen, validity, start, count, dst, at, dst.length - at);
        return checked(n);
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
