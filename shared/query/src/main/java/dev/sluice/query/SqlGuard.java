package dev.sluice.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.duckdb.DuckDBConnection;

/**
 * The first sandbox layer: parses the user's SQL with DuckDB's own parser ({@code json_serialize_sql}, so there is
 * no parser differential with the engine that runs it) and walks the syntax tree.
 *
 * <ul>
 *   <li>exactly one statement, and it must be a query (SELECT / WITH / VALUES / FROM-first) — DuckDB serializes
 *       nothing else, so COPY, ATTACH, SET, PRAGMA, CREATE, INSTALL, LOAD, EXPORT, CALL… all fail here;</li>
 *   <li>every table reference is an unqualified name that is either a CTE in scope or a dataset alias (returned so
 *       the caller mounts exactly those); system views ({@code sqlite_master}, {@code duckdb_views},
 *       {@code pg_settings}…) and replacement scans ({@code FROM '/etc/passwd'}) are therefore never reachable;</li>
 *   <li>table functions only from a small allowlist (range, unnest, …): every file/URL reader, glob, metadata and
 *       catalog function is refused; scalar functions that reveal settings, environment or view definitions are
 *       refused;</li>
 *   <li>a CTE may not shadow a system view name, so a CTE scoping subtlety cannot turn into a catalog read.</li>
 * </ul>
 * The engine configuration (allowed paths, no external access, locked settings) is the second, independent layer.
 */
public final class SqlGuard implements AutoCloseable {
    /** Table functions that compute rows and touch no file, catalog or setting. */
    static final Set<String> ALLOWED_TABLE_FUNCTIONS = Set.of("range", "generate_series", "unnest", "json_each", "json_tree", "repeat_row");

    /** Scalar functions/macros that reveal settings, environment, view definitions, or stall the engine. */
    static final Set<String> DENIED_FUNCTIONS = Set.of(
            "current_setting", "getenv", "getvariable", "pg_get_viewdef", "pg_get_constraintdef", "pg_get_expr",
            "col_description", "obj_description", "shobj_description", "pg_sleep", "pg_conf_load_time",
            "pg_postmaster_start_time", "glob", "query", "query_table", "sniff_csv", "json_execute_serialized_sql",
            "json_serialize_sql", "json_deserialize_sql", "json_serialize_plan", "which_secret", "summary", "histogram",
            "histogram_values", "checkpoint", "force_checkpoint", "enable_logging", "disable_logging",
            "enable_profiling", "disable_profiling", "truncate_duckdb_logs", "test_all_types", "test_vector_types",
            "arrow_scan", "arrow_scan_dumb", "seq_scan", "load_extension", "icu_calendar_names", "pg_timezone_names");

    /** Name prefixes of file readers, metadata and catalog functions. */
    static final List<String> DENIED_PREFIXES = List.of(
            "read_", "parquet_", "duckdb_", "pragma_", "sniff_", "iceberg_", "delta_", "sqlite_", "postgres_",
            "mysql_", "excel_", "st_read", "http", "s3", "gcs", "azure", "csv_", "json_execute", "ducklake", "copy_");

    /** Table-reference kinds that may appear in a query. */
    static final Set<String> ALLOWED_TABLE_REFS = Set.of("BASE_TABLE", "JOIN", "SUBQUERY", "TABLE_FUNCTION", "EXPRESSION_LIST", "EMPTY", "PIVOT");

    private final DuckDBConnection parser;
    private final Set<String> systemObjects;

    public SqlGuard() {
        try {
            parser = (DuckDBConnection) QueryService.open();
            try (Statement st = parser.createStatement()) {
                // The parsing connection is sandboxed too, though it only ever runs json_serialize_sql(?).
                st.execute("SET enable_external_access=false");
                st.execute("SET lock_configuration=true");
            }
            systemObjects = new HashSet<>();
            try (Statement st = parser.createStatement();
                    ResultSet rs = st.executeQuery("SELECT lower(view_name) FROM duckdb_views() UNION SELECT lower(table_name) FROM duckdb_tables()")) {
                while (rs.next()) systemObjects.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start DuckDB for SQL parsing", e);
        }
    }

    /**
     * What a checked query needs.
     *
     * @param tables    table names as written, keyed by their lower-cased form
     * @param statement the statement's syntax tree as DuckDB serializes it (plain maps and lists), for callers that
     *                  reason about the plan (e.g. whether a transform is a plain projection/filter)
     */
    public record Analysis(Map<String, String> tables, Map<String, Object> statement) {
        /** Table names as written (key: lower-cased, since DuckDB identifiers are case-insensitive). */
        public Set<String> tableNames() {
            return Set.copyOf(tables.values());
        }
    }

    public Analysis analyze(String sql) {
        Object tree = JsonTree.parse(serialize(sql));
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) tree;
        if (Boolean.TRUE.equals(root.get("error"))) {
            String type = String.valueOf(root.get("error_type"));
            String msg = String.valueOf(root.get("error_message"));
            if ("parser".equalsIgnoreCase(type)) throw new InvalidQueryException("Parser Error: " + msg);
            if (msg.contains("Only SELECT statements")) {
                throw new ForbiddenQueryException("only a single query (SELECT, WITH … SELECT, VALUES) is allowed");
            }
            throw new InvalidQueryException(type + ": " + msg);
        }
        List<?> statements = (List<?>) root.get("statements");
        if (statements == null || statements.isEmpty()) throw new InvalidQueryException("the query is empty");
        if (statements.size() != 1) throw new ForbiddenQueryException("only a single statement is allowed, found " + statements.size());
        Map<String, String> tables = new LinkedHashMap<>();
        walk(statements.get(0), Set.of(), tables);
        @SuppressWarnings("unchecked")
        Map<String, Object> statement = (Map<String, Object>) statements.get(0);
        return new Analysis(tables, statement);
    }

    private String serialize(String sql) {
        // A duplicate shares the database but not the connection state, so concurrent callers don't contend.
        try (Connection c = parser.duplicate(); PreparedStatement ps = c.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
            ps.setString(1, sql);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new InvalidQueryException(QueryService.cleanMessage(e.getMessage()), e);
        }
    }

    private void walk(Object node, Set<String> ctes, Map<String, String> tables) {
        if (node instanceof List<?> l) {
            for (Object o : l) walk(o, ctes, tables);
            return;
        }
        if (!(node instanceof Map<?, ?> m)) return;
        Set<String> scope = ctes;
        Object cteMap = m.get("cte_map");
        if (cteMap instanceof Map<?, ?> cm && cm.get("map") instanceof List<?> entries && !entries.isEmpty()) {
            // CTE i sees the outer scope and CTEs 0..i-1; the query body sees all of them.
            scope = new HashSet<>(ctes);
            for (Object e : entries) {
                Map<?, ?> entry = (Map<?, ?>) e;
                String name = lower(String.valueOf(entry.get("key")));
                if (systemObjects.contains(name)) throw new ForbiddenQueryException("a CTE must not be named like the system view '" + name + "'");
                walk(entry.get("value"), Set.copyOf(scope), tables);
                scope.add(name);
            }
        }
        if ("RECURSIVE_CTE_NODE".equals(m.get("type")) && m.get("cte_name") instanceof String cte) {
            scope = new HashSet<>(scope);
            scope.add(lower(cte));
        }
        check(m, scope, tables);
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if ("cte_map".equals(e.getKey())) continue;
            walk(e.getValue(), scope, tables);
        }
    }

    private void check(Map<?, ?> m, Set<String> ctes, Map<String, String> tables) {
        if (m.get("function_name") instanceof String fn) checkFunction(fn);
        // Table references serialize a "sample" member; query nodes (SELECT_NODE…) do too but also have "modifiers".
        if (!(m.containsKey("sample") && !m.containsKey("modifiers") && m.get("type") instanceof String type)) return;
        if (!ALLOWED_TABLE_REFS.contains(type)) throw new ForbiddenQueryException("table reference of kind " + type + " is not allowed");
        if (type.equals("TABLE_FUNCTION")) {
            Map<?, ?> f = (Map<?, ?>) m.get("function");
            String name = f == null ? "" : lower(String.valueOf(f.get("function_name")));
            if (!ALLOWED_TABLE_FUNCTIONS.contains(name)) throw new ForbiddenQueryException("table function " + name + "() is not allowed");
        }
        if (type.equals("BASE_TABLE")) {
            String schema = str(m.get("schema_name")), catalog = str(m.get("catalog_name")), name = str(m.get("table_name"));
            if (!schema.isEmpty() || !catalog.isEmpty()) {
                throw new ForbiddenQueryException("qualified table names are not allowed (" + String.join(".", List.of(catalog, schema, name).stream()
                        .filter(s -> !s.isEmpty()).toList()) + "); quote dataset aliases that contain '.' or '/', e.g. \"kamu/player-scores\"");
            }
            String key = lower(name);
            if (ctes.contains(key)) return;
            if (looksLikeFileOrUrl(name)) throw new ForbiddenQueryException("files and URLs cannot be queried: '" + name + "'");
            tables.putIfAbsent(key, name);
        }
    }

    static void checkFunction(String raw) {
        String fn = lower(raw);
        if (DENIED_FUNCTIONS.contains(fn)) throw new ForbiddenQueryException("function " + fn + "() is not allowed");
        for (String p : DENIED_PREFIXES) {
            if (fn.startsWith(p)) throw new ForbiddenQueryException("function " + fn + "() is not allowed");
        }
    }

    /**
     * Replacement-scan shapes that can never be aliases: paths and URLs (aliases have at most one '/', no ':' or '\').
     * Other unknown names (e.g. {@code 'passwd.csv'}) are simply not datasets: nothing is mounted and the query fails
     * as not found before it runs, so DuckDB never gets to resolve them as files.
     */
    static boolean looksLikeFileOrUrl(String name) {
        if (name.startsWith("/") || name.startsWith(".") || name.startsWith("~") || name.contains(":") || name.contains("\\") || name.contains("*")) return true;
        return name.indexOf('/') != name.lastIndexOf('/');
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (SQLException ignored) {
            // closing an in-memory database cannot lose anything
        }
    }
}
