package dev.sluice.data.read;

import static dev.sluice.data.read.ReadSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DataType;
import dev.sluice.odf.ReadStep;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeoJsonReaderTest {
    @TempDir
    Path dir;

    static final DataType STR = new DataType.String();
    static final DataType I64 = new DataType.Int64();

    /** name (required), pop, area, founded, geometry. */
    static final DataSchema CITIES = schema("name", STR, "pop", opt(I64), "area", opt(new DataType.Float64()),
            "founded", opt(new DataType.Date()), "geometry", opt(STR));

    static final String POINT = "{\"type\":\"Point\",\"coordinates\":[13.4,52.52]}";
    static final String POLYGON = "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[2,2],[2,4],[4,4],[4,2],[2,2]]]}";
    static final String MULTIPOLYGON = "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]}";
    static final String LINE = "{\"type\":\"LineString\",\"coordinates\":[[1.0e-5,-0.0],[2,3E+2]],\"bbox\":[0,0,2,300]}";

    /** One feature per line; the geometry written with spaces to show it comes out compact. */
    static final List<String> FEATURES = List.of(
            "{\"type\": \"Feature\", \"id\": 1, \"properties\": {\"name\": \"Alpha\", \"pop\": 1200, \"area\": 12.5, \"founded\": \"1850-06-01\", \"tags\": [\"a\", \"b\"]}, "
                    + "\"geometry\": " + POINT.replace(",", ", ").replace(":", ": ") + "}",
            // geometry before properties; a property named geometry is shadowed
            "{\"geometry\": " + POLYGON + ", \"type\": \"Feature\", \"properties\": {\"name\": \"Beta\", \"pop\": null, \"area\": 3, \"geometry\": \"shadowed\"}}",
            "{\"type\": \"Feature\", \"properties\": {\"name\": \"Gamma\", \"extra\": {\"deep\": [1, 2]}}, \"geometry\": " + MULTIPOLYGON + "}",
            "{\"type\": \"Feature\", \"properties\": {\"name\": \"Délta 😀\", \"pop\": 7}, \"geometry\": null}",
            "{\"type\": \"Feature\", \"properties\": {\"name\": \"Eps\", \"founded\": \"2000-01-01\"}, \"geometry\": " + LINE + ", \"bbox\": [1, 2, 3, 4]}");

    static final List<List<Object>> EXPECTED = List.of(
            Arrays.asList("Alpha", 1200L, 12.5, LocalDate.parse("1850-06-01"), POINT),
            Arrays.asList("Beta", null, 3.0, null, POLYGON),
            Arrays.asList("Gamma", null, null, null, MULTIPOLYGON),
            Arrays.asList("Délta 😀", 7L, null, null, null),
            Arrays.asList("Eps", null, null, LocalDate.parse("2000-01-01"), LINE));

    /** A FeatureCollection with the features on lines 4.., foreign members around them. */
    static String collection(List<String> features) {
        return "{\"type\": \"FeatureCollection\",\n\"name\": \"cities\", \"crs\": {\"type\": \"name\", \"properties\": {\"name\": \"EPSG:4326\"}},\n\"features\": [\n"
                + String.join(",\n", features) + "\n], \"bbox\": [0, 0, 10, 10]}\n";
    }

    static String lines(List<String> features) {
        return String.join("\n", features) + "\n";
    }

    static ReadStep.GeoJson geo(DataSchema s) {
        return new ReadStep.GeoJson(s, null);
    }

    static ReadStep.NdGeoJson ndgeo(DataSchema s) {
        return new ReadStep.NdGeoJson(s, null);
    }

    Path file(String name, String body) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, body, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void featuresBecomeRowsInEveryBatchSize() throws Exception {
        Path fc = file("cities.geojson", collection(FEATURES));
        Path nd = file("cities.ndgeojson", lines(FEATURES));
        for (int batch : new int[] {1, 2, 3, 1000}) {
            for (ReadStep step : List.of(geo(CITIES), ndgeo(CITIES))) {
                Path f = step instanceof ReadStep.GeoJson ? fc : nd;
                assertEquals(EXPECTED, read(step, Files.newInputStream(f), ReadOptions.defaults().batchRows(batch)), step.kind() + " batch " + batch);
            }
        }
        // "features" before "type", no foreign members; blank lines between NdGeoJson features
        assertEquals(EXPECTED.subList(0, 2), read(geo(CITIES), "{\"features\": [" + FEATURES.get(0) + "," + FEATURES.get(1) + "], \"type\": \"FeatureCollection\"}"));
        assertEquals(EXPECTED.subList(0, 2), read(ndgeo(CITIES), "\n" + FEATURES.get(0) + "\n\n\r\n" + FEATURES.get(1)));
        // an empty collection: no rows
        assertEquals(List.of(), read(geo(CITIES), "{\"type\": \"FeatureCollection\", \"features\": []}"));
        // a schema without a geometry column ignores it
        assertEquals(List.of(List.of("Alpha"), List.of("Beta")), read(geo(schema("name", STR)), collection(FEATURES.subList(0, 2))));
    }

    @Test
    void schemaInferredFromFeatures() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("name", "Utf8");
        expected.put("pop", "Int(64, true)");
        expected.put("area", "FloatingPoint(DOUBLE)");
        expected.put("founded", "Utf8");
        expected.put("tags", "List");
        expected.put("extra", "Struct");
        expected.put("geometry", "Utf8");
        for (ReadStep step : List.of(geo(null), ndgeo(null))) {
            String body = step instanceof ReadStep.GeoJson ? collection(FEATURES) : lines(FEATURES);
            Schema s = schemaOf(step, body);
            Map<String, String> got = new LinkedHashMap<>();
            for (Field f : s.getFields()) got.put(f.getName(), f.getType().toString());
            assertEquals(expected, got, step.kind());
            assertTrue(s.getFields().stream().allMatch(Field::isNullable));
            // (the sample is the first batch, so batches of at least 5 features see every property)
            for (int batch : new int[] {5, 1000}) {
                List<List<Object>> rows = read(step, in(body), ReadOptions.defaults().batchRows(batch));
                assertEquals(5, rows.size());
                assertEquals(Arrays.asList("Alpha", 1200L, 12.5, "1850-06-01", List.of("a", "b"), null, POINT), rows.get(0));
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("deep", List.of(1L, 2L));
                assertEquals(Arrays.asList("Gamma", null, null, null, null, extra, MULTIPOLYGON), rows.get(2));
                assertEquals(Arrays.asList("Délta 😀", 7L, null, null, null, null, null), rows.get(3));
            }
        }
        // a sample of 2 features: the others are read from the stream in the schema the first two gave
        List<List<Object>> two = read(ndgeo(null), in(lines(FEATURES)), ReadOptions.defaults().batchRows(2));
        assertEquals(List.of(Arrays.asList("Alpha", 1200L, 12.5, "1850-06-01", List.of("a", "b"), POINT),
                Arrays.asList("Beta", null, 3.0, null, null, POLYGON),
                Arrays.asList("Gamma", null, null, null, null, MULTIPOLYGON),
                Arrays.asList("Délta 😀", 7L, null, null, null, null),
                Arrays.asList("Eps", null, null, "2000-01-01", null, LINE)), two);
        // no properties anywhere: just the geometry
        assertEquals(List.of("geometry"), schemaOf(geo(null), collection(List.of("{\"type\":\"Feature\",\"properties\":null,\"geometry\":null}")))
                .getFields().stream().map(Field::getName).toList());
    }

    record Case(String what, ReadStep step, String body, String expect) {}

    static List<Case> errorCases() {
        String f0 = FEATURES.get(0);
        List<Case> cs = new ArrayList<>();
        // value coercion: names feature, line, property and value
        cs.add(new Case("wrong type", geo(CITIES), collection(List.of(f0, f0.replace("1200", "\"abc\""))),
                "feature 2 (line 5), property \"pop\": cannot parse 'abc' as Int64"));
        cs.add(new Case("wrong type nd", ndgeo(CITIES), lines(List.of(f0, "", f0.replace("12.5", "\"wide\""))),
                "feature 2 (line 3), property \"area\": cannot parse 'wide' as Float64"));
        cs.add(new Case("bad date", geo(CITIES), collection(List.of(f0.replace("1850-06-01", "1850-13-01"))),
                "feature 1 (line 4), property \"founded\": cannot parse '1850-13-01' as Date"));
        cs.add(new Case("missing required", geo(CITIES), collection(List.of(f0, FEATURES.get(1).replace("\"name\": \"Beta\", ", ""))),
                "feature 2 (line 5), property \"name\": missing value (column is not nullable)"));
        cs.add(new Case("null properties", ndgeo(CITIES), lines(List.of("{\"type\":\"Feature\",\"properties\":null,\"geometry\":null}")),
                "feature 1 (line 1), property \"name\": missing value (column is not nullable)"));
        cs.add(new Case("null required", geo(CITIES), collection(List.of(f0.replace("\"Alpha\"", "null"))),
                "feature 1 (line 4), property \"name\": null value (column is not nullable)"));
        cs.add(new Case("object for a string", geo(CITIES), collection(List.of(f0.replace("\"Alpha\"", "{\"x\": 1}"))),
                "feature 1 (line 4), property \"name\": expected a String value, found an object"));
        cs.add(new Case("null geometry, required", geo(schema("name", STR, "geometry", STR)), collection(FEATURES.subList(2, 4)),
                "feature 2 (line 5), geometry: null value (column is not nullable)"));
        cs.add(new Case("geometry column not a string", geo(schema("name", STR, "geometry", opt(I64))), collection(FEATURES),
                "column \"geometry\" must be a String to hold the GeoJSON geometry, but the schema has Int64"));
        // wrong shapes
        cs.add(new Case("a Feature, not a collection", geo(CITIES), f0, "expected a GeoJSON FeatureCollection, found type 'Feature' at line 1"));
        cs.add(new Case("a geometry, not a collection", geo(CITIES), POINT, "expected a GeoJSON FeatureCollection, found type 'Point' at line 1"));
        cs.add(new Case("an array", geo(CITIES), "[" + f0 + "]", "expected a GeoJSON FeatureCollection object, found an array at line 1, column 1"));
        cs.add(new Case("type not a string", geo(CITIES), "{\"type\": 7, \"features\": []}", "expected a GeoJSON FeatureCollection, found \"type\": a number"));
        cs.add(new Case("no features", geo(CITIES), "{\"type\": \"FeatureCollection\", \"bbox\": [1, 2]}", "GeoJSON FeatureCollection has no \"features\" array"));
        cs.add(new Case("no type", geo(CITIES), "{\"features\": [" + f0 + "]}", "not a GeoJSON FeatureCollection: no \"type\": \"FeatureCollection\" member"));
        cs.add(new Case("neither", geo(CITIES), "{\"a\": 1}", "expected a GeoJSON FeatureCollection, found an object with neither \"type\" nor \"features\""));
        cs.add(new Case("features an object", geo(CITIES), "{\"type\": \"FeatureCollection\", \"features\": {}}", "GeoJSON \"features\" must be an array, found an object"));
        cs.add(new Case("feature a number", geo(CITIES), collection(List.of(f0, "42")), "feature 2: expected a GeoJSON Feature object, found a number at line 5, column 1"));
        cs.add(new Case("nd feature an array", ndgeo(CITIES), lines(List.of(f0, "[1]")), "feature 2: expected a GeoJSON Feature object, found an array at line 2, column 1"));
        cs.add(new Case("nd bare geometry", ndgeo(CITIES), lines(List.of(POINT)), "feature 1 (line 1): expected \"type\": \"Feature\", found 'Point'"));
        cs.add(new Case("feature without type", geo(CITIES), collection(List.of(f0.replace("\"type\": \"Feature\", ", ""))),
                "feature 1 (line 4): not a GeoJSON Feature (no \"type\": \"Feature\" member)"));
        cs.add(new Case("feature without geometry", geo(CITIES), collection(List.of("{\"type\": \"Feature\", \"properties\": {\"name\": \"x\"}}")),
                "feature 1 (line 4): no \"geometry\" member (null for a feature without a location)"));
        cs.add(new Case("geometry a string", geo(CITIES), collection(List.of(f0.replace(POINT.replace(",", ", ").replace(":", ": "), "\"POINT (1 2)\""))),
                "feature 1 (line 4): \"geometry\" must be an object or null, found a string"));
        cs.add(new Case("geometry without type", ndgeo(CITIES), lines(List.of(f0, f0.replace("\"type\": \"Point\", ", ""))),
                "feature 2 (line 2), geometry: no \"type\" member"));
        cs.add(new Case("unknown geometry type", ndgeo(CITIES), lines(List.of(f0.replace("\"Point\"", "\"Circle\""))),
                "feature 1 (line 1), geometry: unknown geometry type 'Circle'"));
        cs.add(new Case("properties an array", geo(CITIES), collection(List.of(f0.replace("\"properties\": {", "\"properties\": [{").replace("]}, \"geometry\"", "]}], \"geometry\""))),
                "feature 1 (line 4): \"properties\" must be an object or null, found an array"));
        cs.add(new Case("two geometries", ndgeo(CITIES), lines(List.of("{\"type\":\"Feature\",\"properties\":{\"name\":\"x\"},\"geometry\":null,\"geometry\":null}")),
                "feature 1 (line 1): two \"geometry\" members"));
        // bad JSON, truncation, empties, trailing data
        cs.add(new Case("bad JSON in a feature", geo(CITIES), collection(List.of(f0, f0.replace("\"pop\": 1200", "\"pop\" 1200"))),
                "feature 2 (line 5): invalid JSON at line 5"));
        cs.add(new Case("bad JSON nd", ndgeo(CITIES), lines(List.of(f0, "{\"type\": Feature}")), "feature 2 (line 2): invalid JSON at line 2, column 18: Unrecognized token 'Feature'"));
        cs.add(new Case("truncated collection", geo(CITIES), collection(FEATURES).substring(0, 400), "feature 2 (line 5): truncated JSON at line 5, column 81"));
        cs.add(new Case("truncated nd", ndgeo(CITIES), lines(FEATURES).substring(0, 100), "feature 1 (line 1): truncated JSON at line 1, column 101"));
        cs.add(new Case("empty", geo(CITIES), "", "empty input: no GeoJSON value"));
        cs.add(new Case("blank nd", ndgeo(CITIES), "\n \n", "empty input: no JSON records"));
        cs.add(new Case("trailing data", geo(CITIES), collection(List.of(f0)) + "{}", "unexpected an object after the GeoJSON FeatureCollection"));
        cs.add(new Case("two feature arrays", geo(CITIES), "{\"type\": \"FeatureCollection\", \"features\": [], \"features\": []}",
                "GeoJSON FeatureCollection has two \"features\" members"));
        // the same shape errors while the schema is inferred
        cs.add(new Case("inferring: feature a string", geo(null), collection(List.of(f0, "\"x\"")), "feature 2: expected a GeoJSON Feature object, found a string at line 5"));
        cs.add(new Case("inferring: bad geometry", ndgeo(null), lines(List.of(f0, f0.replace("\"Point\"", "1"))), "feature 2 (line 2), geometry: \"type\" must be a string, found a number"));
        // a value error in a feature buffered for inference (batch 1000: pop inferred String) or read after the
        // sample (batch 1: pop inferred Int64) names its line alike
        cs.add(new Case("inferring: object where the sample made a scalar", geo(null),
                collection(List.of(f0, f0.replace("\"pop\": 1200", "\"pop\": {\"a\": 1}"))),
                "feature 2 (line 5), property \"pop\": expected a "));
        cs.add(new Case("inferring: no type", geo(null), "{\"features\": [" + f0 + "]}", "not a GeoJSON FeatureCollection"));
        return cs;
    }

    @Test
    void errorsNameFeatureLinePropertyAndValue() {
        for (Case c : errorCases()) {
            for (int batch : new int[] {1, 1000}) {
                String m;
                try {
                    m = error(c.step, in(c.body), ReadOptions.defaults().batchRows(batch));
                } catch (Throwable t) {
                    fail(c.what + ": " + t, t);
                    return;
                }
                assertTrue(m.startsWith(c.expect), c.what + " (batch " + batch + "): expected '" + c.expect + "...', got: " + m);
            }
        }
    }

    @Test
    void mediaTypesOpenTheGeoReaders() {
        ReadStep.NdJson source = ndjson(CITIES);
        ReadStep g = RecordReaders.forMediaType(source, "application/geo+json");
        assertEquals(geo(CITIES), g);
        assertEquals(ndgeo(CITIES), RecordReaders.forMediaType(source, "application/x-ndgeojson"));
        assertEquals("application/geo+json", RecordReaders.mediaType(g));
        assertEquals(EXPECTED, read(g, collection(FEATURES)));
        assertEquals(EXPECTED, read(RecordReaders.forMediaType(source, "application/x-ndgeojson"), lines(FEATURES)));
    }

    /** The values survive a slice: DuckDB reads the Parquet and parses the geometry text as JSON. */
    @Test
    void sliceReadBackByDuckDb() throws Exception {
        for (ReadStep step : List.of(geo(CITIES), ndgeo(null))) {
            Path in = file("in-" + step.kind(), step instanceof ReadStep.GeoJson ? collection(FEATURES) : lines(FEATURES));
            Path slice = dir.resolve("slice-" + step.kind() + ".parquet");
            toSlice(step, in, slice, 2);
            Map<String, String> types = duckdbTypes(slice);
            assertEquals("VARCHAR", types.get("name"));
            assertEquals("BIGINT", types.get("pop"));
            assertEquals("DOUBLE", types.get("area"));
            assertEquals("VARCHAR", types.get("geometry"));
            assertEquals(step instanceof ReadStep.GeoJson ? "DATE" : "VARCHAR", types.get("founded"));
            List<List<Object>> rows = duckdb("SELECT \"offset\", name, pop, area, geometry, geometry::JSON->>'type', "
                    + "json_array_length(geometry::JSON->'coordinates')::BIGINT FROM read_parquet('" + slice + "') ORDER BY \"offset\"");
            assertEquals(List.of(
                    Arrays.asList(0L, "Alpha", 1200L, 12.5, POINT, "Point", 2L),
                    Arrays.asList(1L, "Beta", null, 3.0, POLYGON, "Polygon", 2L),
                    Arrays.asList(2L, "Gamma", null, null, MULTIPOLYGON, "MultiPolygon", 2L),
                    Arrays.asList(3L, "Délta 😀", 7L, null, null, null, null),
                    Arrays.asList(4L, "Eps", null, null, LINE, "LineString", 2L)), rows, step.kind());
        }
    }

    /** A FeatureCollection of ~150 MB (more than the test heap) streams through with bounded Arrow memory. */
    @Test
    void largeFeatureCollectionStreams() {
        long features = 1_000_000;
        long maxHeap = Runtime.getRuntime().maxMemory();
        FeatureGen gen = new FeatureGen(features);
        long count = 0, popSum = 0, geometryBytes = 0;
        DataSchema s = schema("id", I64, "pop", I64, "name", STR, "geometry", STR);
        try (BufferAllocator a = new RootAllocator(); RecordReader r = RecordReaders.open(geo(s), gen, ReadOptions.defaults().allocator(a))) {
            while (r.hasNext()) {
                VectorSchemaRoot b = r.next();
                BigIntVector pop = (BigIntVector) b.getVector("pop");
                VarCharVector g = (VarCharVector) b.getVector("geometry");
                for (int i = 0; i < b.getRowCount(); i++) {
                    popSum += pop.get(i);
                    geometryBytes += g.get(i).length;
                }
                count += b.getRowCount();
            }
            assertTrue(a.getPeakMemoryAllocation() < 96L << 20, "Arrow peak " + a.getPeakMemoryAllocation());
        }
        assertEquals(features, count);
        assertEquals(features * (features - 1) / 2 * 3, popSum);
        assertTrue(gen.bytes > maxHeap, "test must run with a heap smaller than the input (" + gen.bytes + " bytes, heap " + maxHeap + ")");
        long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.out.printf("streamed %d bytes of GeoJSON (%d bytes of geometry); max heap %d MB, sum of heap pool peaks %d MB%n",
                gen.bytes, geometryBytes, maxHeap >> 20, peakHeap >> 20);
    }

    /** {"type":"FeatureCollection","features":[...]} with generated Polygon features, produced on the fly. */
    static final class FeatureGen extends InputStream {
        private final long features;
        private long next;
        private byte[] cur = "{\"type\":\"FeatureCollection\",\"features\":[\n".getBytes(StandardCharsets.UTF_8);
        private int at;
        private boolean closed;
        long bytes;

        FeatureGen(long features) {
            this.features = features;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (at == cur.length) {
                if (closed) return -1;
                StringBuilder sb = new StringBuilder(200_000);
                for (int k = 0; k < 1000 && next < features; k++, next++) {
                    long i = next;
                    double x = (i % 3600) / 10.0 - 180, y = (i % 1700) / 10.0 - 85;
                    sb.append(i == 0 ? "" : ",\n").append("{\"type\":\"Feature\",\"properties\":{\"id\":").append(i).append(",\"pop\":").append(i * 3)
                            .append(",\"name\":\"feature ").append(i).append("\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[")
                            .append(x).append(',').append(y).append("],[").append(x + 0.1).append(',').append(y).append("],[")
                            .append(x + 0.1).append(',').append(y + 0.1).append("],[").append(x).append(',').append(y).append("]]]}}");
                }
                if (next == features) {
                    sb.append("\n]}\n");
                    closed = true;
                }
                cur = sb.toString().getBytes(StandardCharsets.UTF_8);
                at = 0;
            }
            int n = Math.min(len, cur.length - at);
            System.arraycopy(cur, at, b, off, n);
            at += n;
            bytes += n;
            return n;
        }
    }

}
