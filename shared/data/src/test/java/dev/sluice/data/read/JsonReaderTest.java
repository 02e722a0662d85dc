package dev.sluice.data.read;

import static dev.sluice.data.read.ReadSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.data.OdfArrow;
import dev.sluice.odf.DataField;
import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DataType;
import dev.sluice.odf.DatasetSnapshot;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.ReadStep;
import dev.sluice.odf.yaml.ManifestYaml;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

class JsonReaderTest {
    static final DataType I64 = new DataType.Int64();
    static final DataType STR = new DataType.String();

    static List<Object> row(Object... v) {
        return Arrays.asList(v);
    }

    static Path sharedDir() {
        String prop = System.getProperty("sluice.sharedDir");
        if (prop != null && Files.isDirectory(Path.of(prop, "fixtures"))) return Path.of(prop);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("shared").resolve("fixtures"))) return p.resolve("shared");
        }
        throw new IllegalStateException("shared fixtures not found");
    }

    static ReadStep playerScoresRead() throws Exception {
        DatasetSnapshot s = ManifestYaml.readSnapshot(Files.readString(
                sharedDir().resolve("fixtures/manifests/kamu-cli__leaderboard__player-scores.yaml")));
        for (MetadataEvent e : s.metadata()) if (e instanceof MetadataEvent.AddPushSource p) return p.read();
        throw new AssertionError("no AddPushSource");
    }

    @Test
    void playerScoresFixture() throws Exception {
        ReadStep step = playerScoresRead();
        assertTrue(step instanceof ReadStep.NdJson);
        String body = """
                {"match_time": "2000-01-01", "match_id": 1, "player_id": "Alice", "score": 100}
                {"match_time": "2000-01-01", "match_id": 1, "player_id": "Bob", "score": 80}
                {"match_time": "2000-01-02T10:00:00Z", "match_id": 2, "player_id": "Alice", "score": 70, "extra": [1, {"x": 2}]}

                {"player_id": "Charlie", "score": 90, "match_id": 2, "match_time": "2000-01-02 10:00:00.5"}
                """;
        assertEquals(List.of(
                row(ts("2000-01-01T00:00:00Z"), 1L, "Alice", 100L),
                row(ts("2000-01-01T00:00:00Z"), 1L, "Bob", 80L),
                row(ts("2000-01-02T10:00:00Z"), 2L, "Alice", 70L),
                row(ts("2000-01-02T10:00:00.500Z"), 2L, "Charlie", 90L)), read(step, body));
        Schema sc = schemaOf(step, body);
        assertEquals(new ArrowType.Timestamp(org.apache.arrow.vector.types.TimeUnit.MILLISECOND, "UTC"), sc.getFields().get(0).getType());
        assertFalse(sc.getFields().get(0).isNullable());
        assertEquals("row 2, column \"score\": missing value (column is not nullable)",
                error(step, "{\"match_time\": \"2000-01-01\", \"match_id\": 1, \"player_id\": \"A\", \"score\": 1}\n"
                        + "{\"match_time\": \"2000-01-01\", \"match_id\": 1, \"player_id\": \"B\"}\n"));
        assertEquals("row 1, column \"score\": cannot parse 'abc' as Int64",
                error(step, "{\"match_time\": \"2000-01-01\", \"match_id\": 1, \"player_id\": \"A\", \"score\": \"abc\"}\n"));
        assertEquals("row 1, column \"score\": cannot parse '1.5' as Int64",
                error(step, "{\"match_time\": \"2000-01-01\", \"match_id\": 1, \"player_id\": \"A\", \"score\": 1.5}\n"));
        assertEquals("row 1, column \"match_id\": null value (column is not nullable)",
                error(step, "{\"match_time\": \"2000-01-01\", \"match_id\": null, \"player_id\": \"A\", \"score\": 1}\n"));
    }

    @Test
    void jsonArraySubPathAndSingleObject() {
        DataSchema s = schema("a", opt(I64), "b", opt(STR));
        assertEquals(List.of(row(1L, "x"), row(2L, null)), read(json(s, null), "[{\"a\":1,\"b\":\"x\"}, {\"a\":2}]"));
        assertEquals(List.of(), read(json(s, null), " [ ] "));
        assertEquals(List.of(row(1L, "x")), read(json(s, null), "{\"a\":1,\"b\":\"x\"}"));
        String nested = "{\"meta\": {\"n\": [1,2]}, \"data\": {\"skip\": {\"rows\": 1}, \"rows\": [{\"a\": 5, \"b\": \"y\"}], \"after\": [true]}, \"tail\": null}";
        assertEquals(List.of(row(5L, "y")), read(json(s, "data.rows"), nested));
        assertEquals("subPath 'data.nope': key 'nope' not found", error(json(s, "data.nope"), nested));
        assertTrue(error(json(s, "meta.n.x"), nested).startsWith("subPath 'meta.n.x': expected an object at 'meta.n', found an array"));
        assertTrue(error(json(s, null), "[{\"a\":1}] [").startsWith("unexpected an array after the JSON data"));
        assertTrue(error(json(s, null), "\"str\"").startsWith("expected a JSON array of objects, found a string at line 1"));
        assertTrue(error(json(s, null), "[1]").startsWith("row 1: expected a JSON object, found a number at line 1, column 2"));
    }

    @Test
    void nestedStructsAndLists() {
        DataType item = new DataType.Struct(List.of(new DataField("k", STR, null), new DataField("v", new DataType.Option(new DataType.Float64()), null)));
        DataSchema s = schema("id", I64, "tags", opt(new DataType.List(opt(STR), null)),
                "items", opt(new DataType.List(item, null)), "pos", opt(new DataType.Struct(List.of(
                        new DataField("x", new DataType.Option(I64), null), new DataField("when", new DataType.Option(new DataType.Date()), null)))));
        String body = "{\"id\":1,\"tags\":[\"a\",null,\"c\"],\"items\":[{\"k\":\"p\",\"v\":1.5},{\"k\":\"q\"}],\"pos\":{\"x\":3,\"when\":\"2024-05-06\",\"zz\":[]}}\n"
                + "{\"id\":2,\"tags\":[],\"items\":null}\n"
                + "{\"id\":3,\"pos\":{}}\n";
        List<List<Object>> rows = read(ndjson(s), body);
        assertEquals(row(1L, Arrays.asList("a", null, "c"),
                List.of(Map.of("k", "p", "v", 1.5), new java.util.LinkedHashMap<>(java.util.Collections.singletonMap("k", (Object) "q")) {{ put("v", null); }}),
                Map.of("x", 3L, "when", LocalDate.of(2024, 5, 6))), rows.get(0));
        assertEquals(row(2L, List.of(), null, null), rows.get(1));
        assertEquals(3L, rows.get(2).get(0));
        assertEquals(Arrays.asList(null, null), new java.util.ArrayList<>(((Map<?, ?>) rows.get(2).get(3)).values()));
        assertEquals("row 1, column \"items[].k\": missing value (column is not nullable)", error(ndjson(s), "{\"id\":1,\"items\":[{\"v\":1}]}"));
        assertEquals("row 1, column \"tags\": expected an array, found an object", error(ndjson(s), "{\"id\":1,\"tags\":{\"a\":1}}"));
        assertEquals("row 1, column \"pos\": expected an object, found a number", error(ndjson(s), "{\"id\":1,\"pos\":5}"));
        assertEquals("row 1, column \"id\": expected a Int64 value, found an array", error(ndjson(s), "{\"id\":[1]}"));
    }

    @Test
    void scalarCoercions() {
        DataSchema s = schema("s", opt(STR), "i", opt(new DataType.Int32()), "f", opt(new DataType.Float32()), "b", opt(new DataType.Bool()),
                "t", opt(new DataType.Timestamp(null, null)), "d", opt(new DataType.Date()), "dec", opt(new DataType.Decimal(6, 2)));
        List<List<Object>> rows = read(ndjson(s), "{\"s\":12.50,\"i\":\"42\",\"f\":3,\"b\":true,\"t\":1700000000123,\"d\":19000,\"dec\":1.5}\n"
                + "{\"s\":true,\"i\":7.0,\"f\":\"2.5\",\"b\":\"FALSE\",\"t\":\"2023-11-14T22:13:20.123-00:00\",\"d\":\"2022-01-01\",\"dec\":\"-3\"}\n"
                + "{\"s\":\"\\u00e9\\ud83d\\ude00\"}");
        assertEquals(row("12.50", 42, 3.0f, true, java.time.Instant.ofEpochMilli(1700000000123L), LocalDate.ofEpochDay(19000),
                new java.math.BigDecimal("1.50")), rows.get(0));
        assertEquals(row("true", 7, 2.5f, false, java.time.Instant.ofEpochMilli(1700000000123L), LocalDate.of(2022, 1, 1),
                new java.math.BigDecimal("-3.00")), rows.get(1));
        assertEquals("é😀", rows.get(2).get(0));
        assertEquals("row 1, column \"i\": cannot parse '3000000000' as Int32 (out of range)", error(ndjson(s), "{\"i\":3000000000}"));
        assertEquals("row 1, column \"s\": invalid Unicode (unpaired surrogate \\ud83d)", error(ndjson(s), "{\"s\":\"\\ud83d\"}"));
    }

    @Test
    void inferredSchema() {
        String body = "{\"a\":1,\"b\":\"x\",\"c\":{\"d\":true},\"e\":[1,2]}\n{\"a\":2.5,\"b\":null,\"f\":\"new\",\"e\":[]}\n{\"a\":3,\"b\":5}\n";
        Schema sc = schemaOf(ndjson(null), body);
        assertEquals("Schema<a: FloatingPoint(DOUBLE), b: Utf8, c: Struct<d: Bool>, e: List<item: Int(64, true)>, f: Utf8>", sc.toString());
        List<List<Object>> rows = read(ndjson(null), body);
        assertEquals(3, rows.size());
        assertEquals(row(1.0, "x", Map.of("d", true), List.of(1L, 2L), null), rows.get(0));
        assertEquals(row(3.0, "5", null, null, null), rows.get(2));
        // more rows than one batch: the rest is read with the inferred schema
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 100; i++) b.append("{\"n\":").append(i).append("}\n");
        assertEquals(100, read(ndjson(null), in(b.toString()), ReadOptions.defaults().batchRows(8)).size());
        assertEquals(List.of(row(1L), row(2L)), read(json(null, "x"), "{\"x\":[{\"n\":1},{\"n\":2}],\"y\":0}"));
        assertEquals(List.of(row(1L)), read(json(null, null), "{\"n\":1}"));
        assertEquals("row 2, column \"n\": cannot parse 'x' as Int64",
                error(ndjson(null), in("{\"n\":1}\n{\"n\":\"x\"}\n{\"n\":\"y\"}"), ReadOptions.defaults().batchRows(1)));
    }

    @Test
    void truncatedAndMalformed() {
        DataSchema s = schema("a", opt(I64));
        assertTrue(error(ndjson(s), "{\"a\":1}\n{\"a\":").startsWith("row 2: truncated JSON at line 2"), error(ndjson(s), "{\"a\":1}\n{\"a\":"));
        assertTrue(error(json(s, null), "[{\"a\":1},").contains("truncated JSON"), error(json(s, null), "[{\"a\":1},"));
        assertTrue(error(ndjson(s), "{\"a\":1}\n{a:1}").startsWith("row 2: invalid JSON at line 2, column 2"), error(ndjson(s), "{\"a\":1}\n{a:1}"));
        assertEquals("empty input: no JSON records", error(ndjson(s), "  \n "));
        assertEquals("empty input: no JSON value", error(json(s, null), ""));
        byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}'};
        assertTrue(error(ndjson(schema("a", opt(STR))), new ByteArrayInputStream(bad), ReadOptions.defaults()).contains("Invalid UTF-8"));
        assertTrue(error(ndjson(s), "[1,2]").startsWith("row 1: expected a JSON object, found an array"));
    }

    @Test
    void latin1Encoding() {
        byte[] b = "{\"s\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(List.of(row("café")), read(new ReadStep.NdJson(schema("s", opt(STR)), null, null, "latin1", null),
                new ByteArrayInputStream(b), ReadOptions.defaults()));
    }

    @Test
    void schemaOverrideWins() {
        DataSchema s = schema("a", opt(STR));
        assertEquals(List.of(row(5L)), read(ndjson(s), in("{\"a\":5}"), ReadOptions.defaults().schema(schema("a", I64))));
        assertEquals(OdfArrow.toArrow(schema("a", I64)), RecordReaders.targetSchema(ndjson(s), ReadOptions.defaults().schema(schema("a", I64))));
    }
}
