package dev.sluice.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.Multihash;
import dev.sluice.odf.OffsetInterval;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SliceWriterTest {
    static final Instant SYS = Instant.ofEpochMilli(TestTables.T2050);
    private final BufferAllocator alloc = new RootAllocator();

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        alloc.close();
    }

    /** city Utf8?, population Int64?, ratio Float64?, active Bool?, founded Date32?, obs Timestamp(us)? */
    private VectorSchemaRoot cities(int from, int n) {
        VarCharVector city = new VarCharVector("city", alloc);
        BigIntVector pop = new BigIntVector("population", alloc);
        Float8Vector ratio = new Float8Vector("ratio", alloc);
        BitVector active = new BitVector("active", alloc);
        DateDayVector founded = new DateDayVector("founded", alloc);
        TimeStampMicroVector obs = new TimeStampMicroVector("obs", alloc);
        List<FieldVector> vs = List.of(city, pop, ratio, active, founded, obs);
        vs.forEach(v -> v.setInitialCapacity(Math.max(n, 1)));
        vs.forEach(FieldVector::allocateNew);
        for (int i = 0; i < n; i++) {
            int r = from + i;
            if (r == 2) {
                // one all-null row (except obs, to show the fallback elsewhere)
                city.setNull(i);
                pop.setNull(i);
                ratio.setNull(i);
                active.setNull(i);
                founded.setNull(i);
            } else {
                city.setSafe(i, TestTables.utf8("city-" + r + (r == 3 ? "-ü" : "")));
                pop.set(i, 1000L * r);
                ratio.set(i, r / 4.0);
                active.set(i, r % 2);
                founded.set(i, 19000 + r);
            }
            if (r == 4) obs.setNull(i);
            else obs.set(i, (1_700_000_000_000L + r * 1000L) * 1000L + 999); // µs; sub-ms part is truncated
        }
        VectorSchemaRoot root = new VectorSchemaRoot(vs);
        root.setRowCount(n);
        return root;
    }

    private SliceResult writeCities(Path file, int[] batchSizes, SliceWriter.Options opts) throws Exception {
        Schema schema;
        try (VectorSchemaRoot s = cities(0, 0)) {
            schema = s.getSchema();
        }
        try (SliceWriter w = SliceWriter.open(file, schema, opts)) {
            int from = 0;
            for (int n : batchSizes) {
                try (VectorSchemaRoot b = cities(from, n)) {
                    w.write(b);
                }
                from += n;
            }
            return w.finish();
        }
    }

    @Test
    void duckDbReadsSystemColumnsTypesValuesAndOrder() throws Exception {
        Path file = dir.resolve("slice.parquet");
        Instant fallback = Instant.parse("2020-01-01T00:00:00Z");
        SliceResult r = writeCities(file, new int[] {2, 0, 3},
                SliceWriter.options().startOffset(10).systemTime(SYS).eventTimeColumn("obs").fallbackEventTime(fallback));

        assertEquals(new OffsetInterval(10, 14), r.offsetInterval());
        assertEquals(5, r.rowCount());
        assertEquals(Files.size(file), r.size());
        assertEquals(Instant.ofEpochMilli(1_700_000_000_000L + 3000), r.maxEventTime());

        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            Map<String, String> types = new LinkedHashMap<>();
            try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + file + "')")) {
                while (rs.next()) types.put(rs.getString("column_name"), rs.getString("column_type"));
            }
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("offset", "BIGINT");
            expected.put("op", "INTEGER");
            expected.put("system_time", "TIMESTAMP WITH TIME ZONE");
            expected.put("event_time", "TIMESTAMP WITH TIME ZONE");
            expected.put("city", "VARCHAR");
            expected.put("population", "BIGINT");
            expected.put("ratio", "DOUBLE");
            expected.put("active", "BOOLEAN");
            expected.put("founded", "DATE");
            expected.put("obs", "TIMESTAMP WITH TIME ZONE");
            assertEquals(expected, types);

            List<String> rows = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT \"offset\", op, epoch_ms(system_time), epoch_ms(event_time), city,"
                    + " population, ratio, active, CAST(founded AS VARCHAR), epoch_ms(obs) FROM read_parquet('" + file + "')")) {
                while (rs.next()) {
                    StringBuilder sb = new StringBuilder();
                    for (int k = 1; k <= 10; k++) sb.append(k > 1 ? "|" : "").append(rs.getString(k));
                    rows.add(sb.toString());
                }
            }
            long t = 1_700_000_000_000L;
            long fb = fallback.toEpochMilli();
            assertEquals(List.of(
                    "10|0|" + TestTables.T2050 + "|" + t + "|city-0|0|0.0|false|2022-01-08|" + t,
                    "11|0|" + TestTables.T2050 + "|" + (t + 1000) + "|city-1|1000|0.25|true|2022-01-09|" + (t + 1000),
                    "12|0|" + TestTables.T2050 + "|" + (t + 2000) + "|null|null|null|null|null|" + (t + 2000),
                    "13|0|" + TestTables.T2050 + "|" + (t + 3000) + "|city-3-ü|3000|0.75|true|2022-01-11|" + (t + 3000),
                    "14|0|" + TestTables.T2050 + "|" + fb + "|city-4|4000|1.0|false|2022-01-12|null"), rows);

            // Parquet physical types as specified: SNAPPY, INT64 TIMESTAMP(MILLIS, UTC), strings as BINARY/String.
            Map<String, String> meta = new LinkedHashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT path_in_schema, type, compression FROM parquet_metadata('" + file + "')")) {
                while (rs.next()) meta.put(rs.getString(1), rs.getString(2) + "/" + rs.getString(3));
            }
            assertEquals("INT64/SNAPPY", meta.get("system_time"));
            assertEquals("BYTE_ARRAY/SNAPPY", meta.get("city"));
            Map<String, String> logical = new LinkedHashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT name, logical_type, repetition_type FROM parquet_schema('" + file + "')")) {
                while (rs.next()) logical.put(rs.getString(1), rs.getString(2) + "/" + rs.getString(3));
            }
            assertTrue(logical.get("event_time").contains("isAdjustedToUTC=1") && logical.get("event_time").contains("MILLIS"),
                    logical.get("event_time"));
            assertTrue(logical.get("event_time").endsWith("/REQUIRED"), logical.get("event_time"));
            assertTrue(logical.get("city").startsWith("StringType") && logical.get("city").endsWith("/OPTIONAL"), logical.get("city"));
        }
    }

    @Test
    void physicalHashIsHashOfFileBytesAndLogicalHashSurvivesReadBack() throws Exception {
        Path file = dir.resolve("a.parquet");
        SliceResult r = writeCities(file, new int[] {1, 3, 1}, SliceWriter.options().systemTime(SYS).eventTimeColumn("obs"));
        assertEquals(Multihash.sha3(Files.readAllBytes(file)), r.physicalHash());
        assertTrue(r.physicalHash().toMultibase().startsWith("f1620"));
        assertTrue(r.logicalHash().toMultibase().startsWith("f9680c00120"));
        assertEquals(r.logicalHash(), SliceReader.logicalHash(file));
        for (int bs : new int[] {1, 2, 3, 1000}) assertEquals(r.logicalHash(), readBackHash(file, bs), "batch size " + bs);

        // Same rows, other batching on the write side → byte-identical file, same hashes.
        Path other = dir.resolve("b.parquet");
        SliceResult r2 = writeCities(other, new int[] {5}, SliceWriter.options().systemTime(SYS).eventTimeColumn("obs")
                .hashExecutor(Runnable::run));
        assertEquals(r.logicalHash(), r2.logicalHash());
        assertEquals(r.physicalHash(), r2.physicalHash());
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(other));
    }

    private Multihash readBackHash(Path file, int batchSize) throws Exception {
        try (SliceReader rd = SliceReader.open(file, alloc, batchSize)) {
            LogicalHasher h = new LogicalHasher(rd.schema());
            while (rd.hasNext()) {
                VectorSchemaRoot b = rd.next();
                assertTrue(b.getRowCount() <= batchSize);
                h.update(b);
            }
            return h.finish();
        }
    }

    @Test
    void d1EndToEnd() throws Exception {
        // GV1's data ingested at 2050-01-01T12:00Z as kamu would: the derived vector D1.
        String d1 = "f9680c00120440446fcdeef120c68757288af2391e174a83831812756c56b7298be251608d5";
        Path file = dir.resolve("d1.parquet");
        SliceResult r;
        try (VectorSchemaRoot gv1 = TestTables.d1(alloc, 2)) {
            // data part only: city, population (UInt64)
            VectorSchemaRoot data = new VectorSchemaRoot(List.of(gv1.getVector("city"), gv1.getVector("population")));
            data.setRowCount(2);
            try (SliceWriter w = SliceWriter.open(file, data.getSchema(), SliceWriter.options().systemTime(SYS))) {
                w.write(data);
                r = w.finish();
            }
        }
        assertEquals(d1, r.logicalHash().toMultibase());
        assertEquals(d1, SliceReader.logicalHash(file).toMultibase());

        // The same rows given with their system columns already present.
        Path file2 = dir.resolve("d1b.parquet");
        try (VectorSchemaRoot full = TestTables.d1(alloc, 2);
             SliceWriter w = SliceWriter.open(file2, full.getSchema(), SliceWriter.options().systemColumnsIncluded())) {
            w.write(full);
            SliceResult r2 = w.finish();
            assertEquals(d1, r2.logicalHash().toMultibase());
            assertEquals(new OffsetInterval(0, 1), r2.offsetInterval());
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT typeof(any_value(population)), sum(population) FROM read_parquet('" + file + "')")) {
            assertTrue(rs.next());
            assertEquals("UBIGINT", rs.getString(1));
            assertEquals(300, rs.getLong(2));
        }
    }

    @Test
    void fileSchemaIsTheSchemaAReaderDerivesFromTheFooter() throws Exception {
        // One column of every type the writer stores (all nullable but one), one row: a commit takes the slice's
        // schema from the writer instead of reading the file back, so the two must agree field for field.
        List<Field> fields = new ArrayList<>();
        int n = 0;
        for (ArrowType t : List.of(
                new ArrowType.Int(8, true), new ArrowType.Int(16, true),
                new ArrowType.Int(32, true), new ArrowType.Int(64, true),
                new ArrowType.Int(8, false), new ArrowType.Int(16, false),
                new ArrowType.Int(32, false), new ArrowType.Int(64, false),
                new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE),
                new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE),
                ArrowType.Bool.INSTANCE, ArrowType.Utf8.INSTANCE,
                ArrowType.Binary.INSTANCE, new ArrowType.FixedSizeBinary(4),
                new ArrowType.Date(DateUnit.DAY),
                new ArrowType.Timestamp(TimeUnit.MILLISECOND, "UTC"),
                new ArrowType.Decimal(20, 3, 128))) {
            fields.add(Field.nullable("c" + n++, t));
        }
        fields.add(new Field("tags", FieldType.nullable(
                ArrowType.List.INSTANCE), List.of(Field.nullable(
                "item", new ArrowType.Int(32, true)))));
        fields.add(Field.notNullable("id", new ArrowType.Int(64, true)));
        Schema schema = new Schema(fields);
        Path file = dir.resolve("types.parquet");
        Schema fileSchema;
        try (VectorSchemaRoot b = VectorSchemaRoot.create(schema, alloc);
             SliceWriter w = SliceWriter.open(file, schema, SliceWriter.options().systemTime(SYS))) {
            b.allocateNew(); // every nullable column null in the row
            ((BigIntVector) b.getVector("id")).set(0, 7L);
            b.setRowCount(1);
            w.write(b);
            w.finish();
            fileSchema = w.fileSchema();
        }
        try (SliceReader rd = SliceReader.open(file, alloc, 10)) {
            assertEquals(fields.size() + 4, rd.schema().getFields().size());
            assertEquals(rd.schema(), fileSchema);
        }
    }

    @Test
    void randomTablesWithListsRoundTrip() throws Exception {
        for (int seed = 0; seed < 8; seed++) {
            int total = new Random(seed).nextInt(3000);
            Path file = dir.resolve("r" + seed + ".parquet");
            Schema schema;
            try (VectorSchemaRoot s = TestTables.random(alloc, new Random(seed), 0, 0, 0, true)) {
                schema = s.getSchema();
            }
            SliceResult r;
            try (SliceWriter w = SliceWriter.open(file, schema, SliceWriter.options().systemTime(SYS).startOffset(100)
                    .eventTimeColumn("ts").rowGroupBytes(64 << 10))) {
                for (int start = 0; start < total; start += 700) {
                    try (VectorSchemaRoot b = TestTables.random(alloc, new Random(seed), total, start, Math.min(700, total - start), true)) {
                        w.write(b);
                    }
                }
                r = w.finish();
            }
            assertEquals(total, r.rowCount());
            assertEquals(r.logicalHash(), SliceReader.logicalHash(file), "seed " + seed);
            assertEquals(r.logicalHash(), readBackHash(file, 333), "seed " + seed);
            try (SliceReader rd = SliceReader.open(file, null, 10)) {
                assertEquals(rd.schema(), SliceReader.schemaOf(file), "seed " + seed); // from the footer alone
            }
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*), count(name), min(\"offset\"), max(\"offset\"),"
                         + " typeof(any_value(tags)) FROM read_parquet('" + file + "')")) {
                assertTrue(rs.next());
                assertEquals(total, rs.getLong(1));
                long nonNullNames = 0;
                try (VectorSchemaRoot all = TestTables.random(alloc, new Random(seed), total, 0, total, true)) {
                    for (int i = 0; i < total; i++) if (!all.getVector("name").isNull(i)) nonNullNames++;
                }
                assertEquals(nonNullNames, rs.getLong(2));
                if (total > 0) {
                    assertEquals(100, rs.getLong(3));
                    assertEquals(100 + total - 1, rs.getLong(4));
                    assertEquals("INTEGER[]", rs.getString(5));
                }
            }
        }
    }

    @Test
    void manyPagesAndRowGroupsAreBatchIndependentAndReadable() throws Exception {
        int total = 60_000; // 3+ pages, and several row groups at 256 KiB
        Schema schema;
        try (VectorSchemaRoot s = TestTables.random(alloc, new Random(7), 0, 0, 0, true)) {
            schema = s.getSchema();
        }
        Path a = dir.resolve("a.parquet");
        Path b = dir.resolve("b.parquet");
        SliceResult ra = writeRandom(a, schema, total, 7_000);
        SliceResult rb = writeRandom(b, schema, total, 25_000);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertEquals(ra.logicalHash(), rb.logicalHash());
        assertEquals(ra.logicalHash(), SliceReader.logicalHash(a));
        assertEquals(ra.logicalHash(), readBackHash(a, 4_999));

        long names = 0;
        long qtySum = 0;
        long tagCount = 0;
        try (VectorSchemaRoot all = TestTables.random(alloc, new Random(7), total, 0, total, true)) {
            for (int i = 0; i < total; i++) {
                if (!all.getVector("name").isNull(i)) names++;
                if (!all.getVector("qty").isNull(i)) qtySum += ((org.apache.arrow.vector.IntVector) all.getVector("qty")).get(i);
                var tags = (org.apache.arrow.vector.complex.ListVector) all.getVector("tags");
                if (!tags.isNull(i)) tagCount += tags.getElementEndIndex(i) - tags.getElementStartIndex(i);
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), count(name), sum(qty), sum(len(tags)), count(DISTINCT \"offset\"),"
                     + " (SELECT count(DISTINCT row_group_id) FROM parquet_metadata('" + a + "')) FROM read_parquet('" + a + "')")) {
            assertTrue(rs.next());
            assertEquals(total, rs.getLong(1));
            assertEquals(names, rs.getLong(2));
            assertEquals(qtySum, rs.getLong(3));
            assertEquals(tagCount, rs.getLong(4));
            assertEquals(total, rs.getLong(5));
            assertTrue(rs.getLong(6) > 1, "row groups: " + rs.getLong(6));
        }
    }

    @Test
    void fileHashBesideTheColumnsEqualsTheFileHashAlone() throws Exception {
        // Many row groups (a page of 20K rows at least each), so the file's bytes come in bursts while columns are
        // still hashed; batches that do not align with pages.
        Schema schema;
        try (VectorSchemaRoot s = TestTables.random(alloc, new Random(7), 0, 0, 0, true)) {
            schema = s.getSchema();
        }
        Path shared = dir.resolve("shared.parquet");
        Path alone = dir.resolve("alone.parquet");
        SliceResult rs = writeRandom(shared, schema, 240_000, 7_777, SliceWriter.options().rowGroupBytes(64 << 10));
        SliceResult ra = writeRandom(alone, schema, 240_000, 7_777, SliceWriter.options().rowGroupBytes(64 << 10).fileHashAlone());
        assertArrayEquals(Files.readAllBytes(alone), Files.readAllBytes(shared));
        assertEquals(Multihash.sha3(Files.readAllBytes(shared)), rs.physicalHash());
        assertEquals(ra.physicalHash(), rs.physicalHash());
        assertEquals(ra.logicalHash(), rs.logicalHash());
        assertEquals(rs.logicalHash(), SliceReader.logicalHash(shared));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet q = st.executeQuery("SELECT count(DISTINCT row_group_id) FROM parquet_metadata('" + shared + "')")) {
            assertTrue(q.next());
            assertTrue(q.getLong(1) >= 10, "row groups: " + q.getLong(1));
        }
    }

    private SliceResult writeRandom(Path file, Schema schema, int total, int batch) throws Exception {
        return writeRandom(file, schema, total, batch, SliceWriter.options().rowGroupBytes(256 << 10));
    }

    private SliceResult writeRandom(Path file, Schema schema, int total, int batch, SliceWriter.Options options) throws Exception {
        try (SliceWriter w = SliceWriter.open(file, schema, options.systemTime(SYS).eventTimeColumn("ts"))) {
            for (int start = 0; start < total; start += batch) {
                try (VectorSchemaRoot bt = TestTables.random(alloc, new Random(7), total, start, Math.min(batch, total - start), true)) {
                    w.write(bt);
                }
            }
            return w.finish();
        }
    }

    @Test
    void dictionaryThatOutgrowsItsLimitFallsBackToPlainOrDelta() throws Exception {
        // 20k rows of 50 distinct values (dictionary-encoded), then distinct values well past the dictionary limit.
        int total = 200_000;
        Path a = dir.resolve("a.parquet");
        Path b = dir.resolve("b.parquet");
        SliceResult ra = writeMixed(a, total, 1_000);
        SliceResult rb = writeMixed(b, total, 65_536);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertEquals(ra.logicalHash(), rb.logicalHash());
        assertEquals(ra.logicalHash(), SliceReader.logicalHash(a));
        long sum = 0;
        for (int i = 0; i < total; i++) sum += mixedLong(i);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT s), sum(n), count(DISTINCT n), max(s)"
                     + " FROM read_parquet('" + a + "')")) {
            assertTrue(rs.next());
            assertEquals(total, rs.getLong(1));
            assertEquals(50 + total - 20_000, rs.getLong(2));
            assertEquals(sum, rs.getLong(3));
            assertEquals(50 + total - 20_000, rs.getLong(4));
            assertEquals("k9", rs.getString(5));
        }
        // Column statistics (merged from the page statistics) agree with the data.
        String min = null;
        for (int i = 0; i < total; i++) if (min == null || mixedString(i).compareTo(min) < 0) min = mixedString(i);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT min(stats_min_value), max(stats_max_value) FROM parquet_metadata('" + a
                     + "') WHERE path_in_schema = 's'")) {
            assertTrue(rs.next());
            assertEquals(min, rs.getString(1));
            assertEquals("k9", rs.getString(2));
        }
        // Past the limit, strings go on PLAIN and integers DELTA_BINARY_PACKED, in the chunk that has the dictionary.
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT path_in_schema, string_agg(encodings, ',') FROM parquet_metadata('" + a
                     + "') WHERE path_in_schema IN ('s', 'n') GROUP BY path_in_schema ORDER BY path_in_schema")) {
            assertTrue(rs.next());
            assertTrue(rs.getString(2).contains("PLAIN_DICTIONARY") && rs.getString(2).contains("DELTA_BINARY_PACKED"), "n: " + rs.getString(2));
            assertTrue(rs.next());
            assertTrue(rs.getString(2).contains("PLAIN_DICTIONARY") && rs.getString(2).contains("PLAIN,"), "s: " + rs.getString(2));
        }
    }

    private static long mixedLong(int i) {
        return i < 20_000 ? i % 50 - 1_000_000 : i;
    }

    private static String mixedString(int i) {
        return i < 20_000 ? "k" + (i % 50) : "distinct-value-" + i + "-" + "x".repeat(i % 17);
    }

    private SliceResult writeMixed(Path file, int total, int batch) throws Exception {
        Schema schema = new Schema(List.of(
                Field.nullable("s", ArrowType.Utf8.INSTANCE),
                Field.nullable("n", new ArrowType.Int(64, true))));
        try (SliceWriter w = SliceWriter.open(file, schema, SliceWriter.options().systemTime(SYS))) {
            for (int start = 0; start < total; start += batch) {
                int n = Math.min(batch, total - start);
                try (VectorSchemaRoot bt = VectorSchemaRoot.create(schema, alloc)) {
                    bt.allocateNew();
                    VarCharVector s = (VarCharVector) bt.getVector(0);
                    BigIntVector nv = (BigIntVector) bt.getVector(1);
                    for (int i = 0; i < n; i++) {
                        s.setSafe(i, TestTables.utf8(mixedString(start + i)));
                        nv.setSafe(i, mixedLong(start + i));
                    }
                    bt.setRowCount(n);
                    w.write(bt);
                }
            }
            return w.finish();
        }
    }

    @Test
    void timestampsOfEveryUnitWithoutNullsBecomeMillisecondsRoundedDown() throws Exception {
        long[] micros = {-1, 1_999, -1_001, 1_700_000_000_123_999L};
        TimeStampMicroVector et = new TimeStampMicroVector("event_time", alloc);
        org.apache.arrow.vector.TimeStampNanoVector ns = new org.apache.arrow.vector.TimeStampNanoVector("ns", alloc);
        org.apache.arrow.vector.TimeStampSecVector sec = new org.apache.arrow.vector.TimeStampSecVector("sec", alloc);
        et.allocateNew(micros.length);
        ns.allocateNew(micros.length);
        sec.allocateNew(micros.length);
        for (int i = 0; i < micros.length; i++) {
            et.set(i, micros[i]);
            ns.set(i, micros[i] * 1000 + 999);
            sec.set(i, micros[i] / 1000);
        }
        Path file = dir.resolve("units.parquet");
        try (VectorSchemaRoot b = VectorSchemaRoot.of(et, ns, sec);
             SliceWriter w = SliceWriter.open(file, b.getSchema(), SliceWriter.options().systemTime(SYS))) {
            b.setRowCount(micros.length);
            w.write(b);
            assertEquals(Instant.ofEpochMilli(1_700_000_000_123L), w.finish().maxEventTime());
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT epoch_ms(event_time), epoch_ms(ns), epoch_ms(sec) FROM read_parquet('" + file + "') ORDER BY \"offset\"")) {
            for (long us : micros) {
                assertTrue(rs.next());
                assertEquals(Math.floorDiv(us, 1000L), rs.getLong(1));
                assertEquals(Math.floorDiv(us * 1000 + 999, 1_000_000L), rs.getLong(2));
                assertEquals(us / 1000 * 1000, rs.getLong(3));
            }
            assertFalse(rs.next());
        }
    }

    @Test
    void eventTimeColumnNamedEventTimeMovesToSystemPosition() throws Exception {
        DateDayVector et = new DateDayVector("event_time", alloc);
        VarCharVector v = new VarCharVector("v", alloc);
        et.allocateNew(2);
        v.allocateNew(2);
        et.set(0, 1);
        et.set(1, 2);
        v.setSafe(0, TestTables.utf8("a"));
        v.setSafe(1, TestTables.utf8("b"));
        Path file = dir.resolve("e.parquet");
        try (VectorSchemaRoot b = VectorSchemaRoot.of(v, et);
             SliceWriter w = SliceWriter.open(file, b.getSchema(), SliceWriter.options().systemTime(SYS))) {
            b.setRowCount(2);
            w.write(b);
            SliceResult r = w.finish();
            assertEquals(Instant.parse("1970-01-03T00:00:00Z"), r.maxEventTime());
        }
        try (SliceReader rd = SliceReader.open(file, alloc, 10)) {
            assertEquals(List.of("offset", "op", "system_time", "event_time", "v"),
                    rd.schema().getFields().stream().map(f -> f.getName()).toList());
        }
    }

    @Test
    void emptySliceAndAbort() throws Exception {
        Path file = dir.resolve("empty.parquet");
        SliceResult r = writeCities(file, new int[] {}, SliceWriter.options().systemTime(SYS));
        assertEquals(0, r.rowCount());
        assertNull(r.offsetInterval());
        assertNull(r.maxEventTime());
        assertEquals(Multihash.sha3(Files.readAllBytes(file)), r.physicalHash());
        assertEquals(r.logicalHash(), SliceReader.logicalHash(file));

        Path aborted = dir.resolve("aborted.parquet");
        Schema schema;
        try (VectorSchemaRoot s = cities(0, 0)) {
            schema = s.getSchema();
        }
        try (SliceWriter w = SliceWriter.open(aborted, schema, SliceWriter.options().systemTime(SYS));
             VectorSchemaRoot b = cities(0, 2)) {
            w.write(b);
        }
        assertFalse(Files.exists(aborted));
    }

    @Test
    void rejectsBadInput() throws Exception {
        try (VectorSchemaRoot d1 = TestTables.d1(alloc, 2)) {
            // system columns present but not declared as such
            assertThrows(IllegalArgumentException.class,
                    () -> SliceWriter.open(dir.resolve("x.parquet"), d1.getSchema(), SliceWriter.options().systemTime(SYS)));
            // declared, but offsets don't start where the slice says
            try (SliceWriter w = SliceWriter.open(dir.resolve("y.parquet"), d1.getSchema(),
                    SliceWriter.options().systemColumnsIncluded().startOffset(5))) {
                assertThrows(IllegalArgumentException.class, () -> w.write(d1));
            }
        }
        assertFalse(Files.exists(dir.resolve("x.parquet")));
        assertFalse(Files.exists(dir.resolve("y.parquet")));
    }

    @Test
    void theBytesDoNotDependOnWhichThreadsEncodeAndTheFooterListsEncodingsInOrder() throws Exception {
        int total = 60_000;
        Schema schema;
        try (VectorSchemaRoot s = TestTables.random(alloc, new Random(7), 0, 0, 0, true)) {
            schema = s.getSchema();
        }
        Path pooled = dir.resolve("pooled.parquet");
        Path inline = dir.resolve("inline.parquet");
        SliceResult rp = writeRandom(pooled, schema, total, 9_000, SliceWriter.options().rowGroupBytes(256 << 10));
        SliceResult ri = writeRandom(inline, schema, total, 9_000, SliceWriter.options().rowGroupBytes(256 << 10).executor(Runnable::run));
        assertArrayEquals(Files.readAllBytes(inline), Files.readAllBytes(pooled));
        assertEquals(ri.physicalHash(), rp.physicalHash());
        assertEquals(ri.logicalHash(), rp.logicalHash());
        byte[] bytes = Files.readAllBytes(pooled);
        int n = bytes.length;
        int footerLen = java.nio.ByteBuffer.wrap(bytes, n - 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        var meta = org.apache.parquet.format.Util.readFileMetaData(new java.io.ByteArrayInputStream(bytes, n - 8 - footerLen, footerLen));
        int chunks = 0;
        for (var group : meta.getRow_groups()) {
            for (var chunk : group.getColumns()) {
                List<Integer> values = chunk.getMeta_data().getEncodings().stream().map(org.apache.parquet.format.Encoding::getValue).toList();
                assertEquals(values.stream().sorted().toList(), values);
                assertTrue(values.size() >= 2, "encodings " + values);
                chunks++;
            }
        }
        assertTrue(chunks > 10, "column chunks: " + chunks);
    }

    @Test
    void batchesKeptInsteadOfCopiedGiveTheSameBytesAndOutliveTheCallersBatch() throws Exception {
        int total = 60_000;
        Schema schema;
        try (VectorSchemaRoot s = TestTables.random(alloc, new Random(7), 0, 0, 0, true)) {
            schema = s.getSchema();
        }
        Path copied = dir.resolve("copied.parquet");
        Path kept = dir.resolve("kept.parquet");
        SliceResult rc = writeRandom(copied, schema, total, 9_000, SliceWriter.options().rowGroupBytes(256 << 10));
        // Each batch is closed as soon as write returns, while its encoding and hashing may still run: the writer's
        // references must keep the buffers alive (freed memory would change the bytes or fail the allocator's close).
        SliceResult rk = writeRandom(kept, schema, total, 9_000, SliceWriter.options().rowGroupBytes(256 << 10).batchesImmutable());
        assertArrayEquals(Files.readAllBytes(copied), Files.readAllBytes(kept));
        assertEquals(rc.physicalHash(), rk.physicalHash());
        assertEquals(rc.logicalHash(), rk.logicalHash());
        assertEquals(rk.logicalHash(), SliceReader.logicalHash(kept));
        assertEquals(0, alloc.getAllocatedMemory());
    }

    @Test
    // a failure must not leave the writer waiting for units that were skipped (a hang fails the test)
    @org.junit.jupiter.api.Timeout(value = 120, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aFailedWriteSurfacesAsIOExceptionAndLeavesNothingBehind() throws Exception {
        Schema schema;
        try (VectorSchemaRoot s = TestTables.random(alloc, new Random(7), 0, 0, 0, true)) {
            schema = s.getSchema();
        }
        long[] written = {0};
        java.io.OutputStream failing = new java.io.OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws java.io.IOException {
                if (written[0] + len > 300_000) throw new java.io.IOException("disk full");
                written[0] += len;
            }
        };
        int total = 60_000;
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> {
            // An executor that runs nothing: every unit runs when the writer waits, so the failure hits while it waits.
            try (SliceWriter w = SliceWriter.open(failing, schema, SliceWriter.options().systemTime(SYS).eventTimeColumn("ts")
                    .rowGroupBytes(64 << 10).allocator(alloc).executor(task -> {}))) {
                for (int start = 0; start < total; start += 5_000) {
                    try (VectorSchemaRoot bt = TestTables.random(alloc, new Random(7), total, start, 5_000, true)) {
                        w.write(bt);
                    }
                }
                w.finish();
            }
        });
        assertEquals("disk full", e.getMessage());
        assertEquals(0, alloc.getAllocatedMemory()); // every batch copy freed
    }
}
