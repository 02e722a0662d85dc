package dev.sluice.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slices whose INT32/INT64 columns are written DELTA_BINARY_PACKED, read back by DuckDB and by {@link SliceReader}
 * (parquet-mr) with every value intact: negative and wrapping deltas, Long/Integer MIN and MAX, nulls, list
 * elements, a single row, exactly 128/129 rows and several pages; the bytes independent of batching; the footer
 * listing the encodings used; the chunk codec chosen per column.
 */
class SliceWriterDeltaTest {
    static final long START = 1_000;
    private final BufferAllocator alloc = new RootAllocator();

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        alloc.close();
    }

    static long mix(long x) { // splitmix64
        x += 0x9E3779B97F4A7C15L;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }

    // The columns, by row index i; null = SQL NULL.
    static Long id(int i) { return 5 + 3L * i; }
    static Long down(int i) { return 5_000_000 - 7L * i; } // negative deltas
    static Long extreme(int i) { return i % 1000 == 0 ? Long.MIN_VALUE : i % 1000 == 1 ? Long.MAX_VALUE : (long) i; } // wrapping deltas
    static Long holes(int i) { return i % 5 == 0 ? null : (long) i * i; }
    static Long rnd(int i) { return mix(i); } // deltas as wide as PLAIN: written PLAIN
    static Long ts(int i) { return 1_700_000_000_000L + 1000L * i + (mix(i) & 0x3FF); } // jittered: Snappy finds nothing
    static Long late(int i) { return i < 25_000 ? null : ts(i); } // pages of nulls before the codec is chosen
    static Integer day(int i) { return 19_000 + i; }
    static Integer spiky(int i) { return i % 1000 == 0 ? Integer.MIN_VALUE : i % 1000 == 1 ? Integer.MAX_VALUE : -i; } // wrap in 32 bits
    static Integer jitter(int i) { return i % 7 == 3 ? null : 1000 * i + (int) (mix(i) & 0xFFFF); }
    static long[] list(int i) { return i % 7 == 0 ? null : new long[] {2L * i, 2L * i + 1, -(long) i}; }

    static final List<String> LONGS = List.of("id", "down", "extreme", "holes", "rnd", "ts", "late");
    static final List<String> INTS = List.of("day", "spiky", "jitter");

    static Object value(String col, int i) {
        return switch (col) {
            case "id" -> id(i);
            case "down" -> down(i);
            case "extreme" -> extreme(i);
            case "holes" -> holes(i);
            case "rnd" -> rnd(i);
            case "ts" -> ts(i);
            case "late" -> late(i);
            case "day" -> day(i);
            case "spiky" -> spiky(i);
            case "jitter" -> jitter(i);
            default -> throw new IllegalArgumentException(col);
        };
    }

    private VectorSchemaRoot rows(int from, int n) {
        BigIntVector id = new BigIntVector("id", alloc);
        BigIntVector down = new BigIntVector("down", alloc);
        BigIntVector extreme = new BigIntVector("extreme", alloc);
        BigIntVector holes = new BigIntVector("holes", alloc);
        BigIntVector rnd = new BigIntVector("rnd", alloc);
        TimeStampMilliTZVector ts = new TimeStampMilliTZVector("ts", alloc, "UTC");
        BigIntVector late = new BigIntVector("late", alloc);
        DateDayVector day = new DateDayVector("day", alloc);
        IntVector spiky = new IntVector("spiky", alloc);
        IntVector jitter = new IntVector("jitter", alloc);
        ListVector l = ListVector.empty("l", alloc);
        l.addOrGetVector(FieldType.nullable(new ArrowType.Int(64, true)));
        List<FieldVector> vs = List.of(id, down, extreme, holes, rnd, ts, late, day, spiky, jitter, l);
        vs.forEach(v -> v.setInitialCapacity(Math.max(n, 1)));
        vs.forEach(FieldVector::allocateNew);
        UnionListWriter lw = l.getWriter();
        for (int k = 0; k < n; k++) {
            int i = from + k;
            setLong(id, k, id(i));
            setLong(down, k, down(i));
            setLong(extreme, k, extreme(i));
            setLong(holes, k, holes(i));
            setLong(rnd, k, rnd(i));
            ts.set(k, ts(i));
            setLong(late, k, late(i));
            day.set(k, day(i));
            spiky.set(k, spiky(i));
            if (jitter(i) == null) jitter.setNull(k); else jitter.set(k, jitter(i));
            lw.setPosition(k);
            long[] li = list(i);
            if (li == null) {
                lw.writeNull();
            } else {
                lw.startList();
                for (long x : li) lw.bigInt().writeBigInt(x);
                lw.endList();
            }
        }
        VectorSchemaRoot root = new VectorSchemaRoot(vs);
        root.setRowCount(n);
        return root;
    }

    private static void setLong(BigIntVector v, int k, Long x) {
        if (x == null) v.setNull(k); else v.set(k, x);
    }

    private SliceResult write(Path file, int total, int batch) throws Exception {
        Schema schema;
        try (VectorSchemaRoot s = rows(0, 0)) {
            schema = s.getSchema();
        }
        try (SliceWriter w = SliceWriter.open(file, schema, SliceWriter.options().startOffset(START)
                .systemTime(Instant.ofEpochMilli(TestTables.T2050)))) {
            for (int from = 0; from < total; from += batch) {
                try (VectorSchemaRoot b = rows(from, Math.min(batch, total - from))) {
                    w.write(b);
                }
            }
            return w.finish();
        }
    }

    @Test
    void edgeCountsReadBackIdenticallyInDuckDbAndParquetMr() throws Exception {
        for (int total : new int[] {1, 2, 128, 129, 20_000, 45_001}) {
            Path a = dir.resolve("a" + total + ".parquet");
            Path b = dir.resolve("b" + total + ".parquet");
            SliceResult ra = write(a, total, total);
            SliceResult rb = write(b, total, 997);
            assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), total + " rows");
            assertEquals(ra.logicalHash(), rb.logicalHash());
            assertEquals(ra.logicalHash(), SliceReader.logicalHash(a), total + " rows");
            assertDuckDbReads(a, total);
            assertSliceReaderReads(a, total);
        }
    }

    private void assertDuckDbReads(Path file, int total) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT \"offset\", id, down, extreme, holes, rnd, epoch_ms(ts), late, date_diff('day', DATE '1970-01-01', day),"
                     + " spiky, jitter, l IS NULL, len(l), l[1], l[2], l[3] FROM read_parquet('" + file + "') ORDER BY \"offset\"")) {
            int i = 0;
            while (rs.next()) {
                String at = total + " rows, row " + i;
                assertEquals(START + i, rs.getLong(1), at);
                for (int k = 0; k < LONGS.size(); k++) assertEquals(value(LONGS.get(k), i), rs.getObject(2 + k, Long.class), at + " " + LONGS.get(k));
                for (int k = 0; k < INTS.size(); k++) {
                    Object expected = value(INTS.get(k), i);
                    Object got = rs.getObject(9 + k);
                    assertEquals(expected == null ? null : ((Integer) expected).longValue(), got == null ? null : ((Number) got).longValue(), at + " " + INTS.get(k));
                }
                long[] li = list(i);
                assertEquals(li == null, rs.getBoolean(12), at);
                if (li != null) {
                    assertEquals(3, rs.getLong(13), at);
                    for (int k = 0; k < 3; k++) assertEquals(li[k], rs.getLong(14 + k), at + " l[" + k + "]");
                }
                i++;
            }
            assertEquals(total, i);
        }
    }

    private void assertSliceReaderReads(Path file, int total) throws Exception {
        int i = 0;
        try (SliceReader r = SliceReader.open(file, alloc, 1_000)) {
            while (r.hasNext()) {
                VectorSchemaRoot b = r.next();
                for (int k = 0; k < b.getRowCount(); k++, i++) {
                    String at = total + " rows, row " + i;
                    assertEquals(START + i, ((BigIntVector) b.getVector("offset")).get(k), at);
                    for (String col : LONGS) {
                        FieldVector v = b.getVector(col);
                        Object got = v.isNull(k) ? null : col.equals("ts") ? ((TimeStampMilliTZVector) v).get(k) : ((BigIntVector) v).get(k);
                        assertEquals(value(col, i), got, at + " " + col);
                    }
                    for (String col : INTS) {
                        FieldVector v = b.getVector(col);
                        Object got = v.isNull(k) ? null : col.equals("day") ? ((DateDayVector) v).get(k) : ((IntVector) v).get(k);
                        assertEquals(value(col, i), got, at + " " + col);
                    }
                    ListVector l = (ListVector) b.getVector("l");
                    long[] li = list(i);
                    assertEquals(li == null, l.isNull(k), at);
                    if (li != null) {
                        BigIntVector items = (BigIntVector) l.getDataVector();
                        int s = l.getElementStartIndex(k);
                        assertEquals(3, l.getElementEndIndex(k) - s, at);
                        for (int e = 0; e < 3; e++) assertEquals(li[e], items.get(s + e), at + " l[" + e + "]");
                    }
                }
            }
        }
        assertEquals(total, i);
    }

    @Test
    void footerListsDeltaForDistinctIntegersAndTheCodecIsChosenPerChunk() throws Exception {
        Path file = dir.resolve("s.parquet");
        write(file, 45_001, 4_096);
        Map<String, String> encodings = new HashMap<>();
        Map<String, String> codecs = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT path_in_schema, string_agg(DISTINCT encodings, ','), string_agg(DISTINCT compression, ',')"
                     + " FROM parquet_metadata('" + file + "') GROUP BY path_in_schema")) {
            while (rs.next()) {
                encodings.put(rs.getString(1), rs.getString(2));
                codecs.put(rs.getString(1), rs.getString(3));
            }
        }
        String element = encodings.keySet().stream().filter(p -> p.startsWith("l")).findFirst().orElseThrow();
        for (String col : List.of("offset", "id", "down", "extreme", "holes", "ts", "late", "day", "spiky", "jitter", element)) {
            assertTrue(encodings.get(col).contains("DELTA_BINARY_PACKED"), col + ": " + encodings.get(col));
            // no dictionary; PLAIN only for pages without values (late's first)
            assertFalse(encodings.get(col).contains(col.equals("late") ? "PLAIN_DICTIONARY" : "PLAIN"), col + ": " + encodings.get(col));
        }
        assertTrue(encodings.get("rnd").contains("PLAIN") && !encodings.get("rnd").contains("DELTA"), "rnd: " + encodings.get("rnd"));
        assertTrue(encodings.get("op").contains("PLAIN_DICTIONARY"), "op: " + encodings.get("op"));
        assertTrue(encodings.get("event_time").contains("PLAIN_DICTIONARY"), "event_time (the fallback, one value): " + encodings.get("event_time"));
        // Statistics as before (they come from the values, not the encoding).
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT path_in_schema, min(stats_min_value::BIGINT), max(stats_max_value::BIGINT), sum(stats_null_count)"
                     + " FROM parquet_metadata('" + file + "') WHERE path_in_schema IN ('down', 'extreme', 'holes', 'spiky')"
                     + " GROUP BY path_in_schema ORDER BY path_in_schema")) {
            long[][] expected = {
                {down(45_000), down(0), 0},
                {Long.MIN_VALUE, Long.MAX_VALUE, 0},
                {1, 44_999L * 44_999, 9_001},
                {Integer.MIN_VALUE, Integer.MAX_VALUE, 0},
            };
            for (long[] e : expected) {
                assertTrue(rs.next());
                assertEquals(e[0], rs.getLong(2), rs.getString(1) + " min");
                assertEquals(e[1], rs.getLong(3), rs.getString(1) + " max");
                assertEquals(e[2], rs.getLong(4), rs.getString(1) + " nulls");
            }
            assertFalse(rs.next());
        }
        // Constant steps leave repeated block headers that Snappy shrinks; jittered deltas leave nothing to find.
        assertEquals("SNAPPY", codecs.get("offset"));
        assertEquals("SNAPPY", codecs.get("id"));
        assertEquals("SNAPPY", codecs.get("rnd"));
        assertEquals("UNCOMPRESSED", codecs.get("ts"));
        assertEquals("UNCOMPRESSED", codecs.get("jitter"));
        assertEquals("UNCOMPRESSED", codecs.get("late")); // its first, all-null page too
    }
}
