package dev.sluice.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.Multihash;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.types.Types.MinorType;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.types.Types;
import org.apache.arrow.vector.types.pojo.ArrowType.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogicalHashTest {
    private final BufferAllocator alloc = new RootAllocator();

    @AfterEach
    void close() {
        alloc.close();
    }

    // GV1: pinned in kamu-cli's own HTTP query test (see shared/reference/logical-hash.md §2).
    @Test
    void goldenVectorGv1FromKamu() {
        try (VectorSchemaRoot root = TestTables.gv1(alloc)) {
            assertEquals("f9680c001200b3483eecc3d5c6b50ee6b8cba11b51c08f89ea1f53d3a334c743199f5fe656e",
                    LogicalHasher.hash(root).toMultibase());
        }
    }

    @Test
    void derivedD1OdfSlice() {
        try (VectorSchemaRoot root = TestTables.d1(alloc, 2)) {
            assertEquals("f9680c00120440446fcdeef120c68757288af2391e174a83831812756c56b7298be251608d5",
                    LogicalHasher.hash(root).toMultibase());
        }
    }

    @Test
    void derivedD3ZeroRows() {
        try (VectorSchemaRoot root = TestTables.d1(alloc, 0)) {
            assertEquals("f9680c001205456c07eb906cceaed497b5de8c3df563a620804b2f0a533a62ebbc166fecf4f",
                    LogicalHasher.hash(root).toMultibase());
        }
    }

    @Test
    void derivedD2NullsAndBooleans() {
        IntVector a = new IntVector("a", alloc);
        VarCharVector s = new VarCharVector("s", alloc);
        BitVector b = new BitVector("b", alloc);
        a.allocateNew(3);
        s.allocateNew(3);
        b.allocateNew(3);
        a.set(0, 1);
        a.setNull(1);
        a.set(2, 3);
        s.setNull(0);
        s.setSafe(1, "x".getBytes(StandardCharsets.UTF_8));
        s.setSafe(2, new byte[0]);
        b.set(0, 1);
        b.set(1, 0);
        b.setNull(2);
        try (VectorSchemaRoot root = VectorSchemaRoot.of(a, s, b)) {
            root.setRowCount(3);
            assertEquals("f9680c00120d31b274fec9e754139be242ef3f8f4bae5c58863cedfddc115a29b1f3c6cd642",
                    LogicalHasher.hash(root).toMultibase());
        }
    }

    @Test
    void derivedD4Struct() {
        assertEquals("fad2f505cc7d67eb2a3c24e137831723ce886e31e34b80bddac5f8757616aa0b", d4(false));
        assertEquals("e398355e9b8c179f3f1bf0569fccc1e9a9a922c6691a61ae251295a5686178a4", d4(true));
    }

    private String d4(boolean row1Null) {
        IntVector a = new IntVector("a", alloc);
        a.allocateNew(3);
        for (int i = 0; i < 3; i++) a.set(i, i + 1);
        StructVector b = StructVector.empty("b", alloc);
        VarCharVector c = b.addOrGet("c", FieldType.notNullable(ArrowType.Utf8.INSTANCE), VarCharVector.class);
        IntVector d = b.addOrGet("d", FieldType.notNullable(new ArrowType.Int(32, true)), IntVector.class);
        b.allocateNew();
        for (int i = 0; i < 3; i++) {
            c.setSafe(i, new byte[] {(byte) ('a' + i)});
            d.setSafe(i, 3 - i);
            if (row1Null && i == 1) b.setNull(i);
            else b.setIndexDefined(i);
        }
        c.setValueCount(3);
        d.setValueCount(3);
        b.setValueCount(3);
        try (VectorSchemaRoot root = VectorSchemaRoot.of(a, b)) {
            root.setRowCount(3);
            return HexFormat.of().formatHex(LogicalHasher.hash(root).digest());
        }
    }

    @Test
    void derivedD6ReadmeExample() {
        IntVector a = new IntVector("a", alloc);
        VarCharVector b = new VarCharVector("b", alloc);
        a.allocateNew(3);
        b.allocateNew(3);
        for (int i = 0; i < 3; i++) {
            a.set(i, i + 1);
            b.setSafe(i, new byte[] {(byte) ('a' + i)});
        }
        try (VectorSchemaRoot root = VectorSchemaRoot.of(a, b)) {
            root.setRowCount(3);
            assertEquals("5684f7bfdcaf4ff7d1f9bf0fd766c98d8ded335e933fb4eec245054f3206b61a",
                    HexFormat.of().formatHex(LogicalHasher.hash(root).digest()));
            ColumnDigest col = new ColumnDigest(a.getField());
            col.update(List.of(a), 3);
            assertEquals("95d11399ecaed3721501c76f154c3430744d178831b53896cb8f54fed36fb321",
                    HexFormat.of().formatHex(col.finish()));
        }
    }

    @Test
    void splitInvariance() {
        Schema schema;
        Multihash whole;
        try (VectorSchemaRoot all = TestTables.random(alloc, new Random(7), 2500, 0, 2500, true)) {
            schema = all.getSchema();
            whole = LogicalHasher.hash(all);
        }
        for (int batch : new int[] {1, 3, 1000, 2500}) {
            LogicalHasher h = new LogicalHasher(schema);
            for (int start = 0; start < 2500; start += batch) {
                // Regenerate the same rows (same seed) for each slice of the table.
                try (VectorSchemaRoot part = TestTables.random(alloc, new Random(7), 2500, start, Math.min(batch, 2500 - start), true)) {
                    h.update(part);
                }
            }
            assertEquals(whole, h.finish(), "batch size " + batch);
        }
    }

    /** Every Keccak (scalar, 4-lane vector, native lanes) gives the same column digests, whatever the batch split. */
    @Test
    void vectorLanesGiveTheScalarHash() {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.sluice.odf.Sha3Lanes.vectorPresent(),
                "JVM started without --add-modules jdk.incubator.vector");
        // 20,000 rows: the string and list lanes run more than 64 KiB ahead of the fixed-width ones
        for (int rows : new int[] {0, 1, 137, 5000, 20_000}) {
            List<Multihash> hashes = new ArrayList<>();
            for (dev.sluice.odf.Sha3Lanes.Permutation p : dev.sluice.odf.Sha3Lanes.Permutation.values()) {
                if (p == dev.sluice.odf.Sha3Lanes.Permutation.NATIVE && !dev.sluice.odf.Sha3Lanes.nativePresent()) continue;
                for (int batch : new int[] {rows + 1, 3001}) {
                    try (VectorSchemaRoot first = TestTables.random(alloc, new Random(rows), rows, 0, 0, true)) {
                        LogicalHasher h = new LogicalHasher(first.getSchema(), Runnable::run, p);
                        for (int start = 0; start < rows; start += batch) {
                            try (VectorSchemaRoot part = TestTables.random(alloc, new Random(rows), rows, start, Math.min(batch, rows - start), true)) {
                                h.update(part);
                            }
                        }
                        hashes.add(h.finish());
                    }
                }
            }
            try (VectorSchemaRoot all = TestTables.random(alloc, new Random(rows), rows, 0, rows, true)) {
                Multihash expected = LogicalHasher.hash(all);
                assertEquals(java.util.Collections.nCopies(hashes.size(), expected), hashes, "rows " + rows);
                assertTrue(hashes.size() >= 6, "at least scalar, vector and auto, two splits each");
            }
        }
    }

    @Test
    void parallelColumnsGiveSameHash() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int seed = 0; seed < 20; seed++) {
                Random r = new Random(seed);
                int rows = r.nextInt(300);
                try (VectorSchemaRoot all = TestTables.random(alloc, new Random(seed), rows, 0, rows, true)) {
                    Multihash seq = LogicalHasher.hash(all);
                    LogicalHasher par = new LogicalHasher(all.getSchema(), pool);
                    List<VectorSchemaRoot> parts = new ArrayList<>();
                    List<java.util.concurrent.CompletableFuture<Void>> pending = new ArrayList<>();
                    for (int start = 0; start < rows; start += 37) {
                        VectorSchemaRoot p = TestTables.random(alloc, new Random(seed), rows, start, Math.min(37, rows - start), true);
                        parts.add(p);
                        pending.add(par.updateAsync(p));
                    }
                    assertEquals(seq, par.finish(), "seed " + seed);
                    parts.forEach(VectorSchemaRoot::close);
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void propertyValueChangesChangeHash() {
        // Random tables: any single-cell change (value or null-ness), a renamed column or swapped rows must change the
        // hash; identical content must not.
        for (int seed = 0; seed < 30; seed++) {
            int rows = 1 + new Random(seed).nextInt(50);
            try (VectorSchemaRoot t1 = TestTables.random(alloc, new Random(seed), rows, 0, rows, true);
                 VectorSchemaRoot t2 = TestTables.random(alloc, new Random(seed), rows, 0, rows, true)) {
                Multihash h = LogicalHasher.hash(t1);
                assertEquals(h, LogicalHasher.hash(t2));
                BigIntVector id = (BigIntVector) t2.getVector("id");
                int row = new Random(seed + 1000).nextInt(rows);
                id.set(row, id.get(row) + 1);
                assertNotEquals(h, LogicalHasher.hash(t2));
                id.set(row, id.get(row) - 1);
                assertEquals(h, LogicalHasher.hash(t2));
                VarCharVector s = (VarCharVector) t2.getVector("name");
                byte[] old = s.isNull(row) ? null : s.get(row);
                if (old == null) s.setSafe(row, new byte[0]); else s.setNull(row);
                assertNotEquals(h, LogicalHasher.hash(t2), "null vs empty / value vs null");
            }
        }
    }

    @Test
    void negativeZeroDiffersAndNullsAreOneByte() {
        Float8Vector f = new Float8Vector("f", alloc);
        f.allocateNew(1);
        f.set(0, 0.0);
        f.setValueCount(1);
        Float8Vector g = new Float8Vector("f", alloc);
        g.allocateNew(1);
        g.set(0, -0.0);
        g.setValueCount(1);
        try (VectorSchemaRoot r1 = VectorSchemaRoot.of(f); VectorSchemaRoot r2 = VectorSchemaRoot.of(g)) {
            assertNotEquals(LogicalHasher.hash(r1), LogicalHasher.hash(r2));
        }
        // A null Int64 contributes exactly 0x00: C = SHA3(type bytes + 00).
        BigIntVector n = new BigIntVector("x", alloc);
        n.allocateNew(1);
        n.setNull(0);
        n.setValueCount(1);
        try (VectorSchemaRoot r = VectorSchemaRoot.of(n)) {
            ColumnDigest c = new ColumnDigest(n.getField());
            c.update(List.of(n), 1);
            byte[] expected = Multihash.newSha3().digest(HexFormat.of().parseHex("0100014000000000000000" + "00"));
            assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(c.finish()));
        }
    }

    @Test
    void listsAndDecimalsAndTimestamps() {
        // List<Int32> [[1, null], null, []] : C = SHA3(0b00 + int32 type, then u64(2) 01000000 00, 00, u64(0)).
        ListVector l = ListVector.empty("l", alloc);
        UnionListWriter w = l.getWriter();
        w.setPosition(0);
        w.startList();
        w.integer().writeInt(1);
        w.writeNull();
        w.endList();
        w.setPosition(2);
        w.startList();
        w.endList();
        l.setNull(1);
        l.setValueCount(3);
        ColumnDigest c = new ColumnDigest(l.getField());
        c.update(List.of(l), 3);
        String bytes = "0b00" + "0100012000000000000000"
                + "0200000000000000" + "01000000" + "00" + "00" + "0000000000000000";
        assertEquals(HexFormat.of().formatHex(Multihash.newSha3().digest(HexFormat.of().parseHex(bytes))),
                HexFormat.of().formatHex(c.finish()));
        l.close();

        DecimalVector d = new DecimalVector("d", alloc, 10, 2);
        d.allocateNew(1);
        d.set(0, new BigDecimal("-1.23"));
        d.setValueCount(1);
        ColumnDigest cd = new ColumnDigest(d.getField());
        cd.update(List.of(d), 1);
        String dec = "0600" + "8000000000000000" + "0a00000000000000" + "0200000000000000"
                + "85ffffffffffffffffffffffffffffff";
        assertEquals(HexFormat.of().formatHex(Multihash.newSha3().digest(HexFormat.of().parseHex(dec))),
                HexFormat.of().formatHex(cd.finish()));
        d.close();

        TimeStampMilliTZVector ts = new TimeStampMilliTZVector("t", alloc, "UTC");
        ColumnDigest ct = new ColumnDigest(ts.getField());
        assertEquals(HexFormat.of().formatHex(Multihash.newSha3().digest(HexFormat.of().parseHex(
                "0900" + "0100" + "0300000000000000" + "555443"))), HexFormat.of().formatHex(ct.finish()));
        ts.close();
    }

    @Test
    void unsupportedTypeIsRejectedUpFront() {
        Schema s = new Schema(List.of(Field.nullable("d", new Duration(org.apache.arrow.vector.types.TimeUnit.SECOND))));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> new LogicalHasher(s));
        assertTrue(e.getMessage().contains("'d'"), e.getMessage());
    }
}
