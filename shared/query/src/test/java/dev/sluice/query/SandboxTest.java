package dev.sluice.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Escape attempts against the query sandbox: every one must fail with a typed error, leak nothing, write nothing. */
class SandboxTest {
    @TempDir Path root;
    @TempDir Path scratch;
    @TempDir Path cache;
    DatasetRepository repo;
    QueryService qs;
    final String unq = "sluice-escape-" + UUID.randomUUID();
    final Path tmp = Path.of(System.getProperty("java.io.tmpdir"));

    @BeforeEach
    void setUp() {
        repo = new DatasetRepository(new FileSystemObjectStore(root));
        Fixtures.playerScores(repo, scratch, "player-scores");
        Fixtures.playerScores(repo, scratch, "secret-scores"); // exists, never named in the attacks below
        qs = new QueryService(repo, cache);
    }

    @AfterEach
    void tearDown() {
        qs.close();
    }

    List<String> attacks() {
        String t = tmp.resolve(unq).toString();
        return List.of(
                // every file reader, and the replacement scan
                "SELECT * FROM read_csv('/etc/passwd')",
                "SELECT * FROM read_csv_auto('/etc/passwd')",
                "SELECT * FROM read_json('/etc/passwd')",
                "SELECT * FROM read_json_auto('/etc/passwd')",
                "SELECT * FROM read_ndjson('/etc/passwd')",
                "SELECT * FROM read_parquet('/etc/passwd')",
                "SELECT * FROM read_text('/etc/passwd')",
                "SELECT * FROM read_blob('/etc/passwd')",
                "SELECT * FROM glob('/etc/*')",
                "SELECT * FROM parquet_metadata('/etc/passwd')",
                "SELECT * FROM sniff_csv('/etc/passwd')",
                "SELECT * FROM '/etc/passwd'",
                "FROM '/etc/passwd'",
                "SELECT * FROM \"/etc/passwd\"",
                "SELECT * FROM 'passwd.csv'",
                "SELECT * FROM read_csv(['/etc/passwd', '/etc/hosts'])",
                // writes, databases, extensions, settings
                "COPY (SELECT 1) TO '" + t + "-copy.csv'",
                "COPY \"player-scores\" TO '" + t + "-copy.parquet' (FORMAT parquet)",
                "EXPORT DATABASE '" + t + "-export'",
                "IMPORT DATABASE '/etc'",
                "ATTACH '" + t + ".db' AS x",
                "DETACH memory",
                "INSTALL httpfs",
                "LOAD httpfs",
                "SET enable_external_access=true",
                "SET allowed_directories=['/']",
                "RESET lock_configuration",
                "PRAGMA database_list",
                "PRAGMA show_tables",
                "CALL pragma_version()",
                "CHECKPOINT",
                "VACUUM",
                "SET VARIABLE x = 1",
                "USE memory",
                // URLs
                "SELECT * FROM read_csv('https://example.com/x.csv')",
                "SELECT * FROM 'https://example.com/x.parquet'",
                "SELECT * FROM 'http://169.254.169.254/latest/meta-data/'",
                "SELECT * FROM 's3://bucket/key.parquet'",
                "SELECT * FROM 'file:///etc/passwd'",
                // DDL in memory
                "CREATE TABLE t AS SELECT 1",
                "CREATE VIEW v AS SELECT * FROM read_csv('/etc/passwd')",
                "CREATE MACRO m() AS 1",
                "INSERT INTO \"player-scores\" VALUES (1)",
                "DROP VIEW \"player-scores\"",
                // datasets that exist but are not named; the catalog
                "SELECT * FROM duckdb_views()",
                "SELECT * FROM duckdb_tables()",
                "SELECT * FROM information_schema.tables",
                "SELECT * FROM information_schema.views",
                "SELECT name, sql FROM sqlite_master",
                "SELECT * FROM duckdb_views",
                "SELECT * FROM pg_catalog.pg_views",
                "SELECT * FROM pg_settings",
                "SELECT pg_get_viewdef('player-scores')",
                "SELECT * FROM main.\"secret-scores\"",
                "SELECT * FROM memory.main.\"player-scores\"",
                "WITH a AS (SELECT 1) SELECT * FROM (WITH sqlite_master AS (SELECT 1) SELECT * FROM sqlite_master), sqlite_master",
                "WITH x AS (SELECT * FROM sqlite_master), sqlite_master AS (SELECT 1) SELECT * FROM x",
                "SELECT * FROM query('SELECT * FROM read_csv(''/etc/passwd'')')",
                "SELECT * FROM query_table('sqlite_master')",
                "SELECT * FROM json_execute_serialized_sql('{}')",
                "SELECT * FROM histogram('sqlite_master', name)",
                "DESCRIBE \"player-scores\"",
                "SUMMARIZE \"player-scores\"",
                "SHOW TABLES",
                "SELECT * FROM (SHOW ALL TABLES)",
                // multiple statements, comments, quoting, case, unicode escapes
                "SELECT 1; COPY (SELECT 1) TO '" + t + "-multi.csv'",
                "SELECT 1 /* ; */ ; COPY (SELECT 1) TO '" + t + "-comment.csv'",
                "SELECT 1 -- \n; ATTACH '" + t + "-comment.db'",
                "SELECT * FROM \"read_csv\"('/etc/passwd')",
                "SELECT * FROM ReAd_CsV('/etc/passwd')",
                "SELECT * FROM \"READ_TEXT\"('/etc/passwd')",
                "SELECT * FROM U&\"\\0072ead_csv\"('/etc/passwd')",
                "SELECT * FROM main.read_csv('/etc/passwd')",
                "SELECT (SELECT count(*) FROM read_text('/etc/passwd'))",
                "SELECT * FROM \"player-scores\" UNION ALL SELECT * FROM read_parquet('/etc/passwd')",
                "SELECT * FROM \"player-scores\" p, LATERAL (SELECT * FROM read_text(p.player_id))",
                "SELECT read_text('/etc/passwd')",
                // snooping
                "SELECT getenv('HOME')",
                "SELECT current_setting('allowed_paths')",
                "SELECT current_setting('temp_directory')",
                "SELECT * FROM duckdb_settings()",
                "SELECT * FROM duckdb_extensions()",
                "SELECT * FROM duckdb_secrets()",
                "SELECT * FROM which_secret('s3://x', 's3')",
                "SELECT pg_sleep(60)");
    }

    @Test
    void everyEscapeAttemptIsRejectedAndLeaksNothing() throws Exception {
        Set<String> before = listing(root);
        String passwd = Files.exists(Path.of("/etc/passwd")) ? Files.readString(Path.of("/etc/passwd")) : "root:x:0:0";
        String passwdLine = passwd.lines().findFirst().orElse("root:x:0:0");
        List<String> attacks = attacks();
        assertTrue(attacks.size() >= 30, "battery size " + attacks.size());
        List<String> report = new ArrayList<>();
        for (String sql : attacks) {
            for (QueryRequest req : List.of(QueryRequest.of(sql), QueryRequest.of(sql).withPage(0, 5L))) {
                try (QueryResult r = qs.execute(req)) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    r.writeData(out);
                    fail("not rejected: " + sql + " → " + out.toString(StandardCharsets.UTF_8));
                } catch (QueryException e) {
                    String msg = String.valueOf(e.getMessage());
                    assertFalse(msg.contains(passwdLine), "leaked /etc/passwd: " + msg);
                    assertFalse(msg.contains(root.toString()) || msg.contains(cache.toString()), "leaked a local path: " + msg);
                    report.add(e.getClass().getSimpleName() + " ← " + sql.replace('\n', ' ') + " :: " + msg.lines().findFirst().orElse(""));
                }
            }
        }
        report.forEach(System.out::println);

        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().contains(unq)).toList(), "nothing written to " + tmp);
        }
        assertEquals(before, listing(root), "nothing written to the store");
        try (Stream<Path> s = Files.exists(cache.resolve("tmp")) ? Files.list(cache.resolve("tmp")) : Stream.empty()) {
            assertEquals(0, s.count(), "per-query scratch removed");
        }
    }

    @Test
    void onlyNamedDatasetsAreMounted() {
        try (QueryResult r = qs.execute(QueryRequest.of("SELECT 'secret-scores' AS s, count(*) AS n FROM \"player-scores\""))) {
            assertEquals(List.of("player-scores"), r.inputs().stream().map(QueryInput::table).toList());
        }
        // a name in a comment or a string is not a table
        try (QueryResult r = qs.execute(QueryRequest.of("SELECT 1 AS x /* FROM \"secret-scores\" */ -- \"secret-scores\"\n"))) {
            assertEquals(List.of(), r.inputs());
        }
        // a CTE named like a dataset hides it, and is not mounted
        try (QueryResult r = qs.execute(QueryRequest.of("WITH \"secret-scores\" AS (SELECT 1 AS a) SELECT * FROM \"secret-scores\""))) {
            assertEquals(List.of(), r.inputs());
        }
    }

    /** The second layer on its own: the engine configuration refuses files, writes, extensions and settings changes. */
    @Test
    void engineLayerAloneRefusesFilesWritesExtensionsAndSettings() throws Exception {
        String t = tmp.resolve(unq).toString();
        List<String> raw = List.of(
                "SELECT * FROM read_csv('/etc/passwd')",
                "SELECT * FROM read_text('/etc/passwd')",
                "SELECT * FROM '/etc/passwd'",
                "SELECT * FROM glob('/etc/*')",
                "COPY (SELECT 1) TO '" + t + "-raw.csv'",
                "ATTACH '" + t + "-raw.db' AS x",
                "INSTALL httpfs",
                "LOAD httpfs",
                "SET enable_external_access=true",
                "SET allowed_directories=['/']",
                "SET allowed_paths=['/etc/passwd']",
                "RESET lock_configuration",
                "SET lock_configuration=false",
                "SELECT * FROM read_csv('https://example.com/x.csv')");
        Path engineTmp = cache.resolve("engine-tmp");
        try (Connection c = qs.sandboxedEngine(List.of(), engineTmp)) {
            for (String sql : raw) {
                try (Statement st = c.createStatement()) {
                    st.execute(sql);
                    fail("engine allowed: " + sql);
                } catch (SQLException e) {
                    assertFalse(String.valueOf(e.getMessage()).contains("root:x:"), e.getMessage());
                }
            }
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(0, s.filter(p -> p.getFileName().toString().contains(unq)).count());
        }
    }

    /**
     * A kept database is as locked down as a new one, and if a statement ever got past the guard and changed its
     * catalog, the next query over the same dataset gets a new database instead.
     */
    @Test
    void aKeptDatabaseIsLockedDownAndNotReusedOnceItsCatalogChanged() throws Exception {
        String q = "SELECT count(*) AS n FROM \"player-scores\"";
        assertEquals("[{\"n\":4}]", Fixtures.data(qs, QueryRequest.of(q)));
        assertEquals(1, qs.databasesMounted());
        String t = tmp.resolve(unq).toString();
        List<String> raw = List.of(
                "SELECT * FROM read_csv('/etc/passwd')",
                "SELECT * FROM '/etc/passwd'",
                "COPY (SELECT 1) TO '" + t + "-kept.csv'",
                "ATTACH '" + t + "-kept.db' AS x",
                "INSTALL httpfs",
                "LOAD httpfs",
                "SET enable_external_access=true",
                "SET allowed_paths=['/etc/passwd']",
                "SET parquet_metadata_cache=false",
                "SET lock_configuration=false");
        try (Connection c = qs.idleSession(qs.viewsOf("player-scores"))) {
            for (String sql : raw) {
                try (Statement st = c.createStatement()) {
                    st.execute(sql);
                    fail("kept database allowed: " + sql);
                } catch (SQLException e) {
                    assertFalse(String.valueOf(e.getMessage()).contains("root:x:"), e.getMessage());
                }
            }
        }
        for (String tamper : List.of("CREATE OR REPLACE VIEW \"player-scores\" AS SELECT 42 AS n", "CREATE TABLE planted AS SELECT 1 AS x",
                "CREATE SCHEMA planted", "CREATE TYPE planted AS INTEGER", "CREATE SEQUENCE planted")) {
            long mounted = qs.databasesMounted();
            try (Connection c = qs.idleSession(qs.viewsOf("player-scores")); Statement st = c.createStatement()) {
                st.execute(tamper); // as if the guard had let it through
            }
            assertEquals("[{\"n\":4}]", Fixtures.data(qs, QueryRequest.of(q)), tamper);
            assertEquals(mounted + 1, qs.databasesMounted(), "not reused after: " + tamper);
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(0, s.filter(p -> p.getFileName().toString().contains(unq)).count());
        }
    }

    private static Set<String> listing(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
