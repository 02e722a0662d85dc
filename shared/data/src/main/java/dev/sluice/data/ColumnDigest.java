package dev.sluice.data;

import dev.sluice.odf.NativeValuePacker;
import dev.sluice.odf.Sha3Lanes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthViewVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The per-column part of arrow-digest V0 ({@code ArrayDigestV0}): type bytes at construction, then the values of
 * every batch in row order, into one lane of a {@link Sha3Lanes} (shared with up to three other columns, whose
 * rows are hashed in lockstep with these). Not thread-safe; {@link LogicalHasher} serialises the calls for a lane
 * group.
 */
final class ColumnDigest {
    private static final byte NULL_MARKER = 0;
    private static final int SCRATCH = 1 << 14;
    /** Largest piece of a fixed-width column copied into its lane at once (the lanes absorb between pieces). */
    private static final int DIRECT_CHUNK = 1 << 15;

    private final Sha3Lanes lanes;
    private final int lane;
    private final boolean nativePacking;
    // Small values are collected here and passed to SHA3 in chunks: per-value MessageDigest calls are slow.
    private final byte[] scratch = new byte[SCRATCH];
    private int pos;
    private byte[] heapOffsets = new byte[0];
    private byte[] heapData = new byte[0];
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    // The batch being hashed (between begin and end).
    private FieldVector leaf;
    private Validity validity;

    /** A column hashed into lane {@code lane} of {@code lanes}. */
    ColumnDigest(Field field, Sha3Lanes lanes, int lane) {
        this(field, lanes, lane, NativeValuePacker.available());
    }

    /**
     * As {@link #ColumnDigest(Field, Sha3Lanes, int)}; {@code nativePacking}: variable-width, boolean and nullable
     * fixed-width values are packed by {@link NativeValuePacker} (which must be available) rather than in Java (tests
     * compare the two).
     */
    ColumnDigest(Field field, Sha3Lanes lanes, int lane, boolean nativePacking) {
        if (nativePacking && !NativeValuePacker.available()) {
            throw new UnsupportedOperationException("native value packing not available");
        }
        this.lanes = lanes;
        this.lane = lane;
        this.nativePacking = nativePacking;
        typeBytes(field);
        flush();
    }

    /** A column with a {@link Sha3Lanes} of its own (its lane 0); see {@link #update} and {@link #finish}. */
    ColumnDigest(Field field) {
        this(field, new Sha3Lanes(1, Sha3Lanes.Permutation.AUTO), 0);
    }

    /** Hashes {@code rowCount} rows of the leaf at the end of {@code chain} (enclosing struct vectors first). */
    void update(List<FieldVector> chain, int rowCount) {
        begin(chain, rowCount);
        rows(0, rowCount);
        end();
    }

    /** The digest of a column made with {@link #ColumnDigest(Field)} (it finishes the column's lanes). */
    byte[] finish() {
        return lanes.digests()[lane];
    }

    /** Starts a batch of {@code rowCount} rows of the leaf at the end of {@code chain} (enclosing structs first). */
    void begin(List<FieldVector> chain, int rowCount) {
        leaf = chain.get(chain.size() - 1);
        Validity v = null;
        for (FieldVector c : chain) v = Validity.combine(v, c, rowCount);
        validity = v;
    }

    /** Hashes rows {@code [start, start+count)} of the current batch (in row order across calls). */
    void rows(int start, int count) {
        values(leaf, start, count, validity);
        flush();
    }

    /** Ends the batch (drops the references to its vectors). */
    void end() {
        leaf = null;
        validity = null;
    }

    // ---- type bytes -------------------------------------------------------------------------------------------

    private void typeBytes(Field field) {
        ArrowType t = field.getType();
        switch (t.getTypeID()) {
            case Int -> {
                ArrowType.Int i = (ArrowType.Int) t;
                u16(1);
                put((byte) (i.getIsSigned() ? 1 : 0));
                u64(i.getBitWidth());
            }
            case FloatingPoint -> {
                u16(2);
                u64(switch (((ArrowType.FloatingPoint) t).getPrecision()) {
                    case HALF -> 16;
                    case SINGLE -> 32;
                    case DOUBLE -> 64;
                });
            }
            case Binary, LargeBinary, BinaryView, FixedSizeBinary -> u16(3);
            case Utf8, LargeUtf8, Utf8View -> u16(4);
            case Bool -> u16(5);
            case Decimal -> {
                ArrowType.Decimal d = (ArrowType.Decimal) t;
                u16(6);
                u64(d.getBitWidth());
                u64(d.getPrecision());
                u64(d.getScale()); // i8 in Rust, sign-extended: same as a Java int widened to long
            }
            case Date -> {
                boolean day = ((ArrowType.Date) t).getUnit() == org.apache.arrow.vector.types.DateUnit.DAY;
                u16(7);
                u64(day ? 32 : 64);
                u16(day ? 0 : 1);
            }
            case Time -> {
                ArrowType.Time tt = (ArrowType.Time) t;
                u16(8);
                u64(tt.getBitWidth());
                u16(unitId(tt.getUnit()));
            }
            case Timestamp -> {
                ArrowType.Timestamp ts = (ArrowType.Timestamp) t;
                u16(9);
                u16(unitId(ts.getUnit()));
                if (ts.getTimezone() == null) {
                    put(NULL_MARKER);
                } else {
                    byte[] tz = ts.getTimezone().getBytes(StandardCharsets.UTF_8);
                    u64(tz.length);
                    bytes(tz);
                }
            }
            case List, LargeList, FixedSizeList -> {
                u16(11);
                Field item = field.getChildren().get(0);
                if (item.getType() instanceof ArrowType.Struct) throw unsupported(field, "list of struct");
                typeBytes(item);
            }
            default -> throw unsupported(field, t.toString());
        }
    }

    private static UnsupportedOperationException unsupported(Field f, String what) {
        return new UnsupportedOperationException("logical hash (arrow0-sha3-256) does not support column '"
                + f.getName() + "' of type " + what);
    }

    private static int unitId(TimeUnit u) {
        return switch (u) {
            case SECOND -> 0;
            case MILLISECOND -> 1;
            case MICROSECOND -> 2;
            case NANOSECOND -> 3;
        };
    }

    // ---- values -----------------------------------------------------------------------------------------------

    /** Rows {@code [start, start+count)} of {@code v}; a null row is one 0x00 byte. */
    private void values(FieldVector v, int start, int count, Validity validity) {
        if (count == 0) return; // nothing to write (and an empty vector may have no offsets buffer at all)
        int end = start + count;
        if (v instanceof BitVector bits) {
            ArrowBuf data = bits.getDataBuffer();
            if (packsNatively(validity)) {
                flush();
                byte[] dst = lanes.reserve(lane, count);
                ArrowBuf bitmap = bitmap(validity);
                lanes.appended(lane, NativeValuePacker.packBits(data.memoryAddress(), data.capacity(), address(bitmap),
                        capacity(bitmap), start, count, dst, lanes.appendPosition(lane)));
                return;
            }
            for (int i = start; i < end; i++) {
                if (validity != null && !validity.isValid(i)) put(NULL_MARKER);
                else put((byte) (BitVectorHelper.get(data, i) + 1)); // false → 1, true → 2
            }
        } else if (v instanceof FixedSizeBinaryVector fsb) {
            int w = fsb.getByteWidth();
            ArrowBuf data = fsb.getDataBuffer();
            for (int i = start; i < end; i++) {
                if (validity != null && !validity.isValid(i)) {
                    put(NULL_MARKER);
                } else {
                    u64(w);
                    bytes(data, (long) i * w, w);
                }
            }
        } else if (v instanceof BaseFixedWidthVector fw) {
            int w = fw.getTypeWidth();
            ArrowBuf data = fw.getDataBuffer();
            if (validity == null) {
                // No nulls: the value buffer is exactly the byte stream (Arrow buffers are little-endian), copied
                // straight into the lane.
                flush();
                long index = (long) start * w;
                for (long left = (long) count * w; left > 0; ) {
                    int n = (int) Math.min(left, DIRECT_CHUNK);
                    byte[] dst = lanes.reserve(lane, n);
                    data.getBytes(index, dst, lanes.appendPosition(lane), n);
                    lanes.appended(lane, n);
                    index += n;
                    left -= n;
                }
            } else if (packsNatively(validity)) {
                flush();
                byte[] dst = lanes.reserve(lane, Math.multiplyExact(count, w)); // a null takes 1 byte, less than w
                ArrowBuf bitmap = bitmap(validity);
                lanes.appended(lane, NativeValuePacker.packFixedWidth(data.memoryAddress(), data.capacity(),
                        address(bitmap), capacity(bitmap), w, start, count, dst, lanes.appendPosition(lane)));
            } else {
                for (int i = start; i < end; i++) {
                    if (!validity.isValid(i)) put(NULL_MARKER);
                    else bytes(data, (long) i * w, w);
                }
            }
        } else if (v instanceof BaseVariableWidthVector vw) {
            if (packsNatively(validity)) {
                varWidthNative(vw, start, count, validity);
            } else {
                varWidth(vw, start, count, validity);
            }
        } else if (v instanceof BaseLargeVariableWidthVector vw) {
            ArrowBuf offsets = vw.getOffsetBuffer();
            ArrowBuf data = vw.getDataBuffer();
            for (int i = start; i < end; i++) {
                if (validity != null && !validity.isValid(i)) {
                    put(NULL_MARKER);
                } else {
                    long s = offsets.getLong((long) i * 8);
                    long len = offsets.getLong((long) (i + 1) * 8) - s;
                    u64(len);
                    bytes(data, s, len);
                }
            }
        } else if (v instanceof BaseVariableWidthViewVector vv) {
            for (int i = start; i < end; i++) {
                if (validity != null && !validity.isValid(i)) {
                    put(NULL_MARKER);
                } else {
                    byte[] b = vv.get(i);
                    u64(b.length);
                    bytes(b);
                }
            }
        } else if (v instanceof ListVector lv) {
            FieldVector items = lv.getDataVector();
            Validity itemValidity = Validity.own(items);
            ArrowBuf offsets = lv.getOffsetBuffer();
            for (int i = start; i < end; i++) {
                if (validity != null && !validity.isValid(i)) {
                    put(NULL_MARKER);
                } else {
                    int s = offsets.getInt((long) i * 4);
                    int n = offsets.getInt((long) (i + 1) * 4) - s;
                    u64(n);
                    values(items, s, n, itemValidity);
                }
            }
        } else if (v instanceof LargeListVector lv) {
            FieldVector items = lv.getDataVector();
            Validity itemValidity = Validity.own(items);
            ArrowBuf offsets = lv.getOffsetBuffer();
            for (int i = start; i < end; i++) {
                if (validity != null && !validity.isValid(i)) {
                    put(NULL_MARKER);
                } else {
                    long s = offsets.getLong((long) i * 8);
                    long n = offsets.getLong((long) (i + 1) * 8) - s;
                    u64(n);
                    values(items, Math.toIntExact(s), Math.toIntExact(n), itemValidity);
                }
            }
        } else if (v instanceof FixedSizeListVector lv) {
            FieldVector items = lv.getDataVector();
            Validity itemValidity = Validity.own(items);
            int n = lv.getListSize();
            for (int i = start; i < end; i++) {
                if (validity != null && !validity.isValid(i)) {
                    put(NULL_MARKER);
                } else {
                    u64(n);
                    values(items, i * n, n, itemValidity);
                }
            }
        } else {
            throw new UnsupportedOperationException("logical hash does not support vector " + v.getClass().getSimpleName()
                    + " (" + v.getField().getType() + ")");
        }
    }

    /** Rows of a variable-width column: each value as length + bytes, a null as 0x00. */
    private void varWidth(BaseVariableWidthVector vw, int start, int count, Validity validity) {
        // Offsets and values copied to the heap once: per-value reads then cost no Arrow bounds checks.
        int offBytes = (count + 1) * 4;
        if (heapOffsets.length < offBytes) heapOffsets = new byte[Math.max(offBytes, heapOffsets.length * 2)];
        vw.getOffsetBuffer().getBytes((long) start * 4, heapOffsets, 0, offBytes);
        int d0 = (int) INT.get(heapOffsets, 0);
        int dataBytes = (int) INT.get(heapOffsets, count * 4) - d0;
        if (heapData.length < dataBytes) heapData = new byte[Math.max(dataBytes, heapData.length * 2)];
        vw.getDataBuffer().getBytes(d0, heapData, 0, dataBytes);
        // Each value as length + bytes, written straight into the lane (a null takes 1 byte, less than 8).
        flush();
        byte[] dst = lanes.reserve(lane, Math.addExact(Math.multiplyExact(count, 8), dataBytes));
        int at = lanes.appendPosition(lane);
        int p = at;
        for (int k = 0; k < count; k++) {
            if (validity != null && !validity.isValid(start + k)) {
                dst[p++] = NULL_MARKER;
            } else {
                int s = (int) INT.get(heapOffsets, k * 4);
                int len = (int) INT.get(heapOffsets, k * 4 + 4) - s;
                LONG.set(dst, p, (long) len);
                System.arraycopy(heapData, s - d0, dst, p + 8, len);
                p += 8 + len;
            }
        }
        lanes.appended(lane, p - at);
    }

    /** {@link #varWidth} by one native call (the per-value Java copies cost almost half the SHA3 of their bytes). */
    private void varWidthNative(BaseVariableWidthVector vw, int start, int count, Validity validity) {
        ArrowBuf offsets = vw.getOffsetBuffer();
        ArrowBuf data = vw.getDataBuffer();
        int dataBytes = offsets.getInt((long) (start + count) * 4) - offsets.getInt((long) start * 4);
        flush();
        // Room for every value's length and bytes (a null takes 1 byte, less than 8).
        byte[] dst = lanes.reserve(lane, Math.addExact(Math.multiplyExact(count, 8), dataBytes));
        ArrowBuf bitmap = bitmap(validity);
        lanes.appended(lane, NativeValuePacker.packVarWidth(offsets.memoryAddress(), offsets.capacity(),
                data.memoryAddress(), data.capacity(), address(bitmap), capacity(bitmap), start, count, dst,
                lanes.appendPosition(lane)));
    }

    /** Natively unless disabled or the validity is combined from enclosing structs (no one bitmap to pass). */
    private boolean packsNatively(Validity validity) {
        return nativePacking && (validity == null || validity instanceof Bitmap);
    }

    /** The bitmap native packing reads, or null when no row is null. */
    private static ArrowBuf bitmap(Validity validity) {
        return validity == null ? null : ((Bitmap) validity).v().getValidityBuffer();
    }

    private static long address(ArrowBuf b) {
        return b == null ? 0 : b.memoryAddress();
    }

    private static long capacity(ArrowBuf b) {
        return b == null ? 0 : b.capacity();
    }

    // ---- byte sink --------------------------------------------------------------------------------------------

    private void put(byte b) {
        if (pos == SCRATCH) flush();
        scratch[pos++] = b;
    }

    private void u16(int v) {
        put((byte) v);
        put((byte) (v >>> 8));
    }

    private void u64(long v) {
        if (pos > SCRATCH - 8) flush();
        LONG.set(scratch, pos, v);
        pos += 8;
    }

    private void bytes(byte[] b) {
        bytes(b, 0, b.length);
    }

    private void bytes(byte[] b, int off, int len) {
        if (len > SCRATCH - pos) {
            flush();
            lanes.update(lane, b, off, len);
        } else {
            System.arraycopy(b, off, scratch, pos, len);
            pos += len;
        }
    }

    private void bytes(ArrowBuf buf, long index, long len) {
        while (len > 0) {
            if (pos == SCRATCH) flush();
            int n = (int) Math.min(len, SCRATCH - pos);
            buf.getBytes(index, scratch, pos, n);
            pos += n;
            index += n;
            len -= n;
        }
    }

    private void flush() {
        if (pos > 0) {
            lanes.update(lane, scratch, 0, pos);
            pos = 0;
        }
    }

    static byte[] le64(long v) {
        byte[] b = new byte[8];
        for (int k = 0; k < 8; k++) b[k] = (byte) (v >>> (8 * k));
        return b;
    }

    /**
     * Effective row validity of a leaf. arrow-digest combines a leaf's own null bitmap with those of enclosing
     * structs: a bitmap without nulls is ignored; if both have nulls a row is valid when EITHER says valid (OR),
     * matching arrow-digest since v35.
     */
    private interface Validity {
        boolean isValid(int i);

        static Validity own(FieldVector v) {
            return v.getNullCount() > 0 ? new Bitmap(v) : null;
        }

        static Validity combine(Validity parent, FieldVector v, int rowCount) {
            Validity own = own(v);
            if (parent == null) return own;
            if (own == null) return parent;
            boolean[] valid = new boolean[rowCount];
            for (int i = 0; i < rowCount; i++) valid[i] = parent.isValid(i) || own.isValid(i);
            return i -> valid[i];
        }
    }

    /** A vector's own validity bitmap (native packing reads it directly). */
    private record Bitmap(FieldVector v) implements Validity {
        @Override
        public boolean isValid(int i) {
            return !v.isNull(i);
        }
    }
}
