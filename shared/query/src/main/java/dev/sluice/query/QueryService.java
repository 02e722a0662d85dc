package dev.sluice.query;

import dev.sluice.storage.LocalFiles;
import dev.sluice.ingest.SliceFiles;
import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DatasetAlias;
import dev.sluice.odf.DatasetId;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.OdfFormatException;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.HashedBlock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBResultSet;

/**
 * SQL over datasets, sandboxed. Framework-free; the HTTP {@code /query} endpoint is a thin layer over
 * {@link #execute}.
 *
 * <p>Per query: (1) {@link SqlGuard} parses the SQL with DuckDB's parser and rejects anything but one read-only
 * query, file/URL/catalog functions and qualified names, and lists the table names; (2) each name is resolved to a
 * dataset (request pins first, then the repository) and to the block it is read at; (3) the slices up to that block
 * become local files ({@link SliceFiles}: in place on a filesystem store, fetched once into a cache for S3);
 * (4) the query runs on a new session of an in-memory DuckDB that was opened and locked down for exactly these
 * mounts — {@code allowed_paths} = exactly those files, {@code enable_external_access=false},
 * {@code lock_configuration=true} — before one view per named dataset was created; (5) the answer streams out
 * through Arrow. A database holds nothing but its views over immutable files and their Parquet footers, so it is kept
 * ({@link MountedDatabases}) for the next query over the very same views (same datasets, same slices); any other
 * query gets another database. Nothing else is shared between queries but the parser and caches of immutable data.
 */
public final class QueryService implements AutoCloseable {
    /**
     * @param cacheDir       where slices of non-filesystem stores are cached and per-query scratch lives
     * @param memoryLimit    DuckDB {@code memory_limit} per query (e.g. {@code "2GB"}), or null for DuckDB's default
     * @param threads        DuckDB threads per query, or null for one per core
     * @param arrowBatchRows rows per Arrow batch streamed out
     * @param idleDatabases  query databases kept for the next query over the same datasets at the same blocks
     *                       (0 = a new database per query); each holds its views, footers and an idle thread pool
     */
    public record Options(Path cacheDir, String memoryLimit, Integer threads, int arrowBatchRows, int idleDatabases) {
        public Options(Path cacheDir, String memoryLimit, Integer threads, int arrowBatchRows) {
            this(cacheDir, memoryLimit, threads, arrowBatchRows, 4);
        }

        public static Options defaults(Path cacheDir) {
            return new Options(cacheDir, null, null, 16_384);
        }
    }

    private final DatasetRepository repo;
    private final Options options;
    private final SliceFiles sliceFiles;
    private final SqlGuard guard = new SqlGuard();
    private final ChainMounts mounts = new ChainMounts(4096);
    private final MountedDatabases databases;
    /** Queries that passed the guard → the tables they name (the guard's verdict depends on the text alone). */
    private final Map<String, Set<String>> checkedQueries = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
            return size() > 256;
        }
    });
    private static final int MAX_REMEMBERED_QUERY_CHARS = 16_384;
    private final java.util.concurrent.atomic.AtomicLong databasesMounted = new java.util.concurrent.atomic.AtomicLong();
    private final BufferAllocator allocator = new RootAllocator();
    /** Fresh databases opened ahead of time; each becomes one kept database ({@link MountedDatabases}). */
    private final PristineDatabases pristine = new PristineDatabases(2, "sluice-query-warmer");

    public QueryService(DatasetRepository repo, Options options) {
        this.repo = repo;
        this.options = options;
        this.sliceFiles = new SliceFiles(options.cacheDir().resolve("slices"));
        this.databases = new MountedDatabases(options.idleDatabases());
    }

    public QueryService(DatasetRepository repo, Path cacheDir) {
        this(repo, Options.defaults(cacheDir));
    }

    /** Runs a query; the caller must close the result. */
    public QueryResult execute(QueryRequest req) {
        if (req.query() == null || req.query().isBlank()) throw new InvalidQueryException("the query is empty");
        if (req.skip() < 0) throw new InvalidQueryException("skip must be ≥ 0");
        if (req.limit() != null && req.limit() < 0) throw new InvalidQueryException("limit must be ≥ 0");

        Set<String> tables = tableNames(req.query());
        String sql = paged(req);
        if (!sql.equals(req.query())) tableNames(sql); // what runs is exactly what was checked

        List<Mounted> mounted = new ArrayList<>();
        for (String table : tables) mounted.add(mount(table, req));
        mounted.sort(Comparator.comparing(m -> m.input.table())); // one key per set of mounts, whatever the order in the SQL
        List<Path> files = new ArrayList<>();
        for (Mounted m : mounted) files.addAll(m.files);
        UnaryOperator<String> redact = redactor(files);

        // The views' full text is the database's key: every table name and the exact (content-addressed) slice files.
        List<String> views = mounted.stream().map(Mounted::view).toList();
        MountedDatabases.Db db = null;
        Connection conn = null;
        Statement st = null;
        BufferAllocator child = null;
        try {
            db = databases.take(views);
            if (db != null && !db.unchanged()) { // something got past the guard: never let it reach this query
                db.close();
                db = null;
            }
            if (db == null) db = mountedDatabase(views, files);
            conn = ((DuckDBConnection) db.owner()).duplicate(); // a fresh session: nothing of an earlier query's state
            st = conn.createStatement();
            DuckDBResultSet rs = (DuckDBResultSet) st.executeQuery(sql);
            child = allocator.newChildAllocator("query", 0, Long.MAX_VALUE);
            ArrowReader reader = (ArrowReader) rs.arrowExportStream(child, options.arrowBatchRows());
            MountedDatabases.Db used = db;
            Connection c = conn;
            Statement s = st;
            QueryResult.Engine engine = finishedCleanly -> {
                boolean closedCleanly = false;
                try (c; s; rs) {
                    closedCleanly = true; // closed in reverse order: result, statement, session
                } finally {
                    if (finishedCleanly && closedCleanly) databases.give(used);
                    else used.close();
                }
            };
            return new QueryResult(req, mounted.stream().map(m -> m.input).toList(), reader, child, db.tempDir(), engine, redact);
        } catch (SQLException e) {
            closeQuietly(st, conn, child);
            if (db != null) db.close();
            throw new InvalidQueryException(redact.apply(cleanMessage(e.getMessage())), e);
        } catch (RuntimeException e) {
            closeQuietly(st, conn, child);
            if (db != null) db.close();
            throw e;
        }
    }

    /** The tables a query names, after the guard has checked it; remembered per query text (the check is pure). */
    private Set<String> tableNames(String query) {
        Set<String> known = checkedQueries.get(query);
        if (known != null) return known;
        Set<String> names = guard.analyze(query).tableNames();
        if (query.length() <= MAX_REMEMBERED_QUERY_CHARS) checkedQueries.put(query, names);
        return names;
    }

    /** A new locked-down database holding exactly {@code views} over exactly {@code files}. */
    private MountedDatabases.Db mountedDatabase(List<String> views, List<Path> files) throws SQLException {
        Path tempDir = options.cacheDir().resolve("tmp").resolve(UUID.randomUUID().toString());
        Connection conn = pristine.take();
        try {
            try (Statement st = conn.createStatement()) {
                // Footers are read once per database, not per query; file bytes are left to the OS page cache so an
                // idle database holds no data.
                st.execute("SET parquet_metadata_cache=true");
                st.execute("SET enable_external_file_cache=false");
            }
            lockDown(conn, files, tempDir, options);
            try (Statement ddl = conn.createStatement()) {
                for (String v : views) ddl.execute(v);
            }
            databasesMounted.incrementAndGet();
            return new MountedDatabases.Db(views, conn, tempDir, MountedDatabases.catalogOf(conn));
        } catch (SQLException | RuntimeException e) {
            closeQuietly(conn);
            LocalFiles.deleteTree(tempDir);
            throw e;
        }
    }

    /** The user's query wrapped for skip/limit (trailing semicolons dropped; newline so a trailing comment stays one). */
    static String paged(QueryRequest req) {
        if (req.skip() == 0 && req.limit() == null) return req.query();
        String q = req.query().strip();
        while (q.endsWith(";")) q = q.substring(0, q.length() - 1).strip();
        StringBuilder sb = new StringBuilder("SELECT * FROM (\n").append(q).append("\n) AS sluice_page");
        if (req.limit() != null) sb.append(" LIMIT ").append(req.limit());
        if (req.skip() > 0) sb.append(" OFFSET ").append(req.skip());
        return sb.toString();
    }

    /** A fresh in-memory database, locked down before anything of the user's runs in it. */
    private Connection sandboxed(List<Path> files, Path tempDir) throws SQLException {
        Connection conn = pristine.take();
        lockDown(conn, files, tempDir, options);
        return conn;
    }

    /**
     * Locks a fresh database down before any user SQL runs in it: reads only {@code files}, spills only to
     * {@code tempDir}, no other external access, and the configuration frozen.
     */
    public static void lockDown(Connection conn, List<Path> files, Path tempDir, Options options) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("SET TimeZone='UTC'");
            if (options.memoryLimit() != null) st.execute("SET memory_limit=" + SqlTypes.literal(options.memoryLimit()));
            if (options.threads() != null) st.execute("SET threads=" + options.threads());
            st.execute("SET temp_directory=" + SqlTypes.literal(tempDir.toString())); // spills go here, not to the CWD
            st.execute("SET allowed_directories=[" + SqlTypes.literal(tempDir + "/") + "]");
            if (!files.isEmpty()) {
                st.execute("SET allowed_paths=[" + String.join(",", files.stream().map(f -> SqlTypes.literal(f.toString())).toList()) + "]");
            }
            st.execute("SET enable_external_access=false");
            st.execute("SET lock_configuration=true");
        } catch (SQLException e) {
            conn.close();
            throw e;
        }
    }

    /** A fresh in-memory DuckDB (results streamed); lock it down with {@link #lockDown} before running anything untrusted. */
    public static Connection open() throws SQLException {
        Properties p = new Properties();
        p.setProperty("jdbc_stream_results", "true"); // stream large answers instead of materializing them
        // The driver itself, not DriverManager: DriverManager only hands out drivers visible from the caller's class
        // loader, which fails when an application (a Quarkus test restart) loaded the driver in another one.
        return DUCKDB.connect("jdbc:duckdb:", p);
    }

    private static final java.sql.Driver DUCKDB = new org.duckdb.DuckDBDriver();

    /** Databases mounted so far (each query that found no idle database with its views mounted one). */
    long databasesMounted() {
        return databasesMounted.get();
    }

    /** A new session on an idle database (for tests that attack a kept database without the parser in front), or null. */
    Connection idleSession(List<String> views) throws SQLException {
        MountedDatabases.Db db = databases.take(views);
        if (db == null) return null;
        databases.give(db);
        return ((DuckDBConnection) db.owner()).duplicate();
    }

    /** The views a query over {@code table} mounts (at its head), in the order {@link #execute} keys databases by. */
    List<String> viewsOf(String table) {
        Mounted m = mount(table, QueryRequest.of("SELECT 1"));
        return List.of(m.view());
    }

    /** The engine layer alone, for tests that attack it without the parser layer in front. */
    Connection sandboxedEngine(List<Path> files, Path tempDir) throws SQLException {
        return sandboxed(files, tempDir);
    }

    private record Mounted(QueryInput input, List<Path> files, ChainMounts.Mount mount) {
        String view() {
            return "CREATE VIEW " + SqlTypes.ident(input.table()) + " AS " + select();
        }

        String select() {
            if (files.isEmpty()) {
                DataSchema schema = mount.schema();
                if (schema == null) return "SELECT CAST(NULL AS BIGINT) AS \"offset\" WHERE false"; // no schema yet
                return SqlTypes.emptySelect(schema);
            }
            String list = String.join(", ", files.stream().map(f -> SqlTypes.literal(f.toString())).toList());
            // Schema evolution is additive: older slices may lack newer columns, so align them by name.
            String opts = mount.schemaVersions() > 1 ? ", union_by_name=true" : "";
            return "SELECT * FROM read_parquet([" + list + "]" + opts + ")";
        }
    }

    private Mounted mount(String table, QueryRequest req) {
        QueryRequest.DatasetInput pin = null;
        for (QueryRequest.DatasetInput in : req.datasets()) {
            if (in.alias() != null && in.alias().equalsIgnoreCase(table)) pin = in;
        }
        Dataset ds = resolve(table, pin);
        Multihash head = ds.head().orElseThrow(() -> new DatasetNotFoundException(table));
        Multihash at = pin == null ? head : blockOf(ds, head, pin);
        ChainMounts.Mount m = mounts.at(ds, at);
        List<Path> files = new ArrayList<>(m.slices().size());
        try {
            for (Multihash h : m.slices()) files.add(sliceFiles.local(ds, h).toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Mounted(new QueryInput(table, ds.id(), ds.alias(), at, files.size()), files, m);
    }

    private Dataset resolve(String table, QueryRequest.DatasetInput pin) {
        if (pin != null && pin.id() != null) {
            DatasetId id;
            try {
                id = DatasetId.parse(pin.id());
            } catch (OdfFormatException e) {
                throw new InvalidQueryException("invalid dataset id '" + pin.id() + "': " + e.getMessage());
            }
            return repo.find(id.toDid()).orElseThrow(() -> new DatasetNotFoundException(pin.id()));
        }
        if (SqlGuard.looksLikeFileOrUrl(table)) throw new ForbiddenQueryException("files and URLs cannot be queried: '" + table + "'");
        try {
            DatasetAlias.parse(table);
        } catch (OdfFormatException e) {
            throw new DatasetNotFoundException(table, "dataset not found: '" + table + "' is not a dataset alias");
        }
        return repo.find(table).orElseThrow(() -> new DatasetNotFoundException(table));
    }

    /** The block a pin means: {@code blockHash} must be on the chain; {@code asOf} = newest block at or before it. */
    private static Multihash blockOf(Dataset ds, Multihash head, QueryRequest.DatasetInput pin) {
        if (pin.blockHash() != null && pin.asOf() != null) throw new InvalidQueryException("give blockHash or asOf for '" + pin.alias() + "', not both");
        if (pin.blockHash() != null) {
            Multihash want;
            try {
                want = Multihash.fromMultibase(pin.blockHash());
            } catch (OdfFormatException e) {
                throw new InvalidQueryException("invalid blockHash '" + pin.blockHash() + "': " + e.getMessage());
            }
            for (HashedBlock b : ds.blocksFrom(head)) if (b.hash().equals(want)) return want;
            throw new InvalidQueryException("block " + pin.blockHash() + " is not in the chain of " + ds.alias());
        }
        if (pin.asOf() != null) {
            for (HashedBlock b : ds.blocksFrom(head)) if (!b.block().systemTime().isAfter(pin.asOf())) return b.hash();
            throw new InvalidQueryException(ds.alias() + " did not exist at " + pin.asOf());
        }
        return head;
    }

    /**
     * DuckDB's JDBC messages start with a wrapper line about a "pending query result"; the real error follows after
     * {@code Error: }.
     */
    public static String cleanMessage(String msg) {
        if (msg == null) return "query failed";
        String wrapper = "Attempting to execute an unsuccessful or closed pending query result";
        int w = msg.indexOf(wrapper);
        if (w >= 0) {
            int e = msg.indexOf("Error: ", w);
            if (e >= 0) msg = msg.substring(e + "Error: ".length());
        }
        return msg.strip();
    }

    /** Error messages must not reveal where slices live on this machine: paths become {@code <slice HASH>}. */
    private UnaryOperator<String> redactor(List<Path> files) {
        List<String> dirs = new ArrayList<>();
        for (Path f : files) if (f.getParent() != null) dirs.add(f.getParent().toString());
        dirs.add(options.cacheDir().toAbsolutePath().toString());
        dirs.sort(Comparator.comparingInt(String::length).reversed());
        Map<String, String> exact = new LinkedHashMap<>();
        for (Path f : files) exact.put(f.toString(), "<slice " + f.getFileName() + ">");
        return msg -> {
            for (Map.Entry<String, String> e : exact.entrySet()) msg = msg.replace(e.getKey(), e.getValue());
            for (String d : dirs) msg = msg.replace(d, "<data>");
            return msg;
        };
    }

    private static void closeQuietly(AutoCloseable... cs) {
        for (AutoCloseable c : cs) {
            if (c == null) continue;
            try {
                c.close();
            } catch (Exception ignored) {
                // already failing; the original error is what matters
            }
        }
    }

    @Override
    public void close() {
        pristine.close();
        databases.close();
        guard.close();
        allocator.close();
    }
}
