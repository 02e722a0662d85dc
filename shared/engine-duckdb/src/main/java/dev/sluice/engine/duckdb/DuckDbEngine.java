package dev.sluice.engine.duckdb;

import dev.sluice.storage.LocalFiles;
import dev.sluice.data.SliceResult;
import dev.sluice.data.SliceWriter;
import dev.sluice.engine.Engine;
import dev.sluice.engine.TransformRequest;
import dev.sluice.engine.TransformRequestInput;
import dev.sluice.engine.TransformResponse;
import dev.sluice.engine.Watermark;
import dev.sluice.odf.DatasetVocabulary;
import dev.sluice.odf.Transform;
import dev.sluice.query.QueryException;
import dev.sluice.query.PristineDatabases;
import dev.sluice.query.QueryService;
import dev.sluice.query.SqlTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The DuckDB engine. Each transform gets a fresh in-memory DuckDB (opened ahead of time, never reused) locked down exactly like a user query
 * ({@link QueryService#lockDown}: only the request's files readable, a private scratch folder, no extensions, network or
 * settings), with every input mounted as a view named by its query alias. How the SQL runs is decided from its plan
 * ({@link PlanAnalyzer}):
 *
 * <ul>
 *   <li><b>stateless</b> (projection/filter): over the new slices only; each row keeps its input's op, so retractions
 *       stay retractions (a -C/+C pair the filter split in half becomes -R or +A);</li>
 *   <li><b>recompute</b> (aggregates, windows, joins, DISTINCT, top-N…): over each input's state (all its slices with
 *       the changelog applied), single-threaded (as every plan: see {@link #DUCKDB_THREADS}) so that float sums and ranking ties come out the same on every run; the
 *       new result is diffed with the previous one, which the checkpoint holds: +A new rows, -R gone rows, -C/+C pairs
 *       for changed rows of the same key.</li>
 * </ul>
 * The output slice is written by {@link SliceWriter} (system columns from the request and the output vocabulary), the
 * checkpoint with DuckDB's Parquet writer from sorted rows, so the same request always gives the same bytes.
 */
public final class DuckDbEngine implements Engine, AutoCloseable {
    public static final String NAME = "duckdb";
    /** Dialects whose SQL this engine runs when DuckDB accepts it (the coordinator says it stood in). */
    public static final Set<String> DIALECTS = Set.of("duckdb", "datafusion", "risingwave", "flink", "spark");
    /** Checkpoint format marker (Parquet key-value metadata). */
    static final String CHECKPOINT_KEY = "sluice.checkpoint";
    static final String CHECKPOINT_FORMAT = "duckdb-recompute/1";
    static final int ARROW_BATCH_ROWS = 65_536;
    static final int DUCKDB_THREADS = 1;

    // DuckDB (its ~60 MB native library) and Arrow are started on first use, not here: a function that finds its
    // dataset up to date, or runs another engine, never pays for them. Guarded by this.
    private PlanAnalyzer analyzer;
    private String build;
    private BufferAllocator allocator;
    private boolean closed;
    private final String memoryLimit;
    /**
     * A fresh database per transform, opened ahead of time (~20 ms off each step) while the previous step stores its
     * output; never reused. Lazy, as above.
     */
    private PristineDatabases databases;

    public DuckDbEngine() {
        this(null);
    }

    /** @param memoryLimit DuckDB {@code memory_limit} per transform (e.g. {@code 2GB}), or null for DuckDB's default */
    public DuckDbEngine(String memoryLimit) {
        try {
            // DriverManager's service scan may not see the driver in application class loaders (Quarkus): register it.
            Class.forName("org.duckdb.DuckDBDriver");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("DuckDB JDBC driver missing from the class path", e);
        }
        this.memoryLimit = memoryLimit;
    }

    private synchronized PlanAnalyzer analyzer() {
        if (closed) throw new IllegalStateException("the DuckDB engine is closed");
        if (analyzer == null) analyzer = new PlanAnalyzer();
        return analyzer;
    }

    private synchronized PristineDatabases databases() {
        if (closed) throw new IllegalStateException("the DuckDB engine is closed");
        if (databases == null) databases = new PristineDatabases(1, "sluice-engine-duckdb-warmer");
        return databases;
    }

    /** Opens the next step's database in the background (nothing once the engine is closed). */
    private void refillDatabases() {
        PristineDatabases d;
        synchronized (this) {
            d = databases;
        }
        if (d != null) d.refillSoon();
    }

    private synchronized BufferAllocator allocator() {
        if (closed) throw new IllegalStateException("the DuckDB engine is closed");
        if (allocator == null) allocator = new RootAllocator();
        return allocator;
    }

    private static String buildOf() {
        String engineVersion = "unknown";
        try (InputStream in = DuckDbEngine.class.getResourceAsStream("engine.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                engineVersion = p.getProperty("version", engineVersion);
            }
        } catch (IOException ignored) {
            // the version is informative only
        }
        try (Connection c = QueryService.open(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT library_version, source_id FROM pragma_version()")) {
            rs.next();
            return "sluice-engine-duckdb " + engineVersion + " (DuckDB " + rs.getString(1) + " " + rs.getString(2) + ")";
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start DuckDB", e);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized String build() {
        if (build == null) build = buildOf();
        return build;
    }

    @Override
    public boolean accepts(String dialect) {
        return dialect != null && DIALECTS.contains(dialect.toLowerCase(Locale.ROOT));
    }

    @Override
    public boolean recomputes(Transform.Sql transform) {
        return analyzer().recomputes(transform);
    }

    @Override
    public TransformResponse transform(TransformRequest request) {
        Path work = null;
        try {
            Map<String, DatasetVocabulary> inputs = new LinkedHashMap<>();
            for (TransformRequestInput in : request.queryInputs()) inputs.put(in.queryAlias(), in.vocab());
            PlanAnalyzer.Plan plan = analyzer().analyze(request.transform(), inputs);
            work = Files.createTempDirectory(request.newDataPath().toAbsolutePath().getParent(), ".duckdb-");
            try (Run run = new Run(request, plan, work)) {
                return run.execute();
            }
        } catch (QueryException e) {
            return new TransformResponse.InvalidQuery(e.getMessage());
        } catch (InvalidTransform e) {
            return new TransformResponse.InvalidQuery(e.getMessage());
        } catch (Exception e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            return new TransformResponse.InternalError(String.valueOf(e.getMessage()), trace.toString());
        } finally {
            if (work != null) LocalFiles.deleteTree(work);
        }
    }

    /** A user error found while running (bad result shape, failing SQL): reported as InvalidQuery. */
    static final class InvalidTransform extends RuntimeException {
        InvalidTransform(String message) {
            super(message);
        }
    }

    /** One transform in its own locked-down database. */
    private final class Run implements AutoCloseable {
        private final TransformRequest req;
        private final PlanAnalyzer.Plan plan;
        private final Path work;
        private final Connection conn;
        private final List<Path> files = new ArrayList<>();
        private final DatasetVocabulary out;

        Run(TransformRequest req, PlanAnalyzer.Plan plan, Path work) throws SQLException {
            this.req = req;
            this.plan = plan;
            this.work = work;
            this.out = req.vocab() == null ? DatasetVocabulary.DEFAULT : req.vocab();
            for (TransformRequestInput in : req.queryInputs()) {
                if (in.schemaFile() != null) files.add(in.schemaFile().toAbsolutePath());
                for (Path p : in.priorDataPaths()) files.add(p.toAbsolutePath());
                for (Path p : in.dataPaths()) files.add(p.toAbsolutePath());
            }
            if (req.prevCheckpointPath() != null) files.add(req.prevCheckpointPath().toAbsolutePath());
            this.conn = databases().takeWithoutRefill(); // the next one is opened once this one is closed
            // One DuckDB thread for every plan. Recompute: parallel float sums and ranking ties would differ from run to
            // run. Stateless: the Arrow stream is pulled by this thread, so a second DuckDB thread only adds CPU (~20%
            // of DuckDB's, measured on 1M rows) that the slice writer's lanes need; the output is the same either way.
            QueryService.lockDown(conn, files, work, new QueryService.Options(work, memoryLimit, DUCKDB_THREADS, ARROW_BATCH_ROWS));
        }

        TransformResponse execute() throws SQLException, IOException {
            boolean stateless = plan.stateless();
            for (TransformRequestInput in : req.queryInputs()) mount(in, stateless);
            Instant watermark = watermark(req.queryInputs());
            SliceResult slice = stateless ? runStateless() : runRecompute();
            if (slice == null || slice.rowCount() == 0) {
                Files.deleteIfExists(req.newDataPath());
                return new TransformResponse.Success(null, watermark, null);
            }
            return new TransformResponse.Success(slice.offsetInterval(), watermark, slice.toDataSlice());
        }

        // ---- inputs -----------------------------------------------------------------------------------------------

        private void mount(TransformRequestInput in, boolean stateless) throws SQLException {
            List<Path> data = new ArrayList<>();
            if (!stateless) data.addAll(in.priorDataPaths());
            data.addAll(in.dataPaths());
            List<Path> all = new ArrayList<>();
            if (in.schemaFile() != null) all.add(in.schemaFile());
            all.addAll(data);
            if (all.isEmpty()) throw new IllegalArgumentException("input " + in.queryAlias() + " has neither data nor a schema file");
            String scan = scan(all);
            String body = "SELECT * FROM " + scan;
            if (!stateless && !data.isEmpty() && count(scan(data) + " WHERE " + SqlTypes.ident(in.vocab().operationTypeColumn()) + " <> 0") > 0) {
                body = changelogApplied(scan, in.vocab());
            }
            internal("CREATE VIEW " + SqlTypes.ident(in.queryAlias()) + " AS " + body);
        }

        /**
         * The state a changelog describes, as a multiset of rows: each -R/-C cancels one earlier row with the same data
         * (every column but offset, op and system_time), the newest first; ops of the survivors read 0.
         */
        private String changelogApplied(String scan, DatasetVocabulary v) throws SQLException {
            List<String> cols = columns(scan);
            List<String> data = new ArrayList<>();
            for (String c : cols) {
                if (!c.equals(v.offsetColumn()) && !c.equals(v.operationTypeColumn()) && !c.equals(v.systemTimeColumn())) data.add(SqlTypes.ident(c));
            }
            String op = SqlTypes.ident(v.operationTypeColumn());
            String partition = data.isEmpty() ? "" : "PARTITION BY " + String.join(", ", data);
            String partitionSign = (data.isEmpty() ? "PARTITION BY " : partition + ", ") + op + " IN (1, 2)";
            return "SELECT * EXCLUDE (__sluice_neg, __sluice_rn) REPLACE (CAST(0 AS INTEGER) AS " + op + ") FROM ("
                    + "SELECT *, count(*) FILTER (WHERE " + op + " IN (1, 2)) OVER (" + partition + ") AS __sluice_neg, "
                    + "row_number() OVER (" + partitionSign + " ORDER BY " + SqlTypes.ident(v.offsetColumn()) + " DESC) AS __sluice_rn FROM " + scan
                    + ") WHERE " + op + " NOT IN (1, 2) AND __sluice_rn > __sluice_neg";
        }

        // ---- stateless --------------------------------------------------------------------------------------------

        private SliceResult runStateless() throws SQLException, IOException {
            List<Column> result = describeUser(plan.sql());
            checkResult(result);
            long nonAppends = 0;
            for (TransformRequestInput in : req.queryInputs()) {
                if (!in.dataPaths().isEmpty()) {
                    nonAppends += count(scan(in.dataPaths()) + " WHERE " + SqlTypes.ident(in.vocab().operationTypeColumn()) + " <> 0");
                }
            }
            if (nonAppends == 0) return write(plan.sql(), false); // every row +A: the query as written
            // Ops pass through; a -C whose +C was filtered out (or the reverse) no longer forms a pair.
            String o = PlanAnalyzer.OP, off = PlanAnalyzer.OFFSET;
            String sql = "SELECT * EXCLUDE (" + o + ", " + off + ", __sluice_prev, __sluice_next), CAST(CASE"
                    + " WHEN " + o + " = 2 AND __sluice_next IS DISTINCT FROM " + off + " + 1 THEN 1"
                    + " WHEN " + o + " = 3 AND __sluice_prev IS DISTINCT FROM " + off + " - 1 THEN 0"
                    + " ELSE " + o + " END AS INTEGER) AS " + SqlTypes.ident(out.operationTypeColumn())
                    + " FROM (SELECT *, lag(" + off + ") OVER (ORDER BY " + off + ") AS __sluice_prev, lead(" + off + ") OVER (ORDER BY " + off
                    + ") AS __sluice_next FROM (\n" + plan.passThroughSql() + "\n) AS __sluice_q) ORDER BY " + off;
            return write(sql, true);
        }

        // ---- recompute and diff -----------------------------------------------------------------------------------

        private SliceResult runRecompute() throws SQLException, IOException {
            List<Column> result = describeUser(plan.sql());
            checkResult(result);
            user("CREATE TEMP TABLE __sluice_new AS " + storable(result) + " FROM (\n" + plan.sql() + "\n) AS __sluice_q");
            List<Column> cols = describe("SELECT * FROM __sluice_new");
            if (req.prevCheckpointPath() != null) {
                String cp = SqlTypes.literal(req.prevCheckpointPath().toAbsolutePath().toString());
                String format = null;
                try (Statement st = conn.createStatement();
                     ResultSet rs = st.executeQuery("SELECT decode(value) FROM parquet_kv_metadata(" + cp + ") WHERE decode(key) = "
                             + SqlTypes.literal(CHECKPOINT_KEY))) {
                    if (rs.next()) format = rs.getString(1);
                }
                if (!CHECKPOINT_FORMAT.equals(format)) {
                    throw new IllegalStateException("the previous checkpoint is not a " + CHECKPOINT_FORMAT + " checkpoint (" + format + ")");
                }
                internal("CREATE TEMP TABLE __sluice_prev AS SELECT * FROM read_parquet(" + cp + ")");
            } else {
                internal("CREATE TEMP TABLE __sluice_prev AS SELECT * FROM __sluice_new LIMIT 0");
            }
            String old = aligned(cols, describe("SELECT * FROM __sluice_prev"));
            List<String> key = new ArrayList<>();
            for (String k : plan.keyCandidates()) {
                for (Column c : cols) if (c.name.equalsIgnoreCase(k) && !key.contains(c.name)) key.add(c.name);
            }
            if (key.size() != plan.keyCandidates().size() || !unique(key, "SELECT * FROM __sluice_new") || !unique(key, old)) key = List.of();
            SliceResult slice = write(key.isEmpty() ? wholeRowDiff(cols, old) : keyedDiff(cols, key, old), true);
            Path cp = work.resolve("checkpoint.parquet");
            internal("COPY (SELECT * FROM __sluice_new ORDER BY ALL) TO " + SqlTypes.literal(cp.toString()) + " (FORMAT parquet, KV_METADATA {"
                    + SqlTypes.literal(CHECKPOINT_KEY) + ": " + SqlTypes.literal(CHECKPOINT_FORMAT) + "})");
            Files.move(cp, req.newCheckpointPath(), StandardCopyOption.REPLACE_EXISTING);
            return slice;
        }

        /**
         * The result's columns in types that survive the checkpoint's Parquet round trip unchanged and that slices store:
         * 128-bit integers (e.g. sum of BIGINT) as DECIMAL(38,0), every timestamp precision as TIMESTAMP.
         */
        private String storable(List<Column> cols) {
            List<String> sel = new ArrayList<>();
            for (Column c : cols) {
                String id = SqlTypes.ident(c.name);
                String to = switch (c.type) {
                    case "HUGEINT", "UHUGEINT" -> "DECIMAL(38,0)";
                    case "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS" -> "TIMESTAMP";
                    default -> null;
                };
                sel.add(to == null ? id : "CAST(" + id + " AS " + to + ") AS " + id);
            }
            return "SELECT " + String.join(", ", sel);
        }

        /** The previous result in the new result's columns (a column the query has since gained reads null). */
        private String aligned(List<Column> now, List<Column> before) {
            Map<String, Column> prev = new LinkedHashMap<>();
            for (Column c : before) prev.put(c.name, c);
            for (Column c : before) {
                if (now.stream().noneMatch(x -> x.name.equals(c.name))) {
                    throw new InvalidTransform("the query's result lost the column " + c.name + " since the last run; reset the dataset to recompute it");
                }
            }
            List<String> sel = new ArrayList<>();
            for (Column c : now) {
                Column p = prev.get(c.name);
                String id = SqlTypes.ident(c.name);
                if (p == null) sel.add("CAST(NULL AS " + c.type + ") AS " + id);
                else sel.add(p.type.equals(c.type) ? id : "CAST(" + id + " AS " + c.type + ") AS " + id);
            }
            return "SELECT " + String.join(", ", sel) + " FROM __sluice_prev";
        }

        private boolean unique(List<String> key, String rows) throws SQLException {
            if (key.isEmpty()) return false;
            String k = String.join(", ", key.stream().map(SqlTypes::ident).toList());
            return count("(SELECT " + k + " FROM (" + rows + ") GROUP BY " + k + " HAVING count(*) > 1)") == 0;
        }

        /** Same key in both: -C old, +C new if any other column differs; key only in old: -R; only in new: +A. */
        private String keyedDiff(List<Column> cols, List<String> key, String old) {
            String op = SqlTypes.ident(out.operationTypeColumn());
            List<String> on = new ArrayList<>();
            for (String k : key) on.add("o." + SqlTypes.ident(k) + " IS NOT DISTINCT FROM n." + SqlTypes.ident(k));
            List<String> differs = new ArrayList<>();
            for (Column c : cols) if (!key.contains(c.name)) differs.add("o." + SqlTypes.ident(c.name) + " IS DISTINCT FROM n." + SqlTypes.ident(c.name));
            String join = String.join(" AND ", on);
            String changed = differs.isEmpty() ? "false" : String.join(" OR ", differs);
            List<String> order = new ArrayList<>();
            for (String k : key) order.add(SqlTypes.ident(k) + " ASC NULLS FIRST");
            order.add(op);
            return "WITH o AS (" + old + "), n AS (SELECT * FROM __sluice_new) SELECT * FROM ("
                    + "SELECT CAST(1 AS INTEGER) AS " + op + ", o.* FROM o ANTI JOIN n ON " + join
                    + " UNION ALL SELECT CAST(0 AS INTEGER), n.* FROM n ANTI JOIN o ON " + join
                    + " UNION ALL SELECT CAST(2 AS INTEGER), o.* FROM o JOIN n ON " + join + " WHERE " + changed
                    + " UNION ALL SELECT CAST(3 AS INTEGER), n.* FROM n JOIN o ON " + join + " WHERE " + changed
                    + ") ORDER BY " + String.join(", ", order);
        }

        /** No usable key: rows gone (as a multiset) are retracted, then rows new are appended. */
        private String wholeRowDiff(List<Column> cols, String old) {
            String op = SqlTypes.ident(out.operationTypeColumn());
            List<String> order = new ArrayList<>(List.of(op + " DESC"));
            for (Column c : cols) order.add(SqlTypes.ident(c.name) + " ASC NULLS FIRST");
            return "WITH o AS (" + old + "), n AS (SELECT * FROM __sluice_new) SELECT * FROM ("
                    + "SELECT CAST(1 AS INTEGER) AS " + op + ", * FROM (SELECT * FROM o EXCEPT ALL SELECT * FROM n)"
                    + " UNION ALL SELECT CAST(0 AS INTEGER), * FROM (SELECT * FROM n EXCEPT ALL SELECT * FROM o)"
                    + ") ORDER BY " + String.join(", ", order);
        }

        // ---- output -----------------------------------------------------------------------------------------------

        /**
         * The query result must leave offset, op and system_time to the engine (kamu's rule) and carry the event time
         * column named by the output vocabulary, as a timestamp or date.
         */
        private void checkResult(List<Column> cols) {
            for (String sys : List.of(out.offsetColumn(), out.operationTypeColumn(), out.systemTimeColumn())) {
                for (Column c : cols) {
                    if (c.name.equalsIgnoreCase(sys)) {
                        throw new InvalidTransform("the query's result has a column '" + c.name + "' that conflicts with the system column of that name;"
                                + " rename the column or set the dataset's vocabulary to use another name");
                    }
                }
            }
            Column et = cols.stream().filter(c -> c.name.equals(out.eventTimeColumn())).findFirst().orElse(null);
            if (et == null) {
                throw new InvalidTransform("the query's result has no event time column '" + out.eventTimeColumn() + "' (columns: "
                        + String.join(", ", cols.stream().map(c -> c.name).toList()) + "); select it or set eventTimeColumn in SetVocab");
            }
            if (!(et.type.startsWith("TIMESTAMP") || et.type.equals("DATE"))) {
                throw new InvalidTransform("the event time column '" + et.name + "' must be a timestamp or date, not " + et.type);
            }
        }

        /** Streams a query's rows (Arrow batches of a fixed size, so slice bytes never depend on chunking) into the slice. */
        private SliceResult write(String sql, boolean opColumn) throws SQLException, IOException {
            BufferAllocator child = allocator().newChildAllocator("transform", 0, Long.MAX_VALUE);
            try (child; Statement st = conn.createStatement()) {
                org.duckdb.DuckDBResultSet rs;
                try {
                    rs = (org.duckdb.DuckDBResultSet) st.executeQuery(sql);
                } catch (SQLException e) {
                    throw new InvalidTransform(redact(QueryService.cleanMessage(e.getMessage())));
                }
                try (rs; org.apache.arrow.vector.ipc.ArrowReader reader =
                        (org.apache.arrow.vector.ipc.ArrowReader) rs.arrowExportStream(child, ARROW_BATCH_ROWS)) {
                    SliceWriter.Options opts = SliceWriter.options()
                            .startOffset(req.nextOffset())
                            .systemTime(req.systemTime())
                            .vocabulary(out)
                            .eventTimeColumn(out.eventTimeColumn())
                            .batchesImmutable() // each Arrow batch is imported into new buffers: kept, not copied
                            .allocator(child);
                    if (opColumn) opts.opColumn();
                    SliceWriter w;
                    try {
                        w = SliceWriter.open(req.newDataPath(), reader.getVectorSchemaRoot().getSchema(), opts);
                    } catch (UnsupportedOperationException | IllegalArgumentException e) {
                        throw new InvalidTransform("the query's result cannot be stored as an ODF slice: " + e.getMessage() + " (CAST the column to a supported type)");
                    }
                    try (w) {
                        while (load(reader)) w.write(reader.getVectorSchemaRoot());
                        return w.finish();
                    }
                }
            }
        }

        private boolean load(org.apache.arrow.vector.ipc.ArrowReader reader) throws IOException {
            try {
                return reader.loadNextBatch();
            } catch (RuntimeException e) {
                throw new InvalidTransform(redact(QueryService.cleanMessage(String.valueOf(e.getMessage()))));
            }
        }

        // ---- helpers ----------------------------------------------------------------------------------------------

        private String scan(List<Path> paths) {
            if (paths.size() == 1) return "read_parquet(" + SqlTypes.literal(paths.get(0).toAbsolutePath().toString()) + ")";
            List<String> lits = paths.stream().map(p -> SqlTypes.literal(p.toAbsolutePath().toString())).toList();
            // Schema evolution is additive: older slices may lack newer columns; align by name.
            return "read_parquet([" + String.join(", ", lits) + "], union_by_name = true)";
        }

        private long count(String from) throws SQLException {
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + from)) {
                rs.next();
                return rs.getLong(1);
            }
        }

        private List<String> columns(String from) throws SQLException {
            return describe("SELECT * FROM " + from).stream().map(c -> c.name).toList();
        }

        private List<Column> describe(String sql) throws SQLException {
            List<Column> cols = new ArrayList<>();
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("DESCRIBE " + sql)) {
                while (rs.next()) cols.add(new Column(rs.getString("column_name"), rs.getString("column_type")));
            }
            return cols;
        }

        /** The columns of the transform's own SQL: a failure is the query's fault. */
        private List<Column> describeUser(String sql) {
            try {
                return describe(sql);
            } catch (SQLException e) {
                throw new InvalidTransform(redact(QueryService.cleanMessage(e.getMessage())));
            }
        }

        /** A statement that runs the transform's SQL: a failure is the query's fault (InvalidQuery). */
        private void user(String sql) {
            try (Statement st = conn.createStatement()) {
                st.execute(sql);
            } catch (SQLException e) {
                throw new InvalidTransform(redact(QueryService.cleanMessage(e.getMessage())));
            }
        }

        /** The engine's own statement: a failure is the engine's (InternalError). */
        private void internal(String sql) throws SQLException {
            try (Statement st = conn.createStatement()) {
                st.execute(sql);
            }
        }

        /** Messages must not reveal where files live on this machine. */
        private String redact(String msg) {
            for (Path f : files) {
                msg = msg.replace(f.toString(), "<" + f.getFileName() + ">");
                if (f.getParent() != null) msg = msg.replace(f.getParent().toString(), "<data>");
            }
            return msg.replace(work.toString(), "<scratch>");
        }

        @Override
        public void close() throws SQLException {
            try {
                conn.close();
            } finally {
                refillDatabases(); // while the coordinator stores and commits (mostly waiting for I/O)
            }
        }
    }

    private record Column(String name, String type) {}

    /** Output watermark: the minimum over inputs of each input's latest watermark; none while any input has none. */
    static Instant watermark(List<TransformRequestInput> inputs) {
        Instant min = null;
        for (TransformRequestInput in : inputs) {
            Instant latest = null;
            for (Watermark w : in.explicitWatermarks()) if (latest == null || w.eventTime().isAfter(latest)) latest = w.eventTime();
            if (latest == null) return null;
            if (min == null || latest.isBefore(min)) min = latest;
        }
        return min;
    }


    @Override
    public synchronized void close() {
        closed = true;
        if (analyzer != null) analyzer.close();
        if (databases != null) databases.close();
        if (allocator != null) allocator.close();
    }
}
