package dev.sluice.engine.duckdb;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.odf.DatasetVocabulary;
import dev.sluice.odf.Transform;
import dev.sluice.query.ForbiddenQueryException;
import dev.sluice.query.InvalidQueryException;
import dev.sluice.query.QueryService;
import dev.sluice.query.SqlGuard;
import dev.sluice.query.SqlTypes;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.duckdb.DuckDBConnection;

/**
 * Decides how a transform runs, from DuckDB's own parse tree ({@link SqlGuard}, {@code json_serialize_sql}) — never by
 * matching SQL text:
 *
 * <ul>
 *   <li><b>stateless</b>: projections and filters only — SELECT over one input (or over such a SELECT as a subquery),
 *       or UNION ALL of SELECTs over distinct inputs; no aggregate, window, DISTINCT, ORDER BY/LIMIT, GROUP BY,
 *       HAVING, QUALIFY, join, CTE, subquery expression or set-returning function. Each output row comes from exactly
 *       one input row, so it runs over the new slices only and the input's {@code op} passes through. For that the
 *       plan is rewritten on the tree (each input's {@code op} and {@code offset} appended to the select lists) and
 *       turned back into SQL with {@code json_deserialize_sql};</li>
 *   <li><b>recompute</b>: everything else — re-run over the inputs' whole state and diffed with the previous result.
 *       The diff key comes from the plan where it can: the GROUP BY columns of an aggregate, or the ranking column of a
 *       {@code row_number()/rank()/dense_rank()} (plus its PARTITION BY columns) for top-N. The engine checks at run
 *       time that the key is present and unique, else it diffs whole rows.</li>
 * </ul>
 * Functions whose value changes from run to run (now, random, uuid…) are refused: a transform must be reproducible.
 */
final class PlanAnalyzer implements AutoCloseable {
    static final String RESERVED = "__sluice";
    static final String OP = RESERVED + "_op";
    static final String OFFSET = RESERVED + "_offset";

    /** Functions (and keyword "columns") whose results differ between runs. */
    static final Set<String> NONDETERMINISTIC = Set.of(
            "random", "setseed", "uuid", "gen_random_uuid", "uuidv4", "uuidv7", "now", "get_current_timestamp",
            "current_timestamp", "transaction_timestamp", "statement_timestamp", "current_date", "current_time", "today",
            "localtimestamp", "localtime", "get_current_time", "nextval", "currval", "current_localtimestamp",
            "current_localtime", "current_query", "txid_current", "current_transaction_id");

    private static final Set<String> RANKING = Set.of("WINDOW_ROW_NUMBER", "WINDOW_RANK", "WINDOW_RANK_DENSE");
    private static final JsonFactory JSON = new JsonFactory();

    /** How a transform runs. */
    record Plan(
            String sql,
            /** null when the transform must be recomputed; else the SQL with {@link #OP}/{@link #OFFSET} carried through */
            String passThroughSql,
            /** diff key candidates (output column names), empty for a whole-row diff */
            List<String> keyCandidates,
            /** input query aliases the SQL reads, lower-cased */
            Set<String> tables) {
        boolean stateless() {
            return passThroughSql != null;
        }
    }

    private final SqlGuard guard = new SqlGuard();
    /** Serialization and the function catalog only; never runs a transform's SQL. */
    private final DuckDBConnection tools;
    private final Set<String> aggregates = new HashSet<>();

    PlanAnalyzer() {
        try {
            tools = (DuckDBConnection) QueryService.open();
            try (Statement st = tools.createStatement()) {
                st.execute("SET enable_external_access=false");
                try (ResultSet rs = st.executeQuery("SELECT DISTINCT lower(function_name) FROM duckdb_functions() WHERE function_type = 'aggregate'")) {
                    while (rs.next()) aggregates.add(rs.getString(1));
                }
                st.execute("SET lock_configuration=true");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start DuckDB for plan analysis", e);
        }
    }

    /**
     * The SQL of a transform (multi-step queries folded into CTEs of the output query) analysed.
     *
     * @param inputs the transform's inputs: query alias → the input's vocabulary (its op and offset column names); null
     *               to classify only, without checking that the tables are inputs
     * @throws InvalidQueryException   the SQL is wrong or names a table that is not an input
     * @throws ForbiddenQueryException the SQL does something a transform may not
     */
    Plan analyze(Transform.Sql transform, Map<String, DatasetVocabulary> inputs) {
        // A derivative's SQL is the same step after step (and the coordinator asks before every step whether it
        // recomputes): parsing and serializing it through DuckDB costs ~5 ms a time. Failures are not remembered.
        PlanKey k = new PlanKey(transform, inputs == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(inputs)));
        synchronized (plans) {
            Plan p = plans.get(k);
            if (p != null) return p;
        }
        Plan p = analyzeUncached(transform, inputs);
        synchronized (plans) {
            plans.put(k, p);
        }
        return p;
    }

    private record PlanKey(Transform.Sql transform, Map<String, DatasetVocabulary> inputs) {}

    private static final int PLANS_CACHED = 256;
    /** Plans of recent transforms, least recently used dropped first. */
    private final Map<PlanKey, Plan> plans = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PlanKey, Plan> eldest) {
            return size() > PLANS_CACHED;
        }
    };

    private Plan analyzeUncached(Transform.Sql transform, Map<String, DatasetVocabulary> inputs) {
        String sql = sqlOf(transform);
        SqlGuard.Analysis analysis = guard.analyze(sql);
        Map<String, DatasetVocabulary> vocabByLower = new LinkedHashMap<>();
        if (inputs == null) {
            // Classification only: every table is taken for an input (the vocabulary only names the rewrite's columns).
            for (String t : analysis.tables().keySet()) vocabByLower.put(t, DatasetVocabulary.DEFAULT);
        } else {
            inputs.forEach((alias, vocab) -> vocabByLower.put(alias.toLowerCase(Locale.ROOT), vocab));
        }
        for (String t : analysis.tables().keySet()) {
            if (!vocabByLower.containsKey(t)) {
                throw new InvalidQueryException("the query reads '" + analysis.tables().get(t) + "', which is not an input of the transform (inputs: "
                        + String.join(", ", inputs.keySet()) + ")");
            }
        }
        Map<String, Object> statement = analysis.statement();
        checkDeterministic(statement);
        Map<String, Object> root = map(statement.get("node"));
        String passThrough = null;
        if (stateless(root)) {
            Map<String, Object> rewritten = deepCopy(statement);
            if (inject(map(rewritten.get("node")), vocabByLower, new HashSet<>())) {
                passThrough = deserialize(rewritten);
                guard.analyze(passThrough); // what runs is what was checked
            }
        }
        List<String> key = passThrough != null ? List.of() : keyCandidates(root);
        return new Plan(sql, passThrough, List.copyOf(key), Collections.unmodifiableSet(new LinkedHashSet<>(analysis.tables().keySet())));
    }

    /** Only to decide whether the coordinator must pass history; a query that does not parse is not recomputed. */
    boolean recomputes(Transform.Sql transform) {
        try {
            return !analyze(transform, null).stateless();
        } catch (RuntimeException e) {
            return false;
        }
    }

    static String sqlOf(Transform.Sql t) {
        if (t.temporalTables() != null && !t.temporalTables().isEmpty()) {
            throw new InvalidQueryException("temporal tables (a Flink feature) are not supported by the DuckDB engine");
        }
        List<Transform.SqlQueryStep> steps = t.query() != null ? List.of(new Transform.SqlQueryStep(null, t.query())) : t.queries();
        if (steps == null || steps.isEmpty()) throw new InvalidQueryException("the transform has no query");
        for (Transform.SqlQueryStep s : steps) {
            if (s.query() == null || s.query().isBlank()) throw new InvalidQueryException("the transform has an empty query");
            String text = s.query() + " " + (s.alias() == null ? "" : s.alias());
            if (text.toLowerCase(Locale.ROOT).contains(RESERVED)) {
                throw new InvalidQueryException("identifiers starting with " + RESERVED + " are reserved by the engine");
            }
        }
        if (steps.size() == 1) return steps.get(0).query();
        // Named steps become CTEs of the last (unnamed) one, which is the output.
        List<String> ctes = new ArrayList<>();
        for (int i = 0; i < steps.size() - 1; i++) {
            Transform.SqlQueryStep s = steps.get(i);
            if (s.alias() == null || s.alias().isBlank()) throw new InvalidQueryException("query step " + (i + 1) + " needs an alias");
            ctes.add(SqlTypes.ident(s.alias()) + " AS (\n" + stripSemicolons(s.query()) + "\n)");
        }
        return "WITH " + String.join(",\n", ctes) + "\nSELECT * FROM (\n" + stripSemicolons(steps.get(steps.size() - 1).query()) + "\n) AS " + RESERVED + "_output";
    }

    private static String stripSemicolons(String q) {
        String s = q.strip();
        while (s.endsWith(";")) s = s.substring(0, s.length() - 1).strip();
        return s;
    }

    // ---- determinism ----------------------------------------------------------------------------------------------

    private static void checkDeterministic(Object node) {
        if (node instanceof List<?> l) {
            for (Object o : l) checkDeterministic(o);
            return;
        }
        if (!(node instanceof Map<?, ?> m)) return;
        String fn = null;
        if (m.get("function_name") instanceof String f) fn = f;
        if ("COLUMN_REF".equals(m.get("class")) && m.get("column_names") instanceof List<?> names && names.size() == 1) fn = String.valueOf(names.get(0));
        if (fn != null && NONDETERMINISTIC.contains(fn.toLowerCase(Locale.ROOT))) {
            throw new ForbiddenQueryException(fn + " is not allowed in a transform: its value changes between runs, and a transform must give the same result when re-run");
        }
        for (Object v : m.values()) checkDeterministic(v);
    }

    // ---- classification -------------------------------------------------------------------------------------------

    private boolean stateless(Map<String, Object> node) {
        if (!emptyList(node.get("modifiers")) || !emptyCtes(node)) return false;
        String type = str(node.get("type"));
        if (type.equals("SET_OPERATION_NODE")) {
            return "UNION".equals(node.get("setop_type")) && Boolean.TRUE.equals(node.get("setop_all"))
                    && stateless(map(node.get("left"))) && stateless(map(node.get("right")));
        }
        if (!type.equals("SELECT_NODE")) return false;
        if (!emptyList(node.get("group_expressions")) || !"STANDARD_HANDLING".equals(node.get("aggregate_handling"))
                || node.get("having") != null || node.get("qualify") != null || node.get("sample") != null) {
            return false;
        }
        if (!rowWise(node.get("select_list")) || !rowWise(node.get("where_clause"))) return false;
        Map<String, Object> from = map(node.get("from_table"));
        if (from == null) return false;
        return switch (str(from.get("type"))) {
            case "BASE_TABLE" -> true;
            case "SUBQUERY" -> stateless(map(map(from.get("subquery")).get("node")));
            default -> false;
        };
    }

    /** An expression computed from one row alone: no aggregate, window, subquery or set-returning function. */
    private boolean rowWise(Object expr) {
        if (expr instanceof List<?> l) {
            for (Object o : l) if (!rowWise(o)) return false;
            return true;
        }
        if (!(expr instanceof Map<?, ?> m)) return true;
        String cls = str(m.get("class"));
        if (cls.equals("WINDOW") || cls.equals("SUBQUERY")) return false;
        if (cls.equals("FUNCTION")) {
            String fn = str(m.get("function_name")).toLowerCase(Locale.ROOT);
            if (aggregates.contains(fn) || fn.equals("unnest") || fn.equals("generate_subscripts") || fn.equals("unlist")) return false;
        }
        if (cls.equals("STAR") && (Boolean.TRUE.equals(m.get("columns")) || m.get("expr") != null)) return false; // COLUMNS(…)
        for (Object v : m.values()) if (!rowWise(v)) return false;
        return true;
    }

    // ---- pass-through rewrite -------------------------------------------------------------------------------------

    /**
     * Appends each input row's op and offset to the select lists, so every output row carries them. False if the shape
     * cannot carry them reliably (then the transform is recomputed instead, which is always correct).
     */
    private boolean inject(Map<String, Object> node, Map<String, DatasetVocabulary> vocabs, Set<String> inputsSeen) {
        if (str(node.get("type")).equals("SET_OPERATION_NODE")) {
            // Branch columns align by position: only branches that read an input directly get the columns appended last.
            for (String side : List.of("left", "right")) {
                Map<String, Object> b = map(node.get(side));
                boolean direct = str(b.get("type")).equals("SELECT_NODE") && str(map(b.get("from_table")).get("type")).equals("BASE_TABLE");
                boolean nested = str(b.get("type")).equals("SET_OPERATION_NODE");
                if (!(direct || nested) || !inject(b, vocabs, inputsSeen)) return false;
            }
            return true;
        }
        Map<String, Object> from = map(node.get("from_table"));
        List<Object> select = list(node.get("select_list"));
        if (str(from.get("type")).equals("BASE_TABLE")) {
            String table = str(from.get("table_name"));
            // The same input twice (e.g. a UNION ALL of two projections of it) would give one offset two rows.
            if (!inputsSeen.add(table.toLowerCase(Locale.ROOT))) return false;
            String ref = str(from.get("alias")).isEmpty() ? table : str(from.get("alias"));
            DatasetVocabulary v = vocabs.get(table.toLowerCase(Locale.ROOT));
            select.add(columnRef(List.of(ref, v.operationTypeColumn()), OP));
            select.add(columnRef(List.of(ref, v.offsetColumn()), OFFSET));
            return true;
        }
        if (!inject(map(map(from.get("subquery")).get("node")), vocabs, inputsSeen)) return false;
        boolean star = false;
        for (Object o : select) {
            Map<String, Object> e = map(o);
            if ("STAR".equals(e.get("class"))) star = true;
        }
        if (!star) {
            select.add(columnRef(List.of(OP), OP));
            select.add(columnRef(List.of(OFFSET), OFFSET));
        }
        return true;
    }

    private static Map<String, Object> columnRef(List<String> names, String alias) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class", "COLUMN_REF");
        m.put("type", "COLUMN_REF");
        m.put("alias", alias);
        m.put("query_location", new BigInteger("18446744073709551615"));
        m.put("column_names", new ArrayList<Object>(names));
        return m;
    }

    // ---- diff key -------------------------------------------------------------------------------------------------

    /** Output columns that identify a result row, from the plan; empty when none can be derived. */
    private List<String> keyCandidates(Map<String, Object> node) {
        if (!str(node.get("type")).equals("SELECT_NODE")) return List.of();
        List<Object> select = list(node.get("select_list"));
        List<Object> groups = list(node.get("group_expressions"));
        if ("FORCE_AGGREGATES".equals(node.get("aggregate_handling"))) {
            // GROUP BY ALL: the key is every select item without an aggregate.
            List<String> key = new ArrayList<>();
            for (Object o : select) {
                if (containsAggregate(o)) continue;
                String n = outputName(map(o));
                if (n == null) return List.of();
                key.add(n);
            }
            return key;
        }
        if (!groups.isEmpty()) {
            List<String> key = new ArrayList<>();
            for (Object g : groups) {
                String n = groupKeyName(map(g), select);
                if (n == null) return List.of();
                if (!key.contains(n)) key.add(n);
            }
            return key;
        }
        return rankingKey(node);
    }

    private boolean containsAggregate(Object expr) {
        if (expr instanceof List<?> l) {
            for (Object o : l) if (containsAggregate(o)) return true;
            return false;
        }
        if (!(expr instanceof Map<?, ?> m)) return false;
        if ("FUNCTION".equals(m.get("class")) && aggregates.contains(str(m.get("function_name")).toLowerCase(Locale.ROOT))) return true;
        for (Object v : m.values()) if (containsAggregate(v)) return true;
        return false;
    }

    /** The output column a GROUP BY expression appears as: positional, same expression, or a column/alias name. */
    private static String groupKeyName(Map<String, Object> g, List<Object> select) {
        if ("CONSTANT".equals(g.get("class")) && map(g.get("value")).get("value") instanceof Number n) {
            int i = n.intValue();
            return i >= 1 && i <= select.size() ? outputName(map(select.get(i - 1))) : null;
        }
        Object gShape = shape(g);
        for (Object o : select) {
            Map<String, Object> s = map(o);
            if (shape(s).equals(gShape)) return outputName(s);
        }
        if ("COLUMN_REF".equals(g.get("class"))) {
            List<Object> names = list(g.get("column_names"));
            String last = str(names.get(names.size() - 1));
            for (Object o : select) {
                String n = outputName(map(o));
                if (last.equalsIgnoreCase(n)) return n;
            }
        }
        return null;
    }

    /** For top-N: the ranking window's output column plus its PARTITION BY columns that are output columns. */
    private static List<String> rankingKey(Map<String, Object> node) {
        List<Object> select = list(node.get("select_list"));
        for (Object o : select) {
            Map<String, Object> e = map(o);
            if ("WINDOW".equals(e.get("class")) && RANKING.contains(str(e.get("type"))) && !str(e.get("alias")).isEmpty()) {
                List<String> key = new ArrayList<>();
                for (Object p : list(e.get("partitions"))) {
                    Map<String, Object> pm = map(p);
                    if ("CONSTANT".equals(pm.get("class"))) continue;
                    if (!"COLUMN_REF".equals(pm.get("class"))) return List.of();
                    List<Object> names = list(pm.get("column_names"));
                    key.add(str(names.get(names.size() - 1)));
                }
                key.add(str(e.get("alias")));
                return key;
            }
        }
        // SELECT * [WHERE …] over a subquery passes its columns through: look inside.
        boolean star = select.stream().anyMatch(o -> "STAR".equals(map(o).get("class")));
        Map<String, Object> from = map(node.get("from_table"));
        if (star && from != null && "SUBQUERY".equals(from.get("type")) && emptyList(node.get("group_expressions"))) {
            Map<String, Object> inner = map(map(from.get("subquery")).get("node"));
            if ("SELECT_NODE".equals(inner.get("type"))) return rankingKey(inner);
        }
        return List.of();
    }

    private static String outputName(Map<String, Object> e) {
        String alias = str(e.get("alias"));
        if (!alias.isEmpty()) return alias;
        if ("COLUMN_REF".equals(e.get("class"))) {
            List<Object> names = list(e.get("column_names"));
            return str(names.get(names.size() - 1));
        }
        return null;
    }

    /** An expression without positions and aliases, for comparing GROUP BY and select items. */
    private static Object shape(Object o) {
        if (o instanceof List<?> l) return l.stream().map(PlanAnalyzer::shape).toList();
        if (o instanceof Map<?, ?> m) {
            Map<Object, Object> c = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                if (!"query_location".equals(k) && !"alias".equals(k)) c.put(k, shape(v));
            });
            return c;
        }
        return o;
    }

    // ---- tree helpers ---------------------------------------------------------------------------------------------

    private String deserialize(Map<String, Object> statement) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("error", false);
        root.put("statements", new ArrayList<Object>(List.of(statement)));
        try (Connection c = tools.duplicate(); PreparedStatement ps = c.prepareStatement("SELECT json_deserialize_sql(?::JSON)")) {
            ps.setString(1, toJson(root));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot turn the rewritten plan back into SQL: " + QueryService.cleanMessage(e.getMessage()), e);
        }
    }

    static String toJson(Object tree) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            write(g, tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) g.writeNull();
        else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object o : l) write(g, o);
            g.writeEndArray();
        } else if (v instanceof String s) g.writeString(s);
        else if (v instanceof Boolean b) g.writeBoolean(b);
        else if (v instanceof BigInteger b) g.writeNumber(b);
        else if (v instanceof java.math.BigDecimal d) g.writeNumber(d);
        else if (v instanceof Double d) g.writeNumber(d);
        else if (v instanceof Float f) g.writeNumber(f);
        else if (v instanceof Number n) g.writeNumber(n.longValue());
        else throw new IllegalArgumentException("not JSON: " + v.getClass());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> m) {
        return (Map<String, Object>) copy(m);
    }

    private static Object copy(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> c = new LinkedHashMap<>();
            m.forEach((k, v) -> c.put(String.valueOf(k), copy(v)));
            return c;
        }
        if (o instanceof List<?> l) {
            List<Object> c = new ArrayList<>();
            for (Object x : l) c.add(copy(x));
            return c;
        }
        return o;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> ? (Map<String, Object>) o : null;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o instanceof List<?> ? (List<Object>) o : new ArrayList<>();
    }

    private static boolean emptyList(Object o) {
        return !(o instanceof List<?> l) || l.isEmpty();
    }

    private static boolean emptyCtes(Map<String, Object> node) {
        Map<String, Object> cte = map(node.get("cte_map"));
        return cte == null || emptyList(cte.get("map"));
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    @Override
    public void close() {
        guard.close();
        try {
            tools.close();
        } catch (SQLException ignored) {
            // an in-memory database holds nothing to lose
        }
    }
}
