package dev.sluice.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.odf.Multihash;
import dev.sluice.odf.NativeValuePacker;
import dev.sluice.odf.Sha3Lanes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.util.TransferPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Values packed natively ({@link NativeValuePacker}) give exactly the bytes, so the hash, of the Java code. */
class NativeValuePackingTest {
    private static final int ROWS = 9_000; // > 2 x LogicalHasher's 4096-row steps: rows(start > 0, ...) within a batch

    private final BufferAllocator alloc = new RootAllocator();

    @BeforeEach
    void requireNative() {
        // On Linux x86-64 CI the library must be there (the build compiles it); elsewhere the Java code stands in.
        if ("true".equals(System.getenv("SLUICE_REQUIRE_NATIVE_SHA3"))) {
            assertTrue(NativeValuePacker.available(), "native value packing not loaded (was gcc present at build?)");
        }
        assumeTrue(NativeValuePacker.available(), "native value packing not available here");
    }

    @AfterEach
    void close() {
        alloc.close();
    }

    @Test
    void nativeAndJavaPackingGiveTheSameHashWhateverTheBatchSplit() {
        for (int seed = 0; seed < 3; seed++) {
            try (VectorSchemaRoot all = table(new Random(seed), ROWS, false)) {
                Multihash expected = hash(all.getSchema(), List.of(all), false);
                assertEquals(expected, hash(all.getSchema(), List.of(all), true), "whole table, seed " + seed);
                // Batches are slices of the table: sliced data buffers, offsets rebased or not, validity shifted.
                for (int batch : new int[] {1, 7, 64, 4099, ROWS - 1}) {
                    List<VectorSchemaRoot> parts = slices(all, batch);
                    try {
                        assertEquals(expected, hash(all.getSchema(), parts, true), "native, batch " + batch + ", seed " + seed);
                        assertEquals(expected, hash(all.getSchema(), parts, false), "Java, batch " + batch + ", seed " + seed);
                    } finally {
                        parts.forEach(VectorSchemaRoot::close);
                    }
                }
            }
        }
    }

    /**
     * Utf8 columns in a struct with nulls: one with nulls of its own (the validities are combined, so the Java code
     * packs it), one without (packed natively with the struct's bitmap). Not compared across batch splits: arrow-digest
     * ignores a bitmap without nulls, so such a hash depends on the split.
     */
    @Test
    void structValiditiesGiveTheSameHash() {
        try (VectorSchemaRoot all = table(new Random(11), ROWS, true)) {
            for (int batch : new int[] {5, 4099, ROWS}) {
                List<VectorSchemaRoot> parts = slices(all, batch);
                try {
                    assertEquals(hash(all.getSchema(), parts, false), hash(all.getSchema(), parts, true), "batch " + batch);
                } finally {
                    parts.forEach(VectorSchemaRoot::close);
                }
            }
        }
    }

    /** The golden vectors with nulls and empty strings hold with either packing (LogicalHashTest uses the default). */
    @Test
    void goldenVectorsHoldWithEitherPacking() {
        for (boolean nativePacking : new boolean[] {true, false}) {
            try (VectorSchemaRoot gv1 = TestTables.gv1(alloc); VectorSchemaRoot d1 = TestTables.d1(alloc, 2)) {
                assertEquals("f9680c001200b3483eecc3d5c6b50ee6b8cba11b51c08f89ea1f53d3a334c743199f5fe656e",
                        hash(gv1.getSchema(), List.of(gv1), nativePacking).toMultibase());
                assertEquals("f9680c00120440446fcdeef120c68757288af2391e174a83831812756c56b7298be251608d5",
                        hash(d1.getSchema(), List.of(d1), nativePacking).toMultibase());
            }
            VarCharVector s = new VarCharVector("s", alloc);
            s.allocateNew(3);
            s.setNull(0);
            s.setSafe(1, "x".getBytes(StandardCharsets.UTF_8));
            s.setSafe(2, new byte[0]);
            s.setValueCount(3);
            // C = SHA3(type 0400, null 00, u64(1) 'x', u64(0)).
            byte[] bytes = java.util.HexFormat.of().parseHex("0400" + "00" + "0100000000000000" + "78" + "0000000000000000");
            ColumnDigest c = new ColumnDigest(s.getField(), new Sha3Lanes(1, Sha3Lanes.Permutation.AUTO), 0, nativePacking);
            c.update(List.of(s), 3);
            assertEquals(java.util.HexFormat.of().formatHex(Multihash.newSha3().digest(bytes)), java.util.HexFormat.of().formatHex(c.finish()));
            s.close();
        }
    }

    @Test
    void corruptOffsetsAreRefusedNotRead() {
        VarCharVector s = new VarCharVector("s", alloc);
        s.allocateNew(2);
        s.setSafe(0, "ab".getBytes(StandardCharsets.UTF_8));
        s.setSafe(1, "cd".getBytes(StandardCharsets.UTF_8));
        s.setValueCount(2);
        s.getOffsetBuffer().setInt(8, (int) s.getDataBuffer().capacity() + 1); // value 1 ends past the data buffer
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> digest(s));
        assertTrue(e.getMessage().contains("outside the data buffer"), e.getMessage());
        s.getOffsetBuffer().setInt(4, 3);
        s.getOffsetBuffer().setInt(8, 1); // value 1 ends before it starts
        assertThrows(IllegalArgumentException.class, () -> digest(s));
        s.close();
    }

    @Test
    void packerChecksItsArguments() {
        assertThrows(IndexOutOfBoundsException.class, () -> NativeValuePacker.packFixedWidth(8, 15, 0, 0, 8, 0, 2, new byte[64], 0),
                "value buffer smaller than 2 x 8 bytes");
        assertThrows(IndexOutOfBoundsException.class, () -> NativeValuePacker.packFixedWidth(8, 16, 0, 0, 8, 0, 2, new byte[64], 49),
                "no room for 2 x 8 bytes");
        assertThrows(IndexOutOfBoundsException.class, () -> NativeValuePacker.packBits(8, 1, 8, 1, 0, 9, new byte[64], 0),
                "bitmaps smaller than 9 bits");
        assertThrows(IllegalArgumentException.class, () -> NativeValuePacker.packFixedWidth(8, 16, 0, 0, 0, 0, 2, new byte[64], 0));
        byte[] dst = new byte[64];
        assertThrows(IndexOutOfBoundsException.class, () -> NativeValuePacker.packVarWidth(8, 8, 8, 0, 0, 0, 0, 2, dst, 0),
                "offsets buffer smaller than 3 offsets");
        assertThrows(IndexOutOfBoundsException.class, () -> NativeValuePacker.packVarWidth(8, 12, 8, 0, 8, 0, 0, 2, dst, 0),
                "validity bitmap smaller than 2 bits");
        assertThrows(IndexOutOfBoundsException.class, () -> NativeValuePacker.packVarWidth(8, 12, 8, 0, 0, 0, -1, 2, dst, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> NativeValuePacker.packVarWidth(8, 12, 8, 0, 0, 0, 0, 2, dst, 65));
        VarCharVector s = new VarCharVector("s", alloc);
        s.allocateNew(1);
        s.setSafe(0, new byte[20]);
        s.setValueCount(1);
        assertThrows(IndexOutOfBoundsException.class, () -> NativeValuePacker.packVarWidth(s.getOffsetBuffer().memoryAddress(),
                s.getOffsetBuffer().capacity(), s.getDataBuffer().memoryAddress(), s.getDataBuffer().capacity(), 0, 0, 0, 1,
                new byte[27], 0), "8 + 20 bytes into 27");
        byte[] out = new byte[40];
        assertEquals(28, NativeValuePacker.packVarWidth(s.getOffsetBuffer().memoryAddress(), s.getOffsetBuffer().capacity(),
                s.getDataBuffer().memoryAddress(), s.getDataBuffer().capacity(), 0, 0, 0, 1, out, 12));
        assertEquals(20, out[12]);
        s.close();
    }

    private byte[] digest(VarCharVector v) {
        ColumnDigest c = new ColumnDigest(v.getField(), new Sha3Lanes(1, Sha3Lanes.Permutation.AUTO), 0, true);
        c.update(List.of(v), v.getValueCount());
        return c.finish();
    }

    private static Multihash hash(org.apache.arrow.vector.types.pojo.Schema schema, List<VectorSchemaRoot> batches, boolean nativePacking) {
        LogicalHasher h = new LogicalHasher(schema, Runnable::run, Sha3Lanes.Permutation.AUTO, nativePacking);
        for (VectorSchemaRoot b : batches) h.update(b);
        return h.finish();
    }

    /** The table cut into batches of {@code size} rows, each a split-and-transfer slice of its vectors. */
    private List<VectorSchemaRoot> slices(VectorSchemaRoot all, int size) {
        List<VectorSchemaRoot> parts = new ArrayList<>();
        for (int start = 0; start < all.getRowCount(); start += size) {
            int n = Math.min(size, all.getRowCount() - start);
            List<FieldVector> vs = new ArrayList<>();
            for (FieldVector v : all.getFieldVectors()) {
                TransferPair tp = v.getTransferPair(alloc);
                tp.splitAndTransfer(start, n);
                vs.add((FieldVector) tp.getTo());
            }
            VectorSchemaRoot part = new VectorSchemaRoot(vs);
            part.setRowCount(n);
            parts.add(part);
        }
        return parts;
    }

    /**
     * Columns: utf8 with nulls (and empty strings), binary without nulls, utf8 of empty strings only, utf8 with some
     * values longer than every chunk of the lanes (up to 100 KB), a list of utf8 (items hashed from non-zero starts),
     * fixed-width columns of every packed width (1, 2, 4, 8, 16 bytes) with nulls, one with rare nulls (runs of valid
     * rows), booleans with and without nulls, and, if {@code withStruct}, a struct with nulls around a utf8 with nulls
     * and one without.
     */
    private VectorSchemaRoot table(Random r, int rows, boolean withStruct) {
        VarCharVector text = new VarCharVector("text", alloc);
        VarBinaryVector bin = new VarBinaryVector("bin", alloc);
        VarCharVector empty = new VarCharVector("empty", alloc);
        VarCharVector big = new VarCharVector("big", alloc);
        StructVector st = StructVector.empty("st", alloc);
        VarCharVector inner = st.addOrGet("inner", FieldType.nullable(ArrowType.Utf8.INSTANCE), VarCharVector.class);
        VarCharVector whole = st.addOrGet("whole", FieldType.nullable(ArrowType.Utf8.INSTANCE), VarCharVector.class);
        IntVector num = new IntVector("num", alloc);
        ListVector list = ListVector.empty("list", alloc);
        list.addOrGetVector(FieldType.nullable(ArrowType.Utf8.INSTANCE));
        TinyIntVector i8 = new TinyIntVector("i8", alloc);
        SmallIntVector i16 = new SmallIntVector("i16", alloc);
        BigIntVector i64 = new BigIntVector("i64", alloc);
        Float8Vector rare = new Float8Vector("rare", alloc);
        DecimalVector dec = new DecimalVector("dec", alloc, 30, 4);
        BitVector flag = new BitVector("flag", alloc);
        BitVector always = new BitVector("always", alloc);
        List<FieldVector> vs = new ArrayList<>(List.of(text, bin, empty, big, num, list, i8, i16, i64, rare, dec, flag, always));
        if (withStruct) vs.add(st);
        if (!withStruct) st.close();
        vs.forEach(FieldVector::allocateNew);
        UnionListWriter lw = list.getWriter();
        for (int i = 0; i < rows; i++) {
            if (r.nextInt(6) == 0) text.setNull(i);
            else text.setSafe(i, randomBytes(r, r.nextInt(3) == 0 ? 0 : r.nextInt(40)));
            bin.setSafe(i, randomBytes(r, r.nextInt(30)));
            empty.setSafe(i, new byte[0]);
            if (r.nextInt(4) == 0) big.setNull(i);
            else big.setSafe(i, randomBytes(r, r.nextInt(800) == 0 ? 60_000 + r.nextInt(40_000) : r.nextInt(200)));
            if (withStruct) {
                if (r.nextInt(5) == 0) st.setNull(i);
                else st.setIndexDefined(i);
                if (r.nextInt(3) == 0) inner.setNull(i);
                else inner.setSafe(i, randomBytes(r, r.nextInt(10)));
                whole.setSafe(i, randomBytes(r, r.nextInt(10)));
            }
            if (r.nextInt(6) == 0) num.setNull(i);
            else num.setSafe(i, r.nextInt());
            if (r.nextInt(6) == 0) i8.setNull(i);
            else i8.setSafe(i, (byte) r.nextInt());
            if (r.nextInt(6) == 0) i16.setNull(i);
            else i16.setSafe(i, (short) r.nextInt());
            if (r.nextInt(6) == 0) i64.setNull(i);
            else i64.setSafe(i, r.nextLong());
            if (r.nextInt(500) == 0) rare.setNull(i);
            else rare.setSafe(i, r.nextGaussian());
            if (r.nextInt(6) == 0) dec.setNull(i);
            else dec.setSafe(i, java.math.BigDecimal.valueOf(r.nextLong(), 4));
            if (r.nextInt(6) == 0) flag.setNull(i);
            else flag.setSafe(i, r.nextInt(2));
            always.setSafe(i, r.nextInt(2));
            lw.setPosition(i);
            lw.startList();
            for (int k = r.nextInt(4); k > 0; k--) lw.writeVarChar(new String(randomBytes(r, r.nextInt(15)), StandardCharsets.ISO_8859_1));
            lw.endList();
        }
        if (withStruct) {
            inner.setValueCount(rows);
            whole.setValueCount(rows);
        }
        VectorSchemaRoot root = new VectorSchemaRoot(vs);
        root.setRowCount(rows);
        return root;
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        for (int k = 0; k < n; k++) b[k] = (byte) ('a' + r.nextInt(26));
        return b;
    }
}
