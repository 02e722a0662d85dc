package dev.sluice.fn.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.fn.common.ApiError;
import dev.sluice.fn.common.ApiException;
import dev.sluice.fn.common.Node;
import dev.sluice.fn.common.ProblemClassifier;
import dev.sluice.query.DataFormat;
import dev.sluice.query.QueryException;
import dev.sluice.query.QueryRequest;
import dev.sluice.query.QueryResult;
import dev.sluice.query.QueryService;
import dev.sluice.query.SchemaFormat;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The query function: kamu-node's {@code /query} over the sandboxed {@link QueryService} of shared/query. The
 * request is kamu's body ({@code query, queryDialect, dataFormat, schemaFormat, include, skip, limit, datasets});
 * the answer is written whole first (in memory, or a scratch file when large), so an engine error that surfaces while
 * rows stream out still gets its 4xx instead of a truncated 200.
 *
 * <p>Started with the application: the query service (DuckDB's native library, ~60 MB, and its first databases) is
 * built on a background thread from then on, so it loads while the rest of the
 * application starts and the first request is read, instead of after them.
 */
@Startup
@ApplicationScoped
public class QueryFunction implements ProblemClassifier {
    /** Rows a Funqy (event) answer may carry: it travels in memory. */
    static final long MAX_EVENT_ROWS = 10_000;
    /** Answers up to this size wait in memory until sent; larger ones in a scratch file. */
    static final int MEMORY_ANSWER_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Node node;
    private final FutureTask<QueryService> service;

    public QueryFunction(Node node) {
        this.node = node;
        try {
            // Register the JDBC driver explicitly: DriverManager's service-loader scan may not see the application's jars.
            Class.forName("org.duckdb.DuckDBDriver");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("DuckDB JDBC driver missing from the class path", e);
        }
        this.service = new FutureTask<>(() -> new QueryService(node.repository(), node.scratchDir().resolve("query")));
        Thread loader = new Thread(service, "sluice-query-start");
        loader.setDaemon(true);
        loader.start();
    }

    private QueryService service() {
        try {
            return service.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while DuckDB starts", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot start the query engine (DuckDB)", e.getCause());
        }
    }

    /** kamu's request body; {@code include} entries are {@code Input}, {@code Schema}, {@code Proof}. */
    public record QueryBody(String query, String queryDialect, String dataFormat, String schemaFormat, List<String> include,
            Long skip, Long limit, List<DatasetPin> datasets) {}

    public record DatasetPin(String id, String alias, String blockHash, String asOf) {}

    /** A finished answer (in memory or a scratch file that closing the stream deletes). */
    public record Answer(InputStream body, String mediaType) {}

    @Funq("run-query") // not "query": Funqy routes /{name}, and /query is kamu's REST path
    public JsonNode query(QueryBody body) throws IOException {
        QueryRequest req = toRequest(body);
        if (!req.dataFormat().isJsonDocument()) throw ApiException.badRequest("the query function answers in JSON formats only (JsonAoS, JsonSoA, JsonAoA)");
        long limit = req.limit() == null ? MAX_EVENT_ROWS : Math.min(req.limit(), MAX_EVENT_ROWS);
        try (InputStream in = run(req.withPage(req.skip(), limit)).body()) {
            return JSON.readTree(in);
        }
    }

    /** Runs a query to completion; the caller streams (and so deletes) the answer. */
    public Answer run(QueryRequest req) throws IOException {
        AnswerSpool spool = new AnswerSpool(node.scratchDir().resolve("query"), MEMORY_ANSWER_BYTES);
        try (QueryResult r = service().execute(req); spool) {
            if (req.dataFormat().isJsonDocument()) r.writeResponse(spool);
            else r.writeData(spool);
        } catch (IOException | RuntimeException e) {
            spool.discard();
            throw e;
        }
        return new Answer(spool.read(), req.dataFormat().mediaType());
    }

    static QueryRequest toRequest(QueryBody b) {
        if (b == null || b.query() == null || b.query().isBlank()) throw ApiException.badRequest("missing 'query'");
        if (b.queryDialect() != null && !b.queryDialect().toLowerCase(Locale.ROOT).matches("sql(duckdb|datafusion)?")) {
            throw ApiException.badRequest("unsupported queryDialect '" + b.queryDialect() + "' (SQL is run by DuckDB)");
        }
        Set<QueryRequest.Include> include = EnumSet.noneOf(QueryRequest.Include.class);
        if (b.include() != null) {
            for (String i : b.include()) {
                try {
                    include.add(QueryRequest.Include.valueOf(i.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw ApiException.badRequest("unknown include '" + i + "' (Input, Schema, Proof)");
                }
            }
        }
        List<QueryRequest.DatasetInput> pins = new ArrayList<>();
        if (b.datasets() != null) {
            for (DatasetPin p : b.datasets()) {
                if (p == null) throw ApiException.badRequest("null entry in 'datasets'");
                Instant asOf;
                try {
                    asOf = p.asOf() == null ? null : Instant.parse(p.asOf());
                } catch (java.time.format.DateTimeParseException e) {
                    throw ApiException.badRequest("asOf must be an RFC 3339 timestamp");
                }
                pins.add(new QueryRequest.DatasetInput(p.id(), p.alias(), p.blockHash(), asOf));
            }
        }
        return new QueryRequest(b.query(), DataFormat.parse(b.dataFormat()), SchemaFormat.parse(b.schemaFormat()), include,
                b.skip() == null ? 0 : b.skip(), b.limit(), pins);
    }

    /** shared/query's typed errors carry their status (invalid SQL 400, forbidden 403, unknown dataset 404). */
    @Override
    public ApiError classify(Throwable t) {
        if (t instanceof QueryException q) {
            int status = q.httpStatus();
            String code = switch (status) {
                case 403 -> "forbidden-query";
                case 404 -> "dataset-not-found";
                default -> "invalid-query";
            };
            return new ApiError(status, code, q.getMessage());
        }
        return null;
    }

    @PreDestroy
    void close() {
        try {
            service.get().close(); // waits for a start still under way
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException failed) {
            // nothing was started
        }
    }
}
