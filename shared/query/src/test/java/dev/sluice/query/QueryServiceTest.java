package dev.sluice.query;

import static dev.sluice.query.Fixtures.data;
import static dev.sluice.query.Fixtures.response;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ingest.IngestResult;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryServiceTest {
    @TempDir Path root;
    @TempDir Path scratch;
    @TempDir Path cache;
    DatasetRepository repo;
    QueryService qs;
    IngestResult[] pushes;

    static final String ALL = "SELECT \"offset\", op, system_time, match_time, match_id, player_id, score FROM \"player-scores\" ORDER BY \"offset\"";

    @BeforeEach
    void setUp() {
        repo = new DatasetRepository(new FileSystemObjectStore(root), Clock.fixed(Fixtures.T1, ZoneOffset.UTC));
        pushes = Fixtures.playerScores(repo, scratch, "player-scores");
        qs = new QueryService(repo, cache);
    }

    @AfterEach
    void tearDown() {
        qs.close();
    }

    @Test
    void jsonAoS() {
        assertEquals("["
                + "{\"offset\":0,\"op\":0,\"system_time\":\"2050-01-01T00:00:00Z\",\"match_time\":\"2000-01-01T00:00:00Z\",\"match_id\":1,\"player_id\":\"Alice\",\"score\":100},"
                + "{\"offset\":1,\"op\":0,\"system_time\":\"2050-01-01T00:00:00Z\",\"match_time\":\"2000-01-01T00:00:00Z\",\"match_id\":1,\"player_id\":\"Bob\",\"score\":80},"
                + "{\"offset\":2,\"op\":0,\"system_time\":\"2050-01-02T00:00:00Z\",\"match_time\":\"2000-01-02T00:00:00Z\",\"match_id\":2,\"player_id\":\"Alice\",\"score\":70},"
                + "{\"offset\":3,\"op\":0,\"system_time\":\"2050-01-02T00:00:00Z\",\"match_time\":\"2000-01-02T00:00:00Z\",\"match_id\":2,\"player_id\":\"Charlie\",\"score\":90}]",
                data(qs, QueryRequest.of(ALL)));
    }

    @Test
    void jsonSoAAndAoA() {
        String q = "SELECT match_id, player_id, score FROM \"player-scores\" ORDER BY \"offset\"";
        assertEquals("{\"match_id\":[1,1,2,2],\"player_id\":[\"Alice\",\"Bob\",\"Alice\",\"Charlie\"],\"score\":[100,80,70,90]}",
                data(qs, QueryRequest.of(q).withFormat(DataFormat.JSON_SOA)));
        assertEquals("[[1,\"Alice\",100],[1,\"Bob\",80],[2,\"Alice\",70],[2,\"Charlie\",90]]",
                data(qs, QueryRequest.of(q).withFormat(DataFormat.parse("JsonAoA"))));
    }

    @Test
    void csvAndNdJson() {
        assertEquals("""
                offset,op,system_time,match_time,match_id,player_id,score
                0,0,2050-01-01T00:00:00Z,2000-01-01T00:00:00Z,1,Alice,100
                1,0,2050-01-01T00:00:00Z,2000-01-01T00:00:00Z,1,Bob,80
                2,0,2050-01-02T00:00:00Z,2000-01-02T00:00:00Z,2,Alice,70
                3,0,2050-01-02T00:00:00Z,2000-01-02T00:00:00Z,2,Charlie,90
                """, data(qs, QueryRequest.of(ALL).withFormat(DataFormat.CSV)));
        assertEquals("""
                {"player_id":"Alice","total":170}
                {"player_id":"Charlie","total":90}
                {"player_id":"Bob","total":80}
                """, data(qs, QueryRequest.of("SELECT player_id, sum(score)::BIGINT AS total FROM \"player-scores\" GROUP BY 1 ORDER BY 2 DESC")
                .withFormat(DataFormat.ND_JSON)));
        // CSV quoting and nulls
        assertEquals("a,b,\"c,d\"\n\"x,\"\"y\"\"\",,\"[1,2]\"\n",
                data(qs, QueryRequest.of("SELECT 'x,\"y\"' AS a, NULL AS b, [1,2] AS \"c,d\"").withFormat(DataFormat.CSV)));
    }

    @Test
    void arrowIpcStream() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (QueryResult r = qs.execute(QueryRequest.of(ALL).withFormat(DataFormat.ARROW))) {
            assertEquals(4, r.writeData(out));
        }
        List<String> rows = new ArrayList<>();
        try (RootAllocator a = new RootAllocator(); ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(out.toByteArray()), a)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            assertEquals("Schema<offset: Int(64, true), op: Int(32, true), system_time: Timestamp(MICROSECOND, UTC), match_time: Timestamp(MICROSECOND, UTC), "
                    + "match_id: Int(64, true), player_id: Utf8, score: Int(64, true)>", root.getSchema().toString());
            while (reader.loadNextBatch()) {
                for (int i = 0; i < root.getRowCount(); i++) rows.add(root.getVector("player_id").getObject(i) + "=" + root.getVector("score").getObject(i));
            }
        }
        assertEquals(List.of("Alice=100", "Bob=80", "Alice=70", "Charlie=90"), rows);
    }

    @Test
    void responseEnvelopeWithSchemaAndInputs() {
        String q = "SELECT player_id, score FROM \"player-scores\" WHERE match_id = 2 ORDER BY \"offset\"";
        String body = response(qs, QueryRequest.of(q).withSchema(SchemaFormat.ODF_JSON));
        assertEquals("{\"output\":{\"data\":[{\"player_id\":\"Alice\",\"score\":70},{\"player_id\":\"Charlie\",\"score\":90}],\"dataFormat\":\"JsonAoS\","
                + "\"schema\":{\"fields\":[{\"name\":\"player_id\",\"type\":{\"kind\":\"Option\",\"inner\":{\"kind\":\"String\"}}},"
                + "{\"name\":\"score\",\"type\":{\"kind\":\"Option\",\"inner\":{\"kind\":\"Int64\"}}}]},\"schemaFormat\":\"OdfJson\"}}", body);

        String arrow = response(qs, QueryRequest.of(q).withSchema(SchemaFormat.ARROW_JSON));
        assertTrue(arrow.contains("\"schema\":{\"fields\":[{\"name\":\"player_id\""), arrow);
        assertTrue(arrow.endsWith("\"schemaFormat\":\"ArrowJson\"}}"), arrow);

        String yaml = response(qs, QueryRequest.of(q).withSchema(SchemaFormat.ODF_YAML));
        assertTrue(yaml.contains("\"schema\":\"fields:\\n- name: player_id\\n"), yaml);

        String withInput = response(qs, QueryRequest.of(q).withInclude(QueryRequest.Include.INPUT));
        String head = pushes[1].newHead().toMultibase();
        String id = repo.get("player-scores").id().toDid();
        assertTrue(withInput.startsWith("{\"input\":{\"query\":" + "\"" + q.replace("\"", "\\\"") + "\",\"queryDialect\":\"SqlDuckDb\",\"dataFormat\":\"JsonAoS\","
                + "\"schemaFormat\":\"ArrowJson\",\"skip\":0,\"datasets\":[{\"id\":\"" + id + "\",\"alias\":\"player-scores\",\"blockHash\":\"" + head + "\"}]},"
                + "\"output\":{\"data\":[{\"player_id\":\"Alice\""), withInput);
    }

    @Test
    void skipAndLimitAppliedInSql() {
        String q = "SELECT player_id FROM \"player-scores\" ORDER BY \"offset\";  ";
        assertEquals("[[\"Bob\"],[\"Alice\"]]", data(qs, QueryRequest.of(q).withFormat(DataFormat.JSON_AOA).withPage(1, 2L)));
        assertEquals("[[\"Charlie\"]]", data(qs, QueryRequest.of(q).withFormat(DataFormat.JSON_AOA).withPage(3, 10L)));
        assertEquals("[]", data(qs, QueryRequest.of(q).withFormat(DataFormat.JSON_AOA).withPage(0, 0L)));
        // a trailing line comment cannot swallow the wrapper
        assertEquals("[[\"Alice\"]]", data(qs, QueryRequest.of("SELECT player_id FROM \"player-scores\" ORDER BY \"offset\" -- first").withFormat(DataFormat.JSON_AOA).withPage(0, 1L)));
    }

    @Test
    void pinnedToAnOlderBlockGivesTheOlderAnswer() {
        String q = "SELECT count(*) AS n, sum(score) AS total FROM \"player-scores\"";
        assertEquals("[{\"n\":4,\"total\":340}]", data(qs, QueryRequest.of(q)));
        String first = pushes[0].newHead().toMultibase();
        assertEquals("[{\"n\":2,\"total\":180}]", data(qs, QueryRequest.of(q).withDatasets(QueryRequest.DatasetInput.pin("player-scores", first))));
        var seedOnly = repo.get("player-scores").chain().get(repo.get("player-scores").chain().size() - 1).hash().toMultibase();
        // before any schema there are no columns to speak of: an empty table
        assertEquals("[{\"n\":0}]", data(qs, QueryRequest.of("SELECT count(*) AS n FROM \"player-scores\"")
                .withDatasets(QueryRequest.DatasetInput.pin("player-scores", seedOnly))));
        try (QueryResult r = qs.execute(QueryRequest.of(q).withDatasets(QueryRequest.DatasetInput.pin("player-scores", first)))) {
            assertEquals(first, r.inputs().get(0).blockHash().toMultibase());
            assertEquals(1, r.inputs().get(0).slices());
        }
        assertThrows(InvalidQueryException.class, () -> data(qs, QueryRequest.of(q).withDatasets(QueryRequest.DatasetInput.pin("player-scores", "zNotAHash"))));
    }

    @Test
    void asOfPicksTheNewestBlockAtOrBeforeTheTime() {
        // Blocks are stamped by the repository clock (fixed at T1 here), so every block qualifies at T1 and none before.
        String q = "SELECT count(*) AS n FROM \"player-scores\"";
        assertEquals("[{\"n\":4}]", data(qs, QueryRequest.of(q).withDatasets(QueryRequest.DatasetInput.asOf("player-scores", Fixtures.T1))));
        assertThrows(InvalidQueryException.class,
                () -> data(qs, QueryRequest.of(q).withDatasets(QueryRequest.DatasetInput.asOf("player-scores", Fixtures.T1.minusSeconds(1)))));
    }

    @Test
    void accountQualifiedAliasesAndJoins() {
        Fixtures.playerScores(repo, scratch, "kamu/player-scores");
        String q = "SELECT a.player_id, a.score + b.score AS s FROM \"player-scores\" a JOIN \"KAMU/Player-Scores\" b USING (\"offset\") ORDER BY \"offset\"";
        assertEquals("[[\"Alice\",200],[\"Bob\",160],[\"Alice\",140],[\"Charlie\",180]]", data(qs, QueryRequest.of(q).withFormat(DataFormat.JSON_AOA)));
    }

    @Test
    void emptyDatasetHasItsSchemaAndNoRows() {
        Fixtures.playerScores(repo, scratch, "other"); // has data
        repo.create(dev.sluice.odf.yaml.ManifestYaml.readSnapshot(Fixtures.playerScores("fresh")));
        assertEquals("[]", data(qs, QueryRequest.of("SELECT * FROM fresh")));
        // pinned before any data: schema from SetDataSchema, no rows
        String first = pushes[0].newHead().toMultibase();
        var chain = repo.get("player-scores").chain();
        String schemaBlock = chain.get(chain.size() - 1 - 3).hash().toMultibase(); // Seed, AddPushSource, SetVocab, SetDataSchema
        try (QueryResult r = qs.execute(QueryRequest.of("SELECT * FROM \"player-scores\"").withDatasets(QueryRequest.DatasetInput.pin("player-scores", schemaBlock)))) {
            assertEquals(List.of("offset", "op", "system_time", "match_time", "match_id", "player_id", "score"),
                    r.schema().getFields().stream().map(f -> f.getName()).toList());
            assertEquals(0, r.writeData(new ByteArrayOutputStream()));
        }
        assertTrue(!first.equals(schemaBlock));
    }

    @Test
    void valueRendering() {
        String q = "SELECT TIMESTAMP '2000-01-01 10:00:00.123' AS naive, TIMESTAMPTZ '2000-01-01 00:00:00.5Z' AS zoned, DATE '2000-01-02' AS d, "
                + "TIME '10:11:12' AS t, 1.50::DECIMAL(5,2) AS dec, 9223372036854775807 AS big, 18446744073709551615::UBIGINT AS ubig, "
                + "true AS b, 'ab'::BLOB AS bin, [1, NULL] AS l, {'k': 'v'} AS st, MAP {'a': 1} AS m, NULL AS n, 2.5::DOUBLE AS f";
        assertEquals("[{\"naive\":\"2000-01-01T10:00:00.123\",\"zoned\":\"2000-01-01T00:00:00.500Z\",\"d\":\"2000-01-02\",\"t\":\"10:11:12\",\"dec\":1.50,"
                + "\"big\":9223372036854775807,\"ubig\":18446744073709551615,\"b\":true,\"bin\":\"6162\",\"l\":[1,null],\"st\":{\"k\":\"v\"},"
                + "\"m\":{\"a\":1},\"n\":null,\"f\":2.5}]", data(qs, QueryRequest.of(q)));
    }

    @Test
    void badSqlAndUnknownDatasets() {
        InvalidQueryException syntax = assertThrows(InvalidQueryException.class, () -> data(qs, QueryRequest.of("SELEC 1")));
        assertTrue(syntax.getMessage().contains("syntax error at or near \"SELEC\""), syntax.getMessage());
        InvalidQueryException binder = assertThrows(InvalidQueryException.class, () -> data(qs, QueryRequest.of("SELECT nope FROM \"player-scores\"")));
        assertTrue(binder.getMessage().startsWith("Binder Error: Referenced column \"nope\" not found"), binder.getMessage());
        InvalidQueryException runtime = assertThrows(InvalidQueryException.class, () -> data(qs, QueryRequest.of("SELECT CAST(player_id AS INTEGER) FROM \"player-scores\"")));
        assertTrue(runtime.getMessage().startsWith("Conversion Error"), runtime.getMessage());
        assertTrue(!runtime.getMessage().contains(root.toString()), "no local paths in messages: " + runtime.getMessage());
        DatasetNotFoundException nf = assertThrows(DatasetNotFoundException.class, () -> data(qs, QueryRequest.of("SELECT * FROM \"no-such-dataset\"")));
        assertEquals("no-such-dataset", nf.ref());
        assertEquals(404, nf.httpStatus());
        assertThrows(DatasetNotFoundException.class, () -> data(qs, QueryRequest.of("SELECT * FROM \"kamu/player-scores\"")));
        assertThrows(DatasetNotFoundException.class, () -> data(qs, QueryRequest.of("SELECT * FROM some_table")));
        assertThrows(InvalidQueryException.class, () -> data(qs, QueryRequest.of("  ")));
        assertThrows(InvalidQueryException.class, () -> DataFormat.parse("Xml"));
    }

    @Test
    void ctesAndTableFunctionsThatComputeRows() {
        assertEquals("[[3]]", data(qs, QueryRequest.of(
                "WITH s AS (SELECT * FROM \"player-scores\"), t AS (SELECT DISTINCT player_id FROM s) SELECT count(*) FROM t").withFormat(DataFormat.JSON_AOA)));
        assertEquals("[[6]]", data(qs, QueryRequest.of(
                "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT sum(n) FROM r").withFormat(DataFormat.JSON_AOA)));
        assertEquals("[[0],[1],[2]]", data(qs, QueryRequest.of("SELECT * FROM range(3)").withFormat(DataFormat.JSON_AOA)));
        assertEquals("[[1],[2]]", data(qs, QueryRequest.of("VALUES (1), (2)").withFormat(DataFormat.JSON_AOA)));
        assertEquals("[[4]]", data(qs, QueryRequest.of("FROM \"player-scores\" SELECT count(*)").withFormat(DataFormat.JSON_AOA)));
    }

    @Test
    void aDatabaseServesLaterQueriesOverTheSameDatasetsAtTheSameBlocksOnly() {
        String q = "SELECT count(*) AS n, sum(score) AS total FROM \"player-scores\"";
        assertEquals("[{\"n\":4,\"total\":340}]", data(qs, QueryRequest.of(q)));
        assertEquals(1, qs.databasesMounted());
        assertEquals("[{\"m\":100}]", data(qs, QueryRequest.of("SELECT max(score) AS m FROM \"player-scores\""))); // other SQL, same mounts
        assertEquals(1, qs.databasesMounted());

        // A new head means new slices: a new database, never the one over the older files.
        new dev.sluice.ingest.PushIngest(scratch, Clock.fixed(Fixtures.T2, ZoneOffset.UTC)).ingest(repo.get("player-scores"), null, null,
                Fixtures.text("{\"match_time\": \"2000-01-03T00:00:00Z\", \"match_id\": 3, \"player_id\": \"Bob\", \"score\": 10}"), null);
        assertEquals("[{\"n\":5,\"total\":350}]", data(qs, QueryRequest.of(q)));
        assertEquals(2, qs.databasesMounted());

        // Pinned to the first push: the older answer, from a database over the older slices, kept for the next pin too.
        QueryRequest pinned = QueryRequest.of(q).withDatasets(QueryRequest.DatasetInput.pin("player-scores", pushes[0].newHead().toMultibase()));
        assertEquals("[{\"n\":2,\"total\":180}]", data(qs, pinned));
        assertEquals("[{\"n\":2,\"total\":180}]", data(qs, pinned));
        assertEquals(3, qs.databasesMounted());
        assertEquals("[{\"n\":5,\"total\":350}]", data(qs, QueryRequest.of(q)));
        assertEquals(3, qs.databasesMounted());
    }

    @Test
    void aQueryNamingOtherDatasetsGetsAnotherDatabase() {
        Fixtures.playerScores(repo, scratch, "other");
        assertEquals("[[4]]", data(qs, QueryRequest.of("SELECT count(*) FROM \"player-scores\" JOIN other USING (\"offset\")").withFormat(DataFormat.JSON_AOA)));
        assertEquals(1, qs.databasesMounted());
        // the same two datasets named in the other order share the database
        assertEquals("[[4]]", data(qs, QueryRequest.of("SELECT count(*) FROM other JOIN \"player-scores\" USING (\"offset\")").withFormat(DataFormat.JSON_AOA)));
        assertEquals(1, qs.databasesMounted());
        // one of them alone: a database with only that view
        assertEquals("[[4]]", data(qs, QueryRequest.of("SELECT count(*) FROM other").withFormat(DataFormat.JSON_AOA)));
        assertEquals(2, qs.databasesMounted());
    }

    @Test
    void aFailedQueryDoesNotHandItsDatabaseOn() {
        String q = "SELECT count(*) AS n FROM \"player-scores\"";
        assertEquals("[{\"n\":4}]", data(qs, QueryRequest.of(q)));
        assertThrows(InvalidQueryException.class, () -> data(qs, QueryRequest.of("SELECT CAST(player_id AS INTEGER) FROM \"player-scores\"")));
        assertEquals(1, qs.databasesMounted()); // the failing query took the kept database…
        assertEquals("[{\"n\":4}]", data(qs, QueryRequest.of(q)));
        assertEquals(2, qs.databasesMounted()); // …and it was closed, not handed on
    }

    @Test
    void withNoIdleDatabasesEveryQueryMountsItsOwn() {
        try (QueryService fresh = new QueryService(repo, new QueryService.Options(cache.resolve("fresh"), null, null, 16_384, 0))) {
            for (int i = 0; i < 2; i++) assertEquals("[{\"n\":4}]", data(fresh, QueryRequest.of("SELECT count(*) AS n FROM \"player-scores\"")));
            assertEquals(2, fresh.databasesMounted());
        }
    }
}
