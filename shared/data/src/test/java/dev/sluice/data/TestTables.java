package dev.sluice.data;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;

/** Test tables built from Arrow vectors. */
final class TestTables {
    static final long T2050 = 2524651200000L; // 2050-01-01T12:00:00Z

    private TestTables() {}

    /** GV1: offset Int64, city Utf8, population UInt64; rows (1,"B",200), (0,"A",100). */
    static VectorSchemaRoot gv1(BufferAllocator alloc) {
        BigIntVector offset = new BigIntVector("offset", alloc);
        VarCharVector city = new VarCharVector("city", alloc);
        UInt8Vector pop = new UInt8Vector("population", alloc);
        offset.allocateNew(2);
        city.allocateNew(2);
        pop.allocateNew(2);
        offset.set(0, 1);
        offset.set(1, 0);
        city.setSafe(0, utf8("B"));
        city.setSafe(1, utf8("A"));
        pop.set(0, 200);
        pop.set(1, 100);
        VectorSchemaRoot root = VectorSchemaRoot.of(offset, city, pop);
        root.setRowCount(2);
        return root;
    }

    /** D1 (first {@code rows} of 2): the GV1 data as an ODF slice with system columns. */
    static VectorSchemaRoot d1(BufferAllocator alloc, int rows) {
        BigIntVector offset = new BigIntVector("offset", alloc);
        IntVector op = new IntVector("op", alloc);
        TimeStampMilliTZVector st = new TimeStampMilliTZVector("system_time", alloc, "UTC");
        TimeStampMilliTZVector et = new TimeStampMilliTZVector("event_time", alloc, "UTC");
        VarCharVector city = new VarCharVector("city", alloc);
        UInt8Vector pop = new UInt8Vector("population", alloc);
        List<FieldVector> vs = List.of(offset, op, st, et, city, pop);
        vs.forEach(v -> v.setInitialCapacity(2));
        vs.forEach(FieldVector::allocateNew);
        String[] cities = {"A", "B"};
        for (int i = 0; i < rows; i++) {
            offset.set(i, i);
            op.set(i, 0);
            st.set(i, T2050);
            et.set(i, T2050);
            city.setSafe(i, utf8(cities[i]));
            pop.set(i, 100L * (i + 1));
        }
        VectorSchemaRoot root = new VectorSchemaRoot(vs);
        root.setRowCount(rows);
        return root;
    }

    /**
     * Rows {@code [start, start+count)} of a pseudo-random table of {@code total} rows; the same seed yields the
     * same rows whatever the slicing. Columns: id Int64, name Utf8?, score Float64?, flag Bool?, ts
     * Timestamp(ms,UTC)?, qty Int32?, and (if {@code withList}) tags List&lt;Int32&gt;?.
     */
    static VectorSchemaRoot random(BufferAllocator alloc, Random r, int total, int start, int count, boolean withList) {
        BigIntVector id = new BigIntVector("id", org.apache.arrow.vector.types.pojo.FieldType.notNullable(
                new org.apache.arrow.vector.types.pojo.ArrowType.Int(64, true)), alloc);
        VarCharVector name = new VarCharVector("name", alloc);
        Float8Vector score = new Float8Vector("score", alloc);
        BitVector flag = new BitVector("flag", alloc);
        TimeStampMilliTZVector ts = new TimeStampMilliTZVector("ts", alloc, "UTC");
        IntVector qty = new IntVector("qty", alloc);
        List<FieldVector> vs = new ArrayList<>(List.of(id, name, score, flag, ts, qty));
        ListVector tags = null;
        if (withList) {
            tags = ListVector.empty("tags", alloc);
            // Fix the item type up front: the writer would otherwise leave it Null in a slice without items.
            tags.addOrGetVector(org.apache.arrow.vector.types.pojo.FieldType.nullable(
                    new org.apache.arrow.vector.types.pojo.ArrowType.Int(32, true)));
            vs.add(tags);
        }
        vs.forEach(v -> v.setInitialCapacity(Math.max(count, 1)));
        vs.forEach(FieldVector::allocateNew);
        UnionListWriter lw = tags == null ? null : tags.getWriter();
        for (int row = 0; row < total && row < start + count; row++) {
            long idv = r.nextLong();
            String nm = r.nextInt(10) == 0 ? null : randomString(r);
            Double sc = r.nextInt(10) == 0 ? null : r.nextGaussian() * 1e6;
            Boolean fl = r.nextInt(5) == 0 ? null : r.nextBoolean();
            Long t = r.nextInt(7) == 0 ? null : 1_600_000_000_000L + r.nextInt(1_000_000_000);
            Integer q = r.nextInt(4) == 0 ? null : r.nextInt();
            int nTags = r.nextInt(5) - 1; // -1 = null list
            int[] tg = new int[Math.max(nTags, 0)];
            boolean[] tgNull = new boolean[tg.length];
            for (int k = 0; k < tg.length; k++) {
                tg[k] = r.nextInt(100);
                tgNull[k] = r.nextInt(6) == 0;
            }
            if (row < start) continue;
            int i = row - start;
            id.set(i, idv);
            if (nm == null) name.setNull(i); else name.setSafe(i, utf8(nm));
            if (sc == null) score.setNull(i); else score.set(i, sc);
            if (fl == null) flag.setNull(i); else flag.set(i, fl ? 1 : 0);
            if (t == null) ts.setNull(i); else ts.set(i, t);
            if (q == null) qty.setNull(i); else qty.set(i, q);
            if (lw != null) {
                lw.setPosition(i);
                if (nTags < 0) {
                    lw.writeNull();
                } else {
                    lw.startList();
                    for (int k = 0; k < tg.length; k++) {
                        if (tgNull[k]) lw.writeNull(); else lw.integer().writeInt(tg[k]);
                    }
                    lw.endList();
                }
            }
        }
        VectorSchemaRoot root = new VectorSchemaRoot(vs);
        root.setRowCount(count);
        return root;
    }

    private static String randomString(Random r) {
        int n = r.nextInt(12);
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < n; k++) {
            int c = r.nextInt(20) == 0 ? 0x4e00 + r.nextInt(100) : 'a' + r.nextInt(26); // some non-ASCII
            sb.appendCodePoint(c);
        }
        return sb.toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
