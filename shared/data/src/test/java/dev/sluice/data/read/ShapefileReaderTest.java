package dev.sluice.data.read;

import static dev.sluice.data.read.ReadSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DataType;
import dev.sluice.odf.ReadStep;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EsriShapefile archives written by pyshp (src/test/resources/shapefile/make_fixtures.py, an independent writer);
 * the expected geometries are pyshp's own {@code __geo_interface__}, with polygons and lines as kamu's Multi* types.
 */
class ShapefileReaderTest {
    @TempDir
    Path dir;

    static final String ZURICH = "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[0,10],[10,10],[10,0],[0,0]],[[2,2],[4,2],[4,4],[2,4],[2,2]]]]}";
    static final String TWIN = "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[20,20],[20,21],[21,21],[21,20],[20,20]]],"
            + "[[[30,30],[30,32.5],[32.5,32.5],[32.5,30],[30,30]]]]}";
    static final String TRI = "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[-1.5,-1.5],[-1.5,1.5],[1.5,-1.5],[-1.5,-1.5]]]]}";

    static final List<List<Object>> DISTRICTS = List.of(
            Arrays.asList("Zürich", 421878L, 87.88, LocalDate.parse("1262-06-01"), true, 0.5, ZURICH),
            Arrays.asList("Twin Isles", null, 2.25, null, false, null, TWIN),
            Arrays.asList("Nowhere", 0L, null, LocalDate.parse("2000-01-31"), null, -1.25, null),
            Arrays.asList("Tri", 7L, 1.125, LocalDate.parse("1999-12-31"), true, 0.001, TRI));

    static ReadStep.EsriShapefile shp(DataSchema s, String subPath) {
        return new ReadStep.EsriShapefile(s, null, subPath);
    }

    static byte[] fixture(String name) throws IOException {
        try (InputStream s = ShapefileReaderTest.class.getResourceAsStream("/shapefile/" + name)) {
            return s.readAllBytes();
        }
    }

    static List<List<Object>> read(ReadStep step, byte[] zip, int batch) {
        return ReadSupport.read(step, new ByteArrayInputStream(zip), ReadOptions.defaults().batchRows(batch));
    }

    static String error(ReadStep step, byte[] zip) {
        return ReadSupport.error(step, new ByteArrayInputStream(zip), ReadOptions.defaults());
    }

    /** The archive's members, editable. */
    static Map<String, byte[]> members(byte[] zip) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) m.put(e.getName(), z.readAllBytes());
        }
        return m;
    }

    static byte[] zip(Map<String, byte[]> members) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (var e : members.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    static byte[] edit(byte[] zip, Consumer<Map<String, byte[]>> change) throws IOException {
        Map<String, byte[]> m = members(zip);
        change.accept(m);
        return zip(m);
    }

    @Test
    void polygonsWithAttributesInEveryBatchSize() throws Exception {
        byte[] zip = fixture("districts.zip");
        for (int batch : new int[] {1, 3, 1000}) assertEquals(DISTRICTS, read(shp(null, null), zip, batch), "batch " + batch);
        List<String> cols = new ArrayList<>();
        for (Field f : schemaOf(shp(null, null), new ByteArrayInputStream(zip)).getFields()) cols.add(f.getName() + ":" + f.getType());
        assertEquals(List.of("NAME:Utf8", "POP:Int(64, true)", "AREA:FloatingPoint(DOUBLE)", "FOUNDED:Date(DAY)", "CAPITAL:Bool",
                "RATIO:FloatingPoint(DOUBLE)", "geometry:Utf8"), cols);
        // a schema: matched case-insensitively, coerced, missing optional columns null, no geometry column = not kept
        DataSchema s = schema("name", new DataType.String(), "founded", opt(new DataType.Timestamp(null, null)), "pop", opt(new DataType.String()),
                "zzz", opt(new DataType.Int32()));
        assertEquals(List.of(
                Arrays.asList("Zürich", ts("1262-06-01T00:00:00Z"), "421878", null),
                Arrays.asList("Twin Isles", null, null, null),
                Arrays.asList("Nowhere", ts("2000-01-31T00:00:00Z"), "0", null),
                Arrays.asList("Tri", ts("1999-12-31T00:00:00Z"), "7", null)), read(shp(s, null), zip, 2));
    }

    static org.apache.arrow.vector.types.pojo.Schema schemaOf(ReadStep step, ByteArrayInputStream in) {
        try (RecordReader r = RecordReaders.open(step, in)) {
            return r.schema();
        }
    }

    @Test
    void subPathChoosesAmongSeveralShapefiles() throws Exception {
        byte[] zip = fixture("multi.zip");
        assertEquals("EsriShapefile: the archive has several .shp files 'extra/stations.shp', 'roads.shp', 'towns.shp'; choose one with subPath",
                error(shp(null, null), zip));
        assertEquals(List.of(
                Arrays.asList(1L, "HB", "{\"type\":\"Point\",\"coordinates\":[8.5417,47.3769,408]}"),
                Arrays.asList(2L, "Bern", "{\"type\":\"Point\",\"coordinates\":[7.4474,46.948,540.5]}")), read(shp(null, "extra/stations.shp"), zip, 1));
        assertEquals(List.of(Arrays.asList("A1", "{\"type\":\"MultiLineString\",\"coordinates\":[[[0,0],[1,1],[2,1]],[[5,5],[6,6]]]}")),
                read(shp(null, "road*.shp"), zip, 10));
        assertEquals(List.of(Arrays.asList(3L, "{\"type\":\"MultiPoint\",\"coordinates\":[[1,2],[3,4],[5.25,6]]}")), read(shp(null, "towns.shp"), zip, 10));
        assertEquals(2, read(shp(null, "**/*.shp"), zip, 10).size(), "** needs a folder: only extra/stations.shp");
        assertEquals("EsriShapefile: several .shp files match subPath '*.shp': 'roads.shp', 'towns.shp'", error(shp(null, "*.shp"), zip));
        assertEquals("EsriShapefile: no .shp file matches subPath 'nope.shp' (the archive has 'extra/stations.shp', 'roads.shp', 'towns.shp')",
                error(shp(null, "nope.shp"), zip));
        assertEquals("EsriShapefile: subPath 'roads.dbf' is not a .shp file", error(shp(null, "roads.dbf"), zip));
    }

    record Case(String what, ReadStep step, byte[] zip, String expect) {}

    @Test
    void errorsNameTheRecordAndField() throws Exception {
        byte[] d = fixture("districts.zip");
        DataSchema required = schema("NAME", new DataType.String(), "POP", new DataType.Int64());
        List<Case> cs = new ArrayList<>();
        cs.add(new Case("empty", shp(null, null), new byte[0], "empty input: no EsriShapefile archive"));
        cs.add(new Case("not a zip", shp(null, null), "NAME,POP\nx,1\n".getBytes(StandardCharsets.UTF_8), "EsriShapefile: not a readable zip archive (13 bytes)"));
        cs.add(new Case("truncated zip", shp(null, null), Arrays.copyOf(d, d.length / 2), "EsriShapefile: not a readable zip archive"));
        cs.add(new Case("no shp", shp(null, null), edit(d, m -> m.remove("districts.shp")), "EsriShapefile: the archive has no .shp file"));
        cs.add(new Case("no dbf", shp(null, null), edit(d, m -> m.remove("districts.dbf")), "EsriShapefile: 'districts.shp' has no 'districts.dbf' beside it"));
        cs.add(new Case("wrong type", shp(schema("CAPITAL", opt(new DataType.Int64())), null), d, "record 1, field \"CAPITAL\": cannot parse 'T' as Int64"));
        cs.add(new Case("missing required value", shp(required, null), d, "record 2, field \"POP\": missing value (column is not nullable)"));
        cs.add(new Case("null shape, required geometry", shp(schema("geometry", new DataType.String()), null), d,
                "record 3, geometry: null shape (column is not nullable)"));
        cs.add(new Case("required column absent", shp(schema("NAME", new DataType.String(), "KIND", new DataType.String()), null), d,
                "EsriShapefile: 'districts.dbf' has no field \"KIND\" (column is not nullable)"));
        cs.add(new Case("geometry not a string", shp(schema("geometry", new DataType.Int64()), null), d,
                "column \"geometry\" must be a String to hold the GeoJSON geometry, but the schema has Int64"));
        cs.add(new Case("not a shapefile", shp(null, null), edit(d, m -> m.put("districts.shp", Arrays.copyOf("hello".getBytes(StandardCharsets.UTF_8), 100))),
                "EsriShapefile: 'districts.shp' is not a shapefile (bad file code)"));
        cs.add(new Case("truncated shp", shp(null, null), edit(d, m -> m.put("districts.shp", Arrays.copyOf(m.get("districts.shp"), 300))),
                "EsriShapefile: truncated file: end of data in shape"));
        cs.add(new Case("truncated dbf", shp(null, null), edit(d, m -> m.put("districts.dbf", Arrays.copyOf(m.get("districts.dbf"), 400))),
                "EsriShapefile: truncated file: end of data in record 3 of 'districts.dbf'"));
        cs.add(new Case("more records than shapes", shp(null, null), edit(d, m -> setInt(m.get("districts.dbf"), 4, 5)),
                "EsriShapefile: 'districts.shp' and 'districts.dbf' disagree: only 4 shapes for 5 attribute records"));
        cs.add(new Case("more shapes than records", shp(null, null), edit(d, m -> setInt(m.get("districts.dbf"), 4, 3)),
                "EsriShapefile: 'districts.shp' and 'districts.dbf' disagree: more shapes than the 3 attribute records"));
        cs.add(new Case("unsupported field type", shp(null, null), edit(d, m -> m.get("districts.dbf")[32 + 11] = 'M'),
                "EsriShapefile: field \"NAME\" of 'districts.dbf' has dBase type 'M', which is not supported (C, N, F, L, D, I are)"));
        cs.add(new Case("bad date", shp(null, null), edit(d, m -> replace(m.get("districts.dbf"), "20000131", "20001331")),
                "record 3, field \"FOUNDED\": cannot parse '20001331' as a dBase date (YYYYMMDD)"));
        cs.add(new Case("bad number", shp(null, null), edit(d, m -> replace(m.get("districts.dbf"), "421878", "42x878")),
                "record 1, field \"POP\": cannot parse '42x878' as Int64"));
        cs.add(new Case("bad shape type", shp(null, null), edit(d, m -> setInt(m.get("districts.shp"), 108, 31)),
                "record 1: shape type 31 is not supported (MultiPatch)"));
        cs.add(new Case("bad cpg", shp(null, null), edit(d, m -> m.put("districts.cpg", "KLINGON".getBytes(StandardCharsets.US_ASCII))),
                "EsriShapefile: unsupported encoding 'KLINGON' in 'districts.cpg'"));
        for (Case c : cs) {
            String m;
            try {
                m = error(c.step, c.zip);
            } catch (Throwable t) {
                fail(c.what + ": " + t, t);
                return;
            }
            assertTrue(m.startsWith(c.expect), c.what + ": expected '" + c.expect + "...', got: " + m);
        }
    }

    static void setInt(byte[] b, int at, int v) {
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(at, v);
    }

    static void replace(byte[] b, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i + f.length <= b.length; i++) {
            if (Arrays.equals(b, i, i + f.length, f, 0, f.length)) {
                System.arraycopy(to.getBytes(StandardCharsets.ISO_8859_1), 0, b, i, f.length);
                return;
            }
        }
        throw new AssertionError("not found: " + from);
    }

    @Test
    void deletedRecordsAndEncodings() throws Exception {
        byte[] d = fixture("districts.zip");
        // the second record flagged deleted: skipped, shape and attributes alike
        int header = 32 + 6 * 32 + 1, recordLength = 1 + 40 + 10 + 12 + 8 + 1 + 10;
        byte[] deleted = edit(d, m -> m.get("districts.dbf")[header + recordLength] = '*');
        assertEquals(List.of(DISTRICTS.get(0), DISTRICTS.get(2), DISTRICTS.get(3)), read(shp(null, null), deleted, 2));
        // text: the .cpg's charset; without one UTF-8 when valid, else ISO-8859-1
        byte[] latin1 = edit(d, m -> {
            byte[] dbf = m.get("districts.dbf");
            byte[] utf8 = "Zürich".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i + utf8.length <= dbf.length; i++) {
                if (Arrays.equals(dbf, i, i + utf8.length, utf8, 0, utf8.length)) {
                    byte[] l = "Zürich ".getBytes(StandardCharsets.ISO_8859_1);
                    System.arraycopy(l, 0, dbf, i, l.length);
                    return;
                }
            }
            throw new AssertionError("no Zürich");
        });
        assertEquals("Zürich", read(shp(null, null), latin1, 10).get(0).get(0));
        assertEquals("Zürich", read(shp(null, null), edit(latin1, m -> m.put("districts.cpg", "1252".getBytes(StandardCharsets.US_ASCII))), 10).get(0).get(0));
        assertEquals("Zürich", read(shp(null, null), edit(d, m -> m.put("districts.cpg", "UTF-8\n".getBytes(StandardCharsets.US_ASCII))), 10).get(0).get(0));
        assertEquals("Z\u00c3\u00bcrich", read(shp(null, null), edit(d, m -> m.put("districts.cpg", "ISO-8859-1".getBytes(StandardCharsets.US_ASCII))), 10)
                .get(0).get(0), "the .cpg wins over the UTF-8 guess");
    }

    /** The values survive a slice: DuckDB reads the Parquet and parses the geometry text as JSON. */
    @Test
    void sliceReadBackByDuckDb() throws Exception {
        Path in = dir.resolve("districts.zip");
        Files.write(in, fixture("districts.zip"));
        Path slice = dir.resolve("slice.parquet");
        toSlice(RecordReaders.forMediaType(null, "application/vnd.shp"), in, slice, 3);
        Map<String, String> types = duckdbTypes(slice);
        assertEquals("VARCHAR", types.get("NAME"));
        assertEquals("BIGINT", types.get("POP"));
        assertEquals("DATE", types.get("FOUNDED"));
        assertEquals("BOOLEAN", types.get("CAPITAL"));
        assertEquals("VARCHAR", types.get("geometry"));
        assertEquals(List.of(
                Arrays.asList("Zürich", 421878L, "MultiPolygon", 1L, 2L),
                Arrays.asList("Twin Isles", null, "MultiPolygon", 2L, 1L),
                Arrays.asList("Nowhere", 0L, null, null, null),
                Arrays.asList("Tri", 7L, "MultiPolygon", 1L, 1L)),
                duckdb("SELECT NAME, POP, geometry::JSON->>'type', json_array_length(geometry::JSON->'coordinates')::BIGINT, "
                        + "json_array_length(geometry::JSON->'coordinates'->0)::BIGINT FROM read_parquet('" + slice + "') ORDER BY \"offset\""));
    }

    /** Random byte changes inside the members (re-zipped, so the zip itself is valid): read fine or BadInputException. */
    @Test
    void randomCorruptionOnlyEverThrowsBadInputException() throws Exception {
        Random r = new Random(11);
        byte[] d = fixture("districts.zip");
        Map<String, byte[]> base = members(d);
        int failures = 0;
        for (int k = 0; k < 300; k++) {
            Map<String, byte[]> m = new LinkedHashMap<>();
            base.forEach((n, b) -> m.put(n, b.clone()));
            String member = k % 2 == 0 ? "districts.shp" : "districts.dbf";
            byte[] b = m.get(member);
            for (int j = 1 + r.nextInt(3); j > 0; j--) {
                if (r.nextInt(5) == 0) {
                    m.put(member, b = Arrays.copyOf(b, r.nextInt(b.length)));
                } else if (b.length > 0) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
            }
            try {
                read(shp(null, null), zip(m), 1 + k % 3);
            } catch (BadInputException e) {
                failures++;
                if (e.getMessage().isEmpty() || e.getMessage().contains("\n")) fail("bad message: " + e.getMessage());
            }
        }
        assertTrue(failures > 50, "most corruptions are detected: " + failures);
    }

    static Instant ts(String s) {
        return Instant.parse(s);
    }
}
