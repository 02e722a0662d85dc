package dev.sluice.query;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One query, shaped like kamu-node's {@code /query} body.
 *
 * @param query      SQL: a single SELECT / WITH / VALUES query; tables are dataset aliases ({@code "player-scores"},
 *                   {@code "kamu/player-scores"}), quoted where SQL needs it
 * @param dataFormat result encoding
 * @param schemaFormat how {@code Schema} is rendered when included
 * @param include    what a JSON response carries besides the data (kamu's {@code include})
 * @param skip       rows to skip (≥ 0), applied in SQL
 * @param limit      maximum rows, or null for all; applied in SQL
 * @param datasets   optional pins: which dataset an alias means and as of which block or time
 */
public record QueryRequest(
        String query,
        DataFormat dataFormat,
        SchemaFormat schemaFormat,
        Set<Include> include,
        long skip,
        Long limit,
        List<DatasetInput> datasets) {

    public enum Include {
        INPUT,
        SCHEMA,
        PROOF
    }

    /**
     * One entry of {@code datasets}: the alias as used in the query, optionally the dataset id it must resolve to,
     * and at most one of {@code blockHash} (pin to that block of the chain) or {@code asOf} (the newest block whose
     * system time is ≤ asOf).
     */
    public record DatasetInput(String id, String alias, String blockHash, Instant asOf) {
        public static DatasetInput pin(String alias, String blockHash) {
            return new DatasetInput(null, alias, blockHash, null);
        }

        public static DatasetInput asOf(String alias, Instant asOf) {
            return new DatasetInput(null, alias, null, asOf);
        }
    }

    public QueryRequest {
        if (dataFormat == null) dataFormat = DataFormat.JSON_AOS;
        if (schemaFormat == null) schemaFormat = SchemaFormat.ARROW_JSON;
        include = include == null ? Set.of() : Set.copyOf(include);
        datasets = datasets == null ? List.of() : List.copyOf(datasets);
    }

    public static QueryRequest of(String sql) {
        return new QueryRequest(sql, null, null, null, 0, null, null);
    }

    public QueryRequest withFormat(DataFormat f) {
        return new QueryRequest(query, f, schemaFormat, include, skip, limit, datasets);
    }

    public QueryRequest withSchema(SchemaFormat f) {
        java.util.HashSet<Include> inc = new java.util.HashSet<>(include);
        inc.add(Include.SCHEMA);
        return new QueryRequest(query, dataFormat, f, inc, skip, limit, datasets);
    }

    public QueryRequest withInclude(Include... inc) {
        return new QueryRequest(query, dataFormat, schemaFormat, Set.of(inc), skip, limit, datasets);
    }

    public QueryRequest withPage(long skip, Long limit) {
        return new QueryRequest(query, dataFormat, schemaFormat, include, skip, limit, datasets);
    }

    public QueryRequest withDatasets(DatasetInput... ds) {
        return new QueryRequest(query, dataFormat, schemaFormat, include, skip, limit, List.of(ds));
    }
}
