package dev.sluice.engine.duckdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.data.SliceReader;
import dev.sluice.engine.Engine;
import dev.sluice.engine.InProcessEngineProvisioner;
import dev.sluice.engine.TransformRequest;
import dev.sluice.engine.TransformRequestInput;
import dev.sluice.engine.TransformResponse;
import dev.sluice.engine.Watermark;
import dev.sluice.odf.DatasetId;
import dev.sluice.odf.DatasetVocabulary;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.odf.Transform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine on its own: requests built by hand over slices written by the real SliceWriter. */
class DuckDbEngineTest {
    static final DuckDbEngine ENGINE = new DuckDbEngine();
    static final DatasetId OUT = DatasetId.generate();
    static final DatasetId IN = DatasetId.generate();
    static final Instant SYS = Instant.parse("2024-06-01T00:00:00Z");
    static final String COLS = "\"offset\", op, name, score";

    @TempDir Path dir;

    @AfterAll
    static void close() {
        ENGINE.close();
    }

    static String rows(String... values) {
        List<String> sel = new ArrayList<>();
        for (String v : values) {
            String[] p = v.split(" ");
            int op = switch (p[0]) { case "+A" -> 0; case "-R" -> 1; case "-C" -> 2; case "+C" -> 3; default -> throw new IllegalArgumentException(p[0]); };
            sel.add("SELECT " + op + "::INTEGER AS op, TIMESTAMPTZ '2024-01-01 00:00:00+00' + INTERVAL (" + p[3] + ") MINUTE AS event_time, '"
                    + p[1] + "' AS name, " + p[2] + "::BIGINT AS score");
        }
        return String.join(" UNION ALL ", sel);
    }

    /** An input slice: rows as "op name score minute". */
    Path slice(String name, long offset, String... rows) throws Exception {
        Path f = dir.resolve(name + ".parquet");
        Slices.write(f, offset, rows(rows));
        return f;
    }

    TransformRequest request(String sql, long nextOffset, Path prevCheckpoint, String tag, List<Path> prior, List<Path> data, Instant watermark) {
        var in = new TransformRequestInput(IN, "scores", "t", DatasetVocabulary.DEFAULT, null, data, null,
                watermark == null ? List.of() : List.of(new Watermark(SYS, watermark)), prior);
        return new TransformRequest(OUT, "derived", SYS, DatasetVocabulary.DEFAULT, new Transform.Sql("duckdb", null, sql, null, null),
                List.of(in), nextOffset, prevCheckpoint, dir.resolve(tag + ".checkpoint"), dir.resolve(tag + ".out.parquet"));
    }

    static TransformResponse.Success ok(TransformResponse r) {
        return assertInstanceOf(TransformResponse.Success.class, r, () -> r.toString());
    }

    @Test
    void statelessFilterPassesOpsThroughAndRepairsCorrectionsItSplits() throws Exception {
        String sql = "select event_time, name, score * 10 as score from t where score >= 10";
        assertFalse(ENGINE.recomputes(new Transform.Sql("duckdb", null, sql, null, null)));
        Path s = slice("in", 0,
                "+A a 10 1", "+A b 20 2",
                "-C a 10 1", "+C a 15 3",   // both halves pass: stays a correction
                "-C b 20 2", "+C b 5 4",    // the +C is filtered out: the -C becomes a retraction
                "+A d 1 5", "-C d 1 5", "+C d 50 6"); // only the +C passes: it becomes an append
        var r = ok(ENGINE.transform(request(sql, 100, null, "s", List.of(), List.of(s), Instant.parse("2024-01-01T00:06:00Z"))));
        assertEquals(new OffsetInterval(100, 105), r.newOffsetInterval());
        assertEquals(Instant.parse("2024-01-01T00:06:00Z"), r.newWatermark());
        assertEquals(List.of(
                "offset=100, op=0, name=a, score=100",
                "offset=101, op=0, name=b, score=200",
                "offset=102, op=2, name=a, score=100",
                "offset=103, op=3, name=a, score=150",
                "offset=104, op=1, name=b, score=200",
                "offset=105, op=0, name=d, score=500"), Slices.rows(dir.resolve("s.out.parquet"), COLS));
        assertFalse(Files.exists(dir.resolve("s.checkpoint")), "a stateless transform keeps no state");
        // The engine's hashes are those of the file it wrote.
        assertEquals(SliceReader.logicalHash(dir.resolve("s.out.parquet")), r.newData().logicalHash());
        assertEquals(Multihash.sha3(Files.readAllBytes(dir.resolve("s.out.parquet"))), r.newData().physicalHash());
        assertEquals(Files.size(dir.resolve("s.out.parquet")), r.newData().size());
    }

    @Test
    void statelessAppendOnlyRunsTheQueryAsWritten() throws Exception {
        Path s = slice("in", 7, "+A a 1 1", "+A b 2 2", "+A c 3 3");
        var r = ok(ENGINE.transform(request("select event_time, name, score from t where name <> 'b'", 0, null, "f", List.of(), List.of(s), null)));
        assertEquals(new OffsetInterval(0, 1), r.newOffsetInterval());
        assertNull(r.newWatermark(), "no input watermark, no output watermark");
        assertEquals(List.of("offset=0, op=0, name=a, score=1", "offset=1, op=0, name=c, score=3"), Slices.rows(dir.resolve("f.out.parquet"), COLS));
        // Nothing passes the filter: no slice at all.
        var none = ok(ENGINE.transform(request("select event_time, name, score from t where score > 100", 0, null, "g", List.of(), List.of(s), null)));
        assertNull(none.newOffsetInterval());
        assertNull(none.newData());
        assertFalse(Files.exists(dir.resolve("g.out.parquet")));
    }

    @Test
    void aggregateIsRecomputedAndDiffedByItsGroupKey() throws Exception {
        String sql = "select name, sum(score) as total, max(event_time) as event_time from t group by name";
        assertTrue(ENGINE.recomputes(new Transform.Sql("duckdb", null, sql, null, null)));
        Path s1 = slice("s1", 0, "+A a 10 1", "+A b 20 2", "+A a 5 3");
        var r1 = ok(ENGINE.transform(request(sql, 0, null, "r1", List.of(), List.of(s1), null)));
        assertEquals(List.of("offset=0, op=0, name=a, total=15", "offset=1, op=0, name=b, total=20"),
                Slices.rows(dir.resolve("r1.out.parquet"), "\"offset\", op, name, total"));
        assertEquals(new OffsetInterval(0, 1), r1.newOffsetInterval());

        Path s2 = slice("s2", 3, "+A c 1 4", "+A b 1 5");
        ok(ENGINE.transform(request(sql, 2, dir.resolve("r1.checkpoint"), "r2", List.of(s1), List.of(s2), null)));
        assertEquals(List.of(
                "offset=2, op=2, name=b, total=20",
                "offset=3, op=3, name=b, total=21",
                "offset=4, op=0, name=c, total=1"), Slices.rows(dir.resolve("r2.out.parquet"), "\"offset\", op, name, total"));

        // The input retracts rows: the state applies the changelog before the query runs again.
        Path s3 = slice("s3", 5, "-R c 1 4", "-R a 5 3");
        ok(ENGINE.transform(request(sql, 5, dir.resolve("r2.checkpoint"), "r3", List.of(s1, s2), List.of(s3), null)));
        assertEquals(List.of(
                "offset=5, op=2, name=a, total=15",
                "offset=6, op=3, name=a, total=10",
                "offset=7, op=1, name=c, total=1"), Slices.rows(dir.resolve("r3.out.parquet"), "\"offset\", op, name, total"));

        // Nothing new changes the result: no data, and the same checkpoint bytes as before.
        Path s4 = slice("s4", 8, "+A b 0 6");
        var r4 = ok(ENGINE.transform(request("select name, sum(score) as total, max(event_time) as event_time from t where score > 0 group by name",
                8, dir.resolve("r3.checkpoint"), "r4", List.of(s1, s2, s3), List.of(s4), null)));
        assertNull(r4.newOffsetInterval());
        assertArrayEquals(Files.readAllBytes(dir.resolve("r3.checkpoint")), Files.readAllBytes(dir.resolve("r4.checkpoint")));
    }

    @Test
    void withoutAKeyRowsAreDiffedAsAMultiset() throws Exception {
        String sql = "select distinct name, event_time from t";
        Path s1 = slice("w1", 0, "+A a 1 1", "+A b 2 2", "+A b 3 2");
        ok(ENGINE.transform(request(sql, 0, null, "w1", List.of(), List.of(s1), null)));
        assertEquals(List.of("op=0, name=a", "op=0, name=b"), Slices.rows(dir.resolve("w1.out.parquet"), "op, name"));
        Path s2 = slice("w2", 3, "-R a 1 1", "+A c 1 5");
        ok(ENGINE.transform(request(sql, 2, dir.resolve("w1.checkpoint"), "w2", List.of(s1), List.of(s2), null)));
        assertEquals(List.of("op=1, name=a", "op=0, name=c"), Slices.rows(dir.resolve("w2.out.parquet"), "op, name"));
    }

    @Test
    void sameRequestSameBytes() throws Exception {
        String sql = "select name, count(*) as n, avg(score) as mean, max(event_time) as event_time from t group by name";
        StringBuilder many = new StringBuilder("SELECT 0::INTEGER AS op, TIMESTAMPTZ '2024-01-01 00:00:00+00' + INTERVAL (i % 1000) SECOND AS event_time,"
                + " 'p' || (i % 997) AS name, (i * 7919 % 1000)::BIGINT AS score FROM range(200000) r(i)");
        Path s = dir.resolve("big.parquet");
        Slices.write(s, 0, many.toString());
        ok(ENGINE.transform(request(sql, 0, null, "d1", List.of(), List.of(s), null)));
        ok(ENGINE.transform(request(sql, 0, null, "d2", List.of(), List.of(s), null)));
        assertArrayEquals(Files.readAllBytes(dir.resolve("d1.out.parquet")), Files.readAllBytes(dir.resolve("d2.out.parquet")));
        assertArrayEquals(Files.readAllBytes(dir.resolve("d1.checkpoint")), Files.readAllBytes(dir.resolve("d2.checkpoint")));
        // Stateless over many rows (multi-threaded): rows come out in input order, bytes identical too.
        String proj = "select event_time, name, score + 1 as s from t where score % 3 <> 0";
        ok(ENGINE.transform(request(proj, 0, null, "p1", List.of(), List.of(s), null)));
        ok(ENGINE.transform(request(proj, 0, null, "p2", List.of(), List.of(s), null)));
        assertArrayEquals(Files.readAllBytes(dir.resolve("p1.out.parquet")), Files.readAllBytes(dir.resolve("p2.out.parquet")));
    }

    @Test
    void badQueriesAreInvalidQueryWithTheEnginesMessage() throws Exception {
        Path s = slice("in", 0, "+A a 1 1");
        var parse = assertInstanceOf(TransformResponse.InvalidQuery.class,
                ENGINE.transform(request("select event_time, nme from t wher x", 0, null, "e1", List.of(), List.of(s), null)));
        assertTrue(parse.message().contains("Parser Error"), parse.message());
        var bind = assertInstanceOf(TransformResponse.InvalidQuery.class,
                ENGINE.transform(request("select event_time, nme from t", 0, null, "e2", List.of(), List.of(s), null)));
        assertTrue(bind.message().contains("nme"), bind.message());
        var star = assertInstanceOf(TransformResponse.InvalidQuery.class,
                ENGINE.transform(request("select * from t", 0, null, "e3", List.of(), List.of(s), null)));
        assertTrue(star.message().contains("conflicts with the system column"), star.message());
        var noTime = assertInstanceOf(TransformResponse.InvalidQuery.class,
                ENGINE.transform(request("select name from t", 0, null, "e4", List.of(), List.of(s), null)));
        assertTrue(noTime.message().contains("no event time column 'event_time'"), noTime.message());
        var runtime = assertInstanceOf(TransformResponse.InvalidQuery.class,
                ENGINE.transform(request("select event_time, cast(name as integer) as n from t", 0, null, "e5", List.of(), List.of(s), null)));
        assertTrue(runtime.message().contains("Conversion Error"), runtime.message());
        assertFalse(runtime.message().contains(dir.toString()), "no local paths in messages: " + runtime.message());
        var struct = assertInstanceOf(TransformResponse.InvalidQuery.class,
                ENGINE.transform(request("select event_time, {'a': 1} as st from t", 0, null, "e6", List.of(), List.of(s), null)));
        assertTrue(struct.message().contains("cannot be stored"), struct.message());
    }

    @Test
    void theSqlCannotReachFilesSettingsOrTheCatalog() throws Exception {
        Path s = slice("in", 0, "+A a 1 1");
        Path secret = dir.resolve("secret.csv");
        Files.writeString(secret, "x\nsecret\n");
        List<String> attacks = List.of(
                "select * from '/etc/passwd'",
                "select * from read_csv('/etc/passwd')",
                "select content as event_time from read_text('/etc/passwd')",
                "select * from read_csv('" + secret + "')",
                "select * from '" + secret + "'",
                "select event_time, (select count(*) from read_parquet('" + s + "')) as n from t",
                "select * from glob('/etc/*')",
                "select * from duckdb_settings()",
                "select * from sqlite_master",
                "select event_time, getenv('HOME') as h from t",
                "select event_time, current_setting('allowed_paths') as p from t",
                "copy t to '" + dir.resolve("leak.csv") + "'",
                "attach '" + dir.resolve("x.db") + "' as x",
                "install httpfs",
                "set enable_external_access = true",
                "select event_time, name from t; select * from '/etc/passwd'");
        for (String q : attacks) {
            var r = ENGINE.transform(request(q, 0, null, "a", List.of(), List.of(s), null));
            assertInstanceOf(TransformResponse.InvalidQuery.class, r, q + " → " + r);
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("in.parquet", "secret.csv"), names, "nothing written, no scratch left behind");
        }
    }

    @Test
    void standsInForOtherDialectsAndIsFoundByTheServiceLoader() {
        assertTrue(ENGINE.accepts("RisingWave"));
        assertTrue(ENGINE.accepts("flink"));
        assertFalse(ENGINE.accepts("postgres"));
        assertTrue(ENGINE.build().matches("sluice-engine-duckdb \\S+ \\(DuckDB v\\d+\\.\\d+\\.\\d+ \\w+\\)"), ENGINE.build());
        try (var p = InProcessEngineProvisioner.load()) {
            Engine e = p.engineFor("datafusion").orElseThrow();
            assertEquals("duckdb", e.name());
            assertTrue(p.engineFor("postgres").isEmpty());
        }
    }
}
