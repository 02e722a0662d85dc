package dev.sluice.odf;

import java.util.List;

/** Engine-specific processing; only SQL exists in ODF today. */
public sealed interface Transform {
    default String kind() {
        return getClass().getSimpleName();
    }

    /**
     * SQL transform. In a committed block {@code query} is absent and {@code queries} holds the steps; a
     * manifest may use the {@code query} shorthand (see {@link #normalized()}).
     */
    record Sql(String engine, String version, String query, List<SqlQueryStep> queries, List<TemporalTable> temporalTables)
            implements Transform {
        /** The form stored in metadata: {@code query} turned into a single-step {@code queries}. */
        public Sql normalized() {
            if (query == null) return this;
            return new Sql(engine, version, null, List.of(new SqlQueryStep(null, query)), temporalTables);
        }

        /** The output query (last step), whichever form is used. */
        public String outputQuery() {
            if (query != null) return query;
            return queries == null || queries.isEmpty() ? null : queries.get(queries.size() - 1).query();
        }
    }

    record SqlQueryStep(String alias, String query) {}

    record TemporalTable(String name, List<String> primaryKey) {}
}
