package dev.sluice.odf.codec;

import dev.sluice.odf.OdfFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A bounds-checked view of one FlatBuffers table. Every offset read from the buffer is validated before use,
 * so malformed input fails with {@link OdfFormatException} instead of reading out of bounds, recursing
 * forever or allocating unbounded memory:
 * <ul>
 *   <li>table nesting is limited to {@link #MAX_DEPTH} (the Rust verifier's default depth limit);</li>
 *   <li>the number of tables visited and of string/vector bytes copied out are limited by the buffer size
 *       (a well-formed kamu block never shares tables or strings, so it never reaches those limits, while
 *       crafted offsets that alias the same data many times do).</li>
 * </ul>
 * Scalars are read with absolute little-endian gets, which need no alignment (manifest v2 blocks have
 * unaligned Timestamp structs).
 */
final class FbTable {
    static final int MAX_DEPTH = 64;

    /** Shared state of one buffer: the bytes and the remaining work budgets. */
    static final class Buf {
        final ByteBuffer bb;
        final int limit;
        int tablesLeft;
        long bytesLeft;

        Buf(byte[] bytes) {
            this.bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            this.limit = bytes.length;
            // A kamu-written block holds each table, string and vector once, so it stays far below these
            // (4x margin for writers that share data); crafted aliasing runs out of budget in linear time.
            this.tablesLeft = bytes.length + 16;
            this.bytesLeft = 4L * bytes.length + 64;
        }

        void check(long pos, long size, String what) {
            if (pos < 0 || size < 0 || pos + size > limit) {
                throw new OdfFormatException("malformed flatbuffer: " + what + " out of bounds (offset " + pos + ", size " + size + ", buffer " + limit + ")");
            }
        }

        int i32(long pos, String what) {
            check(pos, 4, what);
            return bb.getInt((int) pos);
        }

        /** Follows a uoffset stored at {@code pos}. */
        int indirect(long pos, String what) {
            long target = pos + Integer.toUnsignedLong(i32(pos, what));
            check(target, 4, what);
            return (int) target;
        }

        /** The root table of a finished buffer. */
        FbTable root(String what) {
            return table(indirect(0, what + " root"), 1, what);
        }

        FbTable table(int pos, int depth, String what) {
            if (depth > MAX_DEPTH) throw new OdfFormatException("malformed flatbuffer: tables nested deeper than " + MAX_DEPTH + " at " + what);
            if (--tablesLeft < 0) throw new OdfFormatException("malformed flatbuffer: too many tables (aliased offsets?) at " + what);
            long vt = (long) pos - i32(pos, what);
            check(vt, 4, what + " vtable");
            int vtSize = bb.getShort((int) vt) & 0xffff;
            int objSize = bb.getShort((int) vt + 2) & 0xffff;
            if (vtSize < 4 || (vtSize & 1) != 0) throw new OdfFormatException("malformed flatbuffer: bad vtable size " + vtSize + " at " + what);
            check(vt, vtSize, what + " vtable");
            if (objSize < 4) throw new OdfFormatException("malformed flatbuffer: bad table size " + objSize + " at " + what);
            check(pos, objSize, what);
            return new FbTable(this, pos, (int) vt, vtSize, objSize, depth, what);
        }

        void spend(long bytes, String what) {
            bytesLeft -= bytes;
            if (bytesLeft < 0) throw new OdfFormatException("malformed flatbuffer: aliased data exceeds buffer size at " + what);
        }
    }

    private final Buf buf;
    private final int pos;
    private final int vt;
    private final int vtSize;
    private final int objSize;
    private final int depth;
    final String what;

    private FbTable(Buf buf, int pos, int vt, int vtSize, int objSize, int depth, String what) {
        this.buf = buf;
        this.pos = pos;
        this.vt = vt;
        this.vtSize = vtSize;
        this.objSize = objSize;
        this.depth = depth;
        this.what = what;
    }

    /** Absolute position of field {@code slot} of {@code size} bytes, or -1 when absent. */
    private int field(int slot, int size) {
        int vo = 4 + 2 * slot;
        if (vo + 2 > vtSize) return -1;
        int o = buf.bb.getShort(vt + vo) & 0xffff;
        if (o == 0) return -1;
        if (o + size > objSize) throw new OdfFormatException("malformed flatbuffer: field " + slot + " outside its table in " + what);
        return pos + o;
    }

    boolean has(int slot) {
        return field(slot, 0) >= 0;
    }

    long i64(int slot, long dflt) {
        int p = field(slot, 8);
        return p < 0 ? dflt : buf.bb.getLong(p);
    }

    /** An optional ({@code = null}) uint64: null when absent. */
    Long optI64(int slot) {
        int p = field(slot, 8);
        return p < 0 ? null : buf.bb.getLong(p);
    }

    int i32(int slot, int dflt) {
        int p = field(slot, 4);
        return p < 0 ? dflt : buf.bb.getInt(p);
    }

    Integer optI32(int slot) {
        int p = field(slot, 4);
        return p < 0 ? null : buf.bb.getInt(p);
    }

    Integer optI16(int slot) {
        int p = field(slot, 2);
        return p < 0 ? null : (int) buf.bb.getShort(p);
    }

    int i16(int slot, int dflt) {
        int p = field(slot, 2);
        return p < 0 ? dflt : buf.bb.getShort(p);
    }

    int u8(int slot) {
        int p = field(slot, 1);
        return p < 0 ? 0 : buf.bb.get(p) & 0xff;
    }

    Boolean optBool(int slot) {
        int p = field(slot, 1);
        return p < 0 ? null : buf.bb.get(p) != 0;
    }

    /** Timestamp struct {year i32, ordinal u16, pad, seconds_from_midnight u32, nanoseconds u32}; null when absent. */
    Instant timestamp(int slot, String name) {
        int p = field(slot, 16);
        if (p < 0) return null;
        int year = buf.bb.getInt(p);
        int ordinal = buf.bb.getShort(p + 4) & 0xffff;
        long secs = Integer.toUnsignedLong(buf.bb.getInt(p + 8));
        long nanos = Integer.toUnsignedLong(buf.bb.getInt(p + 12));
        if (secs >= 86_400 || nanos >= 1_000_000_000L) {
            throw new OdfFormatException("invalid timestamp " + name + " in " + what + ": seconds " + secs + ", nanoseconds " + nanos);
        }
        try {
            LocalDate date = LocalDate.ofYearDay(year, ordinal);
            return date.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(secs).plusNanos(nanos);
        } catch (DateTimeException | ArithmeticException e) {
            throw new OdfFormatException("invalid timestamp " + name + " in " + what + ": year " + year + ", day " + ordinal);
        }
    }

    /** Target position of an offset field, or -1 when absent. */
    private int ref(int slot, String name) {
        int p = field(slot, 4);
        return p < 0 ? -1 : buf.indirect(p, what + "." + name);
    }

    FbTable table(int slot, String name) {
        int p = ref(slot, name);
        return p < 0 ? null : buf.table(p, depth + 1, what + "." + name);
    }

    String string(int slot, String name) {
        int p = ref(slot, name);
        return p < 0 ? null : stringAt(p, what + "." + name);
    }

    private String stringAt(int p, String name) {
        long len = Integer.toUnsignedLong(buf.i32(p, name));
        buf.check(p + 4L, len + 1, name); // text plus its 0 terminator
        buf.spend(4 + len, name);
        ByteBuffer slice = buf.bb.duplicate();
        slice.position(p + 4).limit((int) (p + 4 + len));
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(slice);
            return cb.toString();
        } catch (CharacterCodingException e) {
            throw new OdfFormatException("malformed flatbuffer: invalid UTF-8 in " + name);
        }
    }

    /** A [ubyte] vector, or null when absent. */
    byte[] bytes(int slot, String name) {
        int p = ref(slot, name);
        if (p < 0) return null;
        String w = what + "." + name;
        long len = Integer.toUnsignedLong(buf.i32(p, w));
        buf.check(p + 4L, len, w);
        buf.spend(4 + len, w);
        byte[] out = new byte[(int) len];
        buf.bb.get(p + 4, out);
        return out;
    }

    /**
     * Number of elements of an offset vector, or -1 when absent; elements are then read with
     * {@link #element}/{@link #stringElement}. Call once per vector (it charges the work budget).
     */
    int vectorLength(int slot, String name) {
        int p = ref(slot, name);
        if (p < 0) return -1;
        String w = what + "." + name;
        long len = Integer.toUnsignedLong(buf.i32(p, w));
        buf.check(p + 4L, len * 4, w);
        buf.spend(4 + len * 4, w);
        return (int) len;
    }

    private int elementPos(int slot, int i) {
        int p = ref(slot, "vector");
        return p + 4 + 4 * i;
    }

    FbTable element(int slot, int i, String name) {
        String w = what + "." + name + "[" + i + "]";
        return buf.table(buf.indirect(elementPos(slot, i), w), depth + 1, w);
    }

    String stringElement(int slot, int i, String name) {
        String w = what + "." + name + "[" + i + "]";
        return stringAt(buf.indirect(elementPos(slot, i), w), w);
    }
}
