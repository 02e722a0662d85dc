package dev.sluice.data;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveType;
import org.xerial.snappy.Snappy;

/**
 * Encodes one column of a slice into V1 data pages, buffered until its row group is written.
 * Values are dictionary-encoded while that pays: a chunk whose first page is mostly distinct values (ids, offsets,
 * timestamps) is written without one, and a dictionary that outgrows {@link #MAX_DICT_BYTES} stops growing (later
 * pages without), as parquet-mr does. Without a dictionary, INT32/INT64 values are DELTA_BINARY_PACKED (a page
 * where that comes out larger than PLAIN is PLAIN), everything else PLAIN.
 *
 * <p>Column chunks are SNAPPY-compressed, except a chunk whose first page with values is delta-encoded and barely
 * gets smaller with Snappy ({@link #SNAPPY_MIN_SAVING}): that chunk is stored UNCOMPRESSED (the codec is per
 * chunk; bit-packed deltas of jittered values do not compress). All of these choices depend on the
 * values only, so the same rows always give the same bytes.
 * Supports what {@link ParquetTypes#toParquet} maps: flat primitives and lists of them.
 */
abstract class ColumnEncoder {
    static final int MAX_DICT_BYTES = 1 << 20;
    /**
     * A delta-encoded chunk stays SNAPPY only if Snappy saves at least 1/8 of its first page: a smaller saving is
     * worth less than compressing it here and decompressing it in every reader (the block headers alone let Snappy
     * save a few bytes on bit-packed noise).
     */
    static final int SNAPPY_MIN_SAVING = 8;

    private final ColumnDescriptor desc;
    final PrimitiveType type;
    private final int maxDef;
    private final int maxRep;
    private final Levels def = new Levels();
    private final Levels rep = new Levels();
    private final ByteBuf page = new ByteBuf(1 << 16);
    private final List<Page> pages = new ArrayList<>();
    private Statistics<?> stats;
    private int pageNonNull;
    private long chunkValues;
    private long buffered;
    // dictionary state, per column chunk
    boolean dictMode = true;
    private boolean usedDict;
    private boolean firstPage = true;
    private CompressionCodecName codec; // null until the chunk's first page with values

    private ColumnEncoder(ColumnDescriptor desc) {
        this.desc = desc;
        this.type = desc.getPrimitiveType();
        this.maxDef = desc.getMaxDefinitionLevel();
        this.maxRep = desc.getMaxRepetitionLevel();
        this.stats = Statistics.createStats(type);
    }

    /** Whether values of this column may be dictionary-encoded (booleans are not). */
    boolean dictionaryCapable() {
        return true;
    }

    /** Whether values of this column may be DELTA_BINARY_PACKED (INT32 and INT64, not FLOAT/DOUBLE). */
    boolean deltaCapable() {
        return false;
    }

    /**
     * Appends the page's values DELTA_BINARY_PACKED to {@code out} (dictionary mode: resolved through the
     * dictionary). Only for {@link #deltaCapable} columns and pages with values.
     */
    void deltaValues(ByteBuf out) {
        throw new IllegalStateException();
    }

    static ColumnEncoder create(Field field, ColumnDescriptor desc) {
        ArrowType t = field.getType();
        if (t instanceof ArrowType.List) return new ListColumn(field, desc, create(field.getChildren().get(0), desc));
        return switch (desc.getPrimitiveType().getPrimitiveTypeName()) {
            case BOOLEAN -> new BoolColumn(desc);
            case INT32, FLOAT -> new IntColumn(desc);
            case INT64, DOUBLE -> new LongColumn(desc);
            case BINARY, FIXED_LEN_BYTE_ARRAY -> new BinaryColumn(desc);
            default -> throw new UnsupportedOperationException("slice writer does not support column '" + field.getName() + "'");
        };
    }

    // ---- value side, per physical type -------------------------------------------------------------------------

    /** Sets the vector rows are appended from (null: unbind). */
    abstract void bind(FieldVector v);

    /** Appends the (non-null) value at {@code i} of the bound vector and updates the page statistics. */
    abstract void add(int i);

    /** Appends rows [from, to) of a vector without nulls. */
    void addAll(int from, int to) {
        for (int i = from; i < to; i++) add(i);
    }

    /** Number of distinct values in the dictionary. */
    abstract int dictSize();

    /** Appends the page's values PLAIN to {@code out} (dictionary mode: resolved through the dictionary). */
    abstract void plainValues(ByteBuf out);

    /** Appends the page's dictionary ids, bit-packed/RLE with a leading bit-width byte. */
    abstract void dictIds(ByteBuf out) throws IOException;

    /** The dictionary, PLAIN-encoded. */
    abstract void dictValues(ByteBuf out);

    abstract long dictBytes();

    /** Forgets the page's values (ids or plain bytes). */
    abstract void clearPageValues();

    /** Forgets the dictionary (new column chunk). */
    abstract void clearDict();

    // ---- rows and levels ---------------------------------------------------------------------------------------

    /** Rows [from, to) of the bound vector. */
    void append(int from, int to) {
        appendFlat(from, to, nullable ? boundVector : null);
    }

    private FieldVector boundVector;
    private boolean nullable;

    /** Called by subclasses' {@link #bind}. */
    final void bound(FieldVector v) {
        boundVector = v;
        nullable = v != null && maxDef > 0 && v.getNullCount() > 0;
    }

    private void appendFlat(int from, int to, FieldVector nulls) {
        if (maxDef == 0) {
            addAll(from, to);
            def.skip(to - from);
        } else if (nulls == null) {
            addAll(from, to);
            def.addRun(1, to - from);
        } else {
            for (int i = from; i < to; i++) {
                if (nulls.isNull(i)) {
                    def.add(0);
                } else {
                    def.add(1);
                    add(i);
                    pageNonNull++;
                }
            }
            return;
        }
        pageNonNull += to - from;
    }

    /** Lets a column put what it tracks itself into the page statistics before the page closes. */
    void flushStats() {}

    /** Closes the open page ({@code rows} rows). */
    void endPage(int rows) throws IOException {
        flushStats();
        int levels = def.count;
        long nulls = levels - pageNonNull;
        stats.incrementNumNulls(nulls);
        page.reset();
        if (maxRep > 0) rep.writeTo(page, maxRep);
        if (maxDef > 0) def.writeTo(page, maxDef);
        Encoding valuesEncoding;
        if (pageNonNull == 0) {
            valuesEncoding = Encoding.PLAIN; // nothing to encode; needs no dictionary
        } else if (!dictMode) {
            valuesEncoding = directValues();
        } else if (firstPage && dictSize() > pageNonNull / 2) {
            // Mostly distinct values: a dictionary would only add work and bytes. None for this whole chunk.
            valuesEncoding = directValues();
            dictMode = false;
            clearDict();
        } else {
            dictIds(page);
            valuesEncoding = Encoding.PLAIN_DICTIONARY;
            usedDict = true;
            if (dictBytes() > MAX_DICT_BYTES) dictMode = false; // keep the dictionary for the pages so far, add no more
        }
        byte[] stored;
        byte[] raw = null;
        if (codec == CompressionCodecName.SNAPPY) {
            stored = compress(page);
        } else if (codec == CompressionCodecName.UNCOMPRESSED) {
            stored = Arrays.copyOf(page.buf, page.size);
        } else {
            stored = compress(page);
            raw = Arrays.copyOf(page.buf, page.size); // until the codec is chosen
            if (pageNonNull > 0) {
                chooseCodec(valuesEncoding == Encoding.DELTA_BINARY_PACKED && stored.length > page.size - page.size / SNAPPY_MIN_SAVING);
            }
            if (codec == CompressionCodecName.UNCOMPRESSED) stored = raw;
        }
        if (pageNonNull > 0) firstPage = false;
        pages.add(new Page(stored, raw, page.size, levels, rows, stats,
                maxRep > 0 ? Encoding.RLE : Encoding.BIT_PACKED, maxDef > 0 ? Encoding.RLE : Encoding.BIT_PACKED, valuesEncoding));
        buffered += stored.length;
        chunkValues += levels;
        stats = Statistics.createStats(type);
        pageNonNull = 0;
        def.clear();
        rep.clear();
        clearPageValues();
    }

    /** The page's values without a dictionary: DELTA_BINARY_PACKED if that is smaller than PLAIN, else PLAIN. */
    private Encoding directValues() {
        int start = page.size;
        if (deltaCapable()) {
            deltaValues(page);
            if (page.size - start <= plainBytes()) return Encoding.DELTA_BINARY_PACKED;
            page.size = start; // e.g. random 64-bit values: the deltas take all 64 bits plus block headers
        }
        plainValues(page);
        return Encoding.PLAIN;
    }

    /** Size of the page's values PLAIN-encoded (only asked of {@link #deltaCapable} columns). */
    int plainBytes() {
        throw new IllegalStateException();
    }

    /**
     * Fixes the chunk's codec at its first page with values; the pages buffered so far (values-less, kept both
     * ways) follow it.
     */
    private void chooseCodec(boolean uncompressed) {
        codec = uncompressed ? CompressionCodecName.UNCOMPRESSED : CompressionCodecName.SNAPPY;
        for (int k = 0; k < pages.size(); k++) {
            Page p = pages.get(k);
            byte[] bytes = uncompressed ? p.raw : p.bytes;
            buffered += bytes.length - p.bytes.length;
            pages.set(k, new Page(bytes, null, p.uncompressed, p.values, p.rows, p.stats, p.rl, p.dl, p.encoding));
        }
    }

    /** Compressed bytes buffered for the current row group. */
    long bufferedBytes() {
        return buffered + (usedDict ? dictBytes() : 0);
    }

    /** Writes the buffered column chunk and starts a new one. */
    void writeChunk(ParquetFileWriter file) throws IOException {
        if (codec == null) codec = CompressionCodecName.SNAPPY; // no values in this chunk
        file.startColumn(desc, chunkValues, codec);
        if (usedDict) {
            page.reset();
            dictValues(page);
            byte[] c = codec == CompressionCodecName.SNAPPY ? compress(page) : Arrays.copyOf(page.buf, page.size);
            file.writeDictionaryPage(new DictionaryPage(BytesInput.from(c), page.size, dictSize(), Encoding.PLAIN_DICTIONARY));
        }
        for (Page p : pages) {
            file.writeDataPage(p.values, p.uncompressed, BytesInput.from(p.bytes), p.stats, p.rows, p.rl, p.dl, p.encoding);
        }
        file.endColumn();
        pages.clear();
        buffered = 0;
        chunkValues = 0;
        usedDict = false;
        dictMode = dictionaryCapable();
        firstPage = true;
        codec = null;
        clearDict();
    }

    private static byte[] compress(ByteBuf b) throws IOException {
        byte[] out = new byte[Snappy.maxCompressedLength(b.size)];
        int n = Snappy.compress(b.buf, 0, b.size, out, 0);
        return Arrays.copyOf(out, n);
    }

    final Statistics<?> stats() {
        return stats;
    }

    /** A buffered data page: its bytes as stored, and (until the chunk's codec is chosen) uncompressed. */
    private record Page(byte[] bytes, byte[] raw, int uncompressed, int values, long rows, Statistics<?> stats,
                        Encoding rl, Encoding dl, Encoding encoding) {}

    /** Bit width of dictionary ids for {@code size} entries. */
    static int idWidth(int size) {
        return size <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(size - 1);
    }

    static void writeIds(ByteBuf out, int[] ids, int n, int dictSize) throws IOException {
        int width = idWidth(dictSize);
        out.put((byte) width);
        if (width == 0) {
            rleRun(out, n, 0, 0);
            return;
        }
        try (RunLengthBitPackingHybridEncoder enc = new RunLengthBitPackingHybridEncoder(width, 1 << 12, 1 << 20,
                HeapByteBufferAllocator.getInstance())) {
            for (int k = 0; k < n; k++) enc.writeInt(ids[k]);
            out.put(enc.toBytes().toByteArray());
        }
    }

    /** One RLE run of {@code n} copies of {@code value} ({@code width} bits). */
    static void rleRun(ByteBuf out, int n, int value, int width) {
        long header = (long) n << 1;
        while ((header & ~0x7FL) != 0) {
            out.put((byte) ((header & 0x7F) | 0x80));
            header >>>= 7;
        }
        out.put((byte) header);
        for (int k = 0; k < (width + 7) / 8; k++) out.put((byte) (value >>> (8 * k)));
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** Repetition or definition levels of one page. */
    static final class Levels {
        byte[] v = new byte[1 << 12];
        int count;
        private int runValue = -1; // all levels so far equal this, or -2 when mixed

        void add(int level) {
            if (count == v.length) v = Arrays.copyOf(v, count * 2);
            v[count++] = (byte) level;
            if (runValue != level) runValue = count == 1 ? level : -2;
        }

        void addRun(int level, int n) {
            if (count + n > v.length) v = Arrays.copyOf(v, Math.max(v.length * 2, count + n));
            Arrays.fill(v, count, count + n, (byte) level);
            if (runValue != level) runValue = count == 0 ? level : -2;
            count += n;
        }

        /** Levels of a required top-level column: none are stored, only counted. */
        void skip(int n) {
            count += n;
        }

        void clear() {
            count = 0;
            runValue = -1;
        }

        /** V1 page layout: 4-byte little-endian length, then the RLE/bit-packed hybrid levels. */
        void writeTo(ByteBuf out, int maxLevel) throws IOException {
            int width = 32 - Integer.numberOfLeadingZeros(maxLevel);
            int lenAt = out.size;
            out.putInt(0);
            if (runValue >= 0) {
                rleRun(out, count, runValue, width);
            } else if (count > 0) {
                try (RunLengthBitPackingHybridEncoder enc = new RunLengthBitPackingHybridEncoder(width, 1 << 12, 1 << 20,
                        HeapByteBufferAllocator.getInstance())) {
                    for (int k = 0; k < count; k++) enc.writeInt(v[k]);
                    out.put(enc.toBytes().toByteArray());
                }
            }
            out.setInt(lenAt, out.size - lenAt - 4);
        }
    }

    /** A growable little-endian byte buffer. */
    static final class ByteBuf {
        private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
        private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        byte[] buf;
        int size;

        ByteBuf(int capacity) {
            buf = new byte[capacity];
        }

        void reset() {
            size = 0;
        }

        void ensure(int more) {
            if (size + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }

        void put(byte b) {
            ensure(1);
            buf[size++] = b;
        }

        void put(byte[] b) {
            put(b, 0, b.length);
        }

        void put(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, size, len);
            size += len;
        }

        void putInt(int x) {
            ensure(4);
            INT.set(buf, size, x);
            size += 4;
        }

        void setInt(int at, int x) {
            INT.set(buf, at, x);
        }

        void putLong(long x) {
            ensure(8);
            LONG.set(buf, size, x);
            size += 8;
        }
    }

    /** Open-addressing long → dictionary id map (ids dense from 0, insertion order). */
    static final class LongDict {
        long[] keys = new long[1 << 10];
        int[] slots = new int[1 << 11]; // id + 1, 0 = empty
        int size;

        int idOf(long key) {
            int mask = slots.length - 1;
            int h = (int) (key * 0x9E3779B97F4A7C15L >>> 40) & mask;
            while (true) {
                int s = slots[h];
                if (s == 0) break;
                if (keys[s - 1] == key) return s - 1;
                h = (h + 1) & mask;
            }
            if (size == keys.length) keys = Arrays.copyOf(keys, size * 2);
            keys[size] = key;
            slots[h] = ++size;
            if (size * 2 > slots.length) rehash();
            return size - 1;
        }

        private void rehash() {
            slots = new int[slots.length * 2];
            int mask = slots.length - 1;
            for (int id = 0; id < size; id++) {
                int h = (int) (keys[id] * 0x9E3779B97F4A7C15L >>> 40) & mask;
                while (slots[h] != 0) h = (h + 1) & mask;
                slots[h] = id + 1;
            }
        }

        void clear() {
            if (size > 0) {
                keys = new long[1 << 10];
                slots = new int[1 << 11];
                size = 0;
            }
        }
    }

    /** Growable int list. */
    static final class Ints {
        int[] v = new int[1 << 12];
        int n;

        void add(int x) {
            if (n == v.length) v = Arrays.copyOf(v, n * 2);
            v[n++] = x;
        }
    }

    // ---- physical types ----------------------------------------------------------------------------------------

    /** INT32 (ints of up to 32 bits, dates) and FLOAT (raw bits). */
    static final class IntColumn extends ColumnEncoder {
        private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
        private final DeltaBinaryPacked delta = new DeltaBinaryPacked();
        private final boolean isFloat;
        private final LongDict dict = new LongDict();
        private final Ints ids = new Ints();
        private final ByteBuf plain = new ByteBuf(1 << 12);
        private ArrowBuf data;
        private int width; // Arrow value width: 1, 2 or 4
        private boolean unsigned;

        IntColumn(ColumnDescriptor d) {
            super(d);
            isFloat = type.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.FLOAT;
        }

        @Override
        void bind(FieldVector v) {
            bound(v);
            if (v == null) {
                data = null;
                return;
            }
            data = v.getDataBuffer();
            width = v instanceof TinyIntVector || v instanceof UInt1Vector ? 1
                    : v instanceof SmallIntVector || v instanceof UInt2Vector ? 2 : ((BaseFixedWidthVector) v).getTypeWidth();
            unsigned = v instanceof UInt1Vector || v instanceof UInt2Vector;
            if (width != 1 && width != 2 && width != 4) throw new IllegalStateException("INT32 from width " + width);
        }

        private int get(int i) {
            return switch (width) {
                case 4 -> data.getInt((long) i * 4);
                case 2 -> unsigned ? data.getShort((long) i * 2) & 0xFFFF : data.getShort((long) i * 2);
                default -> unsigned ? data.getByte(i) & 0xFF : data.getByte(i);
            };
        }

        @Override
        void add(int i) {
            int x = get(i);
            if (isFloat) stats().updateStats(Float.intBitsToFloat(x));
            else stats().updateStats(x);
            if (dictMode) ids.add(dict.idOf(x));
            else plain.putInt(x);
        }

        @Override
        int dictSize() {
            return dict.size;
        }

        @Override
        void plainValues(ByteBuf out) {
            if (dictMode) {
                for (int k = 0; k < ids.n; k++) out.putInt((int) dict.keys[ids.v[k]]);
            } else {
                out.put(plain.buf, 0, plain.size);
            }
        }

        @Override
        boolean deltaCapable() {
            return !isFloat;
        }

        @Override
        int plainBytes() {
            return 4 * (dictMode ? ids.n : plain.size / 4);
        }

        @Override
        void deltaValues(ByteBuf out) {
            int n = plainBytes() / 4;
            long[] v = delta.values(n);
            if (dictMode) {
                for (int k = 0; k < n; k++) v[k] = dict.keys[ids.v[k]];
            } else {
                for (int k = 0; k < n; k++) v[k] = (int) INT_LE.get(plain.buf, k * 4);
            }
            delta.encode(v, n, true, out);
        }

        @Override
        void dictIds(ByteBuf out) throws IOException {
            writeIds(out, ids.v, ids.n, dict.size);
        }

        @Override
        void dictValues(ByteBuf out) {
            for (int k = 0; k < dict.size; k++) out.putInt((int) dict.keys[k]);
        }

        @Override
        long dictBytes() {
            return 4L * dict.size;
        }

        @Override
        void clearPageValues() {
            ids.n = 0;
            plain.reset();
        }

        @Override
        void clearDict() {
            dict.clear();
        }
    }

    /** INT64 (64-bit ints, timestamps) and DOUBLE (raw bits). */
    static final class LongColumn extends ColumnEncoder {
        private final DeltaBinaryPacked delta = new DeltaBinaryPacked();
        private final boolean isDouble;
        private final LongDict dict = new LongDict();
        private final Ints ids = new Ints();
        private final ByteBuf plain = new ByteBuf(1 << 12);
        private ArrowBuf data;

        LongColumn(ColumnDescriptor d) {
            super(d);
            isDouble = type.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.DOUBLE;
        }

        @Override
        void bind(FieldVector v) {
            bound(v);
            data = v == null ? null : v.getDataBuffer();
            if (v != null && ((BaseFixedWidthVector) v).getTypeWidth() != 8) throw new IllegalStateException("INT64 from " + v.getField());
        }

        @Override
        void add(int i) {
            long x = data.getLong((long) i * 8);
            if (isDouble) stats().updateStats(Double.longBitsToDouble(x));
            else stats().updateStats(x);
            if (dictMode) ids.add(dict.idOf(x));
            else plain.putLong(x);
        }

        private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        private byte[] heap = new byte[0];

        @Override
        void addAll(int from, int to) {
            if (to <= from) return;
            // Rows without nulls: the values copied to the heap at once, statistics from a min/max scan (the
            // comparator's order, so the same min/max as value-by-value updates), then ids or the bytes as they are.
            int len = (to - from) * 8;
            if (heap.length < len) heap = new byte[Math.max(len, heap.length * 2)];
            data.getBytes((long) from * 8, heap, 0, len);
            var cmp = type.comparator();
            if (isDouble) {
                double min = Double.longBitsToDouble((long) LONG_LE.get(heap, 0));
                double max = min;
                for (int k = 8; k < len; k += 8) {
                    double x = Double.longBitsToDouble((long) LONG_LE.get(heap, k));
                    if (cmp.compare(x, min) < 0) min = x;
                    if (cmp.compare(x, max) > 0) max = x;
                }
                stats().updateStats(min);
                stats().updateStats(max);
            } else {
                long min = (long) LONG_LE.get(heap, 0);
                long max = min;
                for (int k = 8; k < len; k += 8) {
                    long x = (long) LONG_LE.get(heap, k);
                    if (cmp.compare(x, min) < 0) min = x;
                    if (cmp.compare(x, max) > 0) max = x;
                }
                stats().updateStats(min);
                stats().updateStats(max);
            }
            if (dictMode) {
                for (int k = 0; k < len; k += 8) ids.add(dict.idOf((long) LONG_LE.get(heap, k)));
            } else {
                plain.put(heap, 0, len);
            }
        }

        @Override
        int dictSize() {
            return dict.size;
        }

        @Override
        void plainValues(ByteBuf out) {
            if (dictMode) {
                for (int k = 0; k < ids.n; k++) out.putLong(dict.keys[ids.v[k]]);
            } else {
                out.put(plain.buf, 0, plain.size);
            }
        }

        @Override
        boolean deltaCapable() {
            return !isDouble;
        }

        @Override
        int plainBytes() {
            return 8 * (dictMode ? ids.n : plain.size / 8);
        }

        @Override
        void deltaValues(ByteBuf out) {
            int n = plainBytes() / 8;
            long[] v = delta.values(n);
            if (dictMode) {
                for (int k = 0; k < n; k++) v[k] = dict.keys[ids.v[k]];
            } else {
                for (int k = 0; k < n; k++) v[k] = (long) LONG_LE.get(plain.buf, k * 8);
            }
            delta.encode(v, n, false, out);
        }

        @Override
        void dictIds(ByteBuf out) throws IOException {
            writeIds(out, ids.v, ids.n, dict.size);
        }

        @Override
        void dictValues(ByteBuf out) {
            for (int k = 0; k < dict.size; k++) out.putLong(dict.keys[k]);
        }

        @Override
        long dictBytes() {
            return 8L * dict.size;
        }

        @Override
        void clearPageValues() {
            ids.n = 0;
            plain.reset();
        }

        @Override
        void clearDict() {
            dict.clear();
        }
    }

    /** BOOLEAN: PLAIN bit-packed, never a dictionary. */
    static final class BoolColumn extends ColumnEncoder {
        private final ByteBuf plain = new ByteBuf(1 << 10);
        private int bits;
        private ArrowBuf data;

        BoolColumn(ColumnDescriptor d) {
            super(d);
            dictMode = false;
        }

        @Override
        boolean dictionaryCapable() {
            return false;
        }

        @Override
        void bind(FieldVector v) {
            bound(v);
            data = v == null ? null : ((BitVector) v).getDataBuffer();
        }

        @Override
        void add(int i) {
            boolean b = BitVectorHelper.get(data, i) != 0;
            stats().updateStats(b);
            if ((bits & 7) == 0) plain.put((byte) 0);
            if (b) plain.buf[plain.size - 1] |= (byte) (1 << (bits & 7));
            bits++;
        }

        @Override
        int dictSize() {
            return 0;
        }

        @Override
        void plainValues(ByteBuf out) {
            out.put(plain.buf, 0, plain.size);
        }

        @Override
        void dictIds(ByteBuf out) {
            throw new IllegalStateException();
        }

        @Override
        void dictValues(ByteBuf out) {
            throw new IllegalStateException();
        }

        @Override
        long dictBytes() {
            return 0;
        }

        @Override
        void clearPageValues() {
            plain.reset();
            bits = 0;
        }

        @Override
        void clearDict() {}
    }

    /** BINARY (strings, binaries) and FIXED_LEN_BYTE_ARRAY (fixed-size binaries, decimals as 16-byte big-endian). */
    static final class BinaryColumn extends ColumnEncoder {
        private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
        private final boolean fixed;
        private final Ints ids = new Ints();
        private final ByteBuf plain = new ByteBuf(1 << 12);
        // dictionary: entries back to back in `arena` (PLAIN layout, so it is the dictionary page as is)
        private final ByteBuf arena = new ByteBuf(1 << 12);
        private int[] start = new int[1 << 10]; // entry k's value bytes start in arena
        private int[] len = new int[1 << 10];
        private int[] slots = new int[1 << 11];
        private int size;
        private byte[] scratch = new byte[256];
        private ArrowBuf data;
        private ArrowBuf offsets;
        private int kind; // 0 var, 1 large var, 2 fixed, 3 decimal
        private int fixedWidth;
        // The bound vector's values copied to the heap once per batch (var and fixed kinds): per-value reads then
        // cost no Arrow bounds checks.
        private byte[] heapData = new byte[0];
        private byte[] heapOffsets = new byte[0];
        // the value loaded by load(i): bytes [at, at + length) of `src`
        private byte[] src;
        private int at;

        BinaryColumn(ColumnDescriptor d) {
            super(d);
            fixed = type.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY;
        }

        @Override
        void bind(FieldVector v) {
            bound(v);
            if (v == null) {
                data = offsets = null;
                return;
            }
            data = v.getDataBuffer();
            int n = v.getValueCount();
            if (v instanceof BaseVariableWidthVector vw) {
                kind = 0;
                offsets = vw.getOffsetBuffer();
                int offBytes = (n + 1) * 4;
                if (heapOffsets.length < offBytes) heapOffsets = new byte[Math.max(offBytes, heapOffsets.length * 2)];
                offsets.getBytes(0, heapOffsets, 0, offBytes);
                int dataBytes = n == 0 ? 0 : (int) INT_LE.get(heapOffsets, n * 4);
                if (heapData.length < dataBytes) heapData = new byte[Math.max(dataBytes, heapData.length * 2)];
                data.getBytes(0, heapData, 0, dataBytes);
            } else if (v instanceof BaseLargeVariableWidthVector vw) {
                kind = 1;
                offsets = vw.getOffsetBuffer();
            } else if (v instanceof DecimalVector) {
                kind = 3;
                fixedWidth = 16;
            } else if (v instanceof FixedSizeBinaryVector f) {
                kind = 2;
                fixedWidth = f.getByteWidth();
                int dataBytes = Math.multiplyExact(n, fixedWidth);
                if (heapData.length < dataBytes) heapData = new byte[Math.max(dataBytes, heapData.length * 2)];
                data.getBytes(0, heapData, 0, dataBytes);
            } else {
                throw new IllegalStateException("binary from " + v.getField());
            }
        }

        // Page min/max of unsigned-lexicographic values, kept as bytes: cheaper than a Binary per value.
        private byte[] min = new byte[16];
        private byte[] max = new byte[16];
        private int minLen = -1;
        private int maxLen;
        private Statistics<?> tracked;

        private void track(int n) {
            tracked = stats();
            boolean first = minLen < 0;
            if (first || compareUnsigned(src, at, n, min, minLen) < 0) {
                if (min.length < n) min = new byte[Math.max(n, min.length * 2)];
                System.arraycopy(src, at, min, 0, n);
                minLen = n;
            }
            if (first || compareUnsigned(src, at, n, max, maxLen) > 0) {
                if (max.length < n) max = new byte[Math.max(n, max.length * 2)];
                System.arraycopy(src, at, max, 0, n);
                maxLen = n;
            }
        }

        private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

        /**
         * {@link Arrays#compareUnsigned} of {@code a[ao, ao+an)} and {@code b[0, bn)}, eight bytes at a time: the
         * values here are short, where the library call costs more than the comparison.
         */
        private static int compareUnsigned(byte[] a, int ao, int an, byte[] b, int bn) {
            int n = Math.min(an, bn);
            int k = 0;
            for (; k + 8 <= n; k += 8) {
                long x = (long) LONG_BE.get(a, ao + k);
                long y = (long) LONG_BE.get(b, k);
                if (x != y) return Long.compareUnsigned(x, y);
            }
            for (; k < n; k++) {
                int d = (a[ao + k] & 0xFF) - (b[k] & 0xFF);
                if (d != 0) return d;
            }
            return an - bn;
        }

        @Override
        void flushStats() {
            if (minLen < 0) return;
            tracked.updateStats(Binary.fromConstantByteArray(Arrays.copyOf(min, minLen)));
            tracked.updateStats(Binary.fromConstantByteArray(Arrays.copyOf(max, maxLen)));
            minLen = -1;
            maxLen = 0;
            tracked = null;
        }

        /** Points {@link #src}/{@link #at} at value {@code i}; returns its length. */
        private int load(int i) {
            switch (kind) {
                case 0 -> {
                    int s = (int) INT_LE.get(heapOffsets, i * 4);
                    src = heapData;
                    at = s;
                    return (int) INT_LE.get(heapOffsets, i * 4 + 4) - s;
                }
                case 2 -> {
                    src = heapData;
                    at = i * fixedWidth;
                    return fixedWidth;
                }
                default -> {
                    long s;
                    int n;
                    if (kind == 1) {
                        s = offsets.getLong((long) i * 8);
                        n = Math.toIntExact(offsets.getLong((long) i * 8 + 8) - s);
                    } else {
                        s = (long) i * fixedWidth;
                        n = fixedWidth;
                    }
                    if (n > scratch.length) scratch = new byte[Math.max(n, scratch.length * 2)];
                    data.getBytes(s, scratch, 0, n);
                    if (kind == 3) { // Arrow decimals are little-endian, Parquet's big-endian
                        for (int a = 0, b = n - 1; a < b; a++, b--) {
                            byte t = scratch[a];
                            scratch[a] = scratch[b];
                            scratch[b] = t;
                        }
                    }
                    src = scratch;
                    at = 0;
                    return n;
                }
            }
        }

        @Override
        void add(int i) {
            int n = load(i);
            if (kind == 3) {
                stats().updateStats(Binary.fromReusedByteArray(src, at, n)); // decimals compare as signed integers
            } else {
                track(n);
            }
            if (dictMode) {
                ids.add(idOf(n));
            } else {
                if (!fixed) plain.putInt(n);
                plain.put(src, at, n);
            }
        }

        private static int hash(byte[] b, int off, int n) {
            int h = n;
            for (int k = off, end = off + n; k < end; k++) h = 31 * h + b[k];
            return h * 0x9E3779B9;
        }

        private int idOf(int n) {
            int mask = slots.length - 1;
            int h = hash(src, at, n) & mask;
            while (true) {
                int s = slots[h];
                if (s == 0) break;
                int id = s - 1;
                if (len[id] == n && Arrays.equals(arena.buf, start[id], start[id] + n, src, at, at + n)) return id;
                h = (h + 1) & mask;
            }
            if (size == start.length) {
                start = Arrays.copyOf(start, size * 2);
                len = Arrays.copyOf(len, size * 2);
            }
            if (!fixed) arena.putInt(n);
            start[size] = arena.size;
            len[size] = n;
            arena.put(src, at, n);
            slots[h] = ++size;
            if (size * 2 > slots.length) rehash();
            return size - 1;
        }

        private void rehash() {
            slots = new int[slots.length * 2];
            int mask = slots.length - 1;
            for (int id = 0; id < size; id++) {
                int h = hash(arena.buf, start[id], len[id]) & mask;
                while (slots[h] != 0) h = (h + 1) & mask;
                slots[h] = id + 1;
            }
        }

        @Override
        int dictSize() {
            return size;
        }

        @Override
        void plainValues(ByteBuf out) {
            if (dictMode) {
                for (int k = 0; k < ids.n; k++) {
                    int id = ids.v[k];
                    if (!fixed) out.putInt(len[id]);
                    out.put(arena.buf, start[id], len[id]);
                }
            } else {
                out.put(plain.buf, 0, plain.size);
            }
        }

        @Override
        void dictIds(ByteBuf out) throws IOException {
            writeIds(out, ids.v, ids.n, size);
        }

        @Override
        void dictValues(ByteBuf out) {
            out.put(arena.buf, 0, arena.size);
        }

        @Override
        long dictBytes() {
            return arena.size;
        }

        @Override
        void clearPageValues() {
            ids.n = 0;
            plain.reset();
        }

        @Override
        void clearDict() {
            if (size > 0) {
                arena.reset();
                slots = new int[1 << 11];
                size = 0;
            }
        }
    }

    /** A LIST column: levels from the list structure, values from the element encoder. */
    static final class ListColumn extends ColumnEncoder {
        private final ColumnEncoder items;
        private final boolean listOptional;
        private final boolean itemOptional;
        private ListVector list;
        private FieldVector itemVector;
        private ArrowBuf offsets;

        ListColumn(Field field, ColumnDescriptor desc, ColumnEncoder items) {
            super(desc);
            this.items = items;
            this.listOptional = field.isNullable();
            this.itemOptional = field.getChildren().get(0).isNullable();
            this.dictMode = items.dictMode;
        }

        @Override
        boolean dictionaryCapable() {
            return items.dictionaryCapable();
        }

        @Override
        void bind(FieldVector v) {
            bound(v);
            list = (ListVector) v;
            itemVector = list == null ? null : list.getDataVector();
            offsets = list == null ? null : list.getOffsetBuffer();
            items.bind(itemVector);
        }

        @Override
        void append(int from, int to) {
            int maxDef = (listOptional ? 1 : 0) + 1 + (itemOptional ? 1 : 0);
            int emptyDef = listOptional ? 1 : 0;
            for (int i = from; i < to; i++) {
                if (listOptional && list.isNull(i)) {
                    levels(0, 0);
                    continue;
                }
                int s = offsets.getInt((long) i * 4);
                int e = offsets.getInt((long) i * 4 + 4);
                if (e == s) {
                    levels(0, emptyDef);
                    continue;
                }
                for (int k = s; k < e; k++) {
                    if (itemOptional && itemVector.isNull(k)) {
                        levels(k == s ? 0 : 1, maxDef - 1);
                    } else {
                        levels(k == s ? 0 : 1, maxDef);
                        items.stats = stats();
                        items.add(k);
                        nonNull();
                    }
                }
            }
        }

        @Override
        void add(int i) {
            throw new IllegalStateException();
        }

        @Override
        int dictSize() {
            return items.dictSize();
        }

        @Override
        void plainValues(ByteBuf out) {
            items.plainValues(out);
        }

        @Override
        boolean deltaCapable() {
            return items.deltaCapable();
        }

        @Override
        int plainBytes() {
            return items.plainBytes();
        }

        @Override
        void deltaValues(ByteBuf out) {
            items.deltaValues(out);
        }

        @Override
        void dictIds(ByteBuf out) throws IOException {
            items.dictIds(out);
        }

        @Override
        void dictValues(ByteBuf out) {
            items.dictValues(out);
        }

        @Override
        long dictBytes() {
            return items.dictBytes();
        }

        @Override
        void clearPageValues() {
            items.clearPageValues();
        }

        @Override
        void clearDict() {
            items.clearDict();
        }

        @Override
        void flushStats() {
            items.flushStats();
        }

        @Override
        void endPage(int rows) throws IOException {
            items.dictMode = dictMode;
            super.endPage(rows);
            items.dictMode = dictMode;
        }

        @Override
        void writeChunk(ParquetFileWriter file) throws IOException {
            super.writeChunk(file);
            items.dictMode = dictMode;
        }
    }

    final void levels(int r, int d) {
        rep.add(r);
        def.add(d);
    }

    final void nonNull() {
        pageNonNull++;
    }
}
