package dev.sluice.fn.query;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.fn.common.ApiException;
import dev.sluice.fn.common.Bodies;
import dev.sluice.fn.common.Node;
import dev.sluice.query.DataFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * kamu-node's {@code GET /query?query=…} and {@code POST /query} (JSON body) over {@link QueryFunction}.
 *
 * <p>A Vert.x route, not a REST resource: it is the query function's only HTTP endpoint besides its Funqy functions,
 * and Quarkus REST would cost every cold start its classes and deployment (~0.1 s) for it. The query runs on a worker
 * thread; its answer (complete before the first byte goes out, see {@link QueryFunction}) is then streamed with the
 * connection's back-pressure, so a large answer never sits in the heap. Failures go to the router's failure handler
 * ({@code HttpFailures}): the same JSON error bodies as everywhere else.
 */
@ApplicationScoped
public class QueryRoute {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final int CHUNK = 64 * 1024;

    private final QueryFunction function;
    private final Node node;

    public QueryRoute(QueryFunction function, Node node) {
        this.function = function;
        this.node = node;
    }

    void install(@Observes Router router) {
        router.get("/query").handler(ctx -> run(ctx, false));
        router.post("/query").handler(ctx -> run(ctx, true));
    }

    private void run(RoutingContext ctx, boolean post) {
        ctx.vertx().executeBlocking(() -> {
            QueryFunction.Answer a = function.run(QueryFunction.toRequest(post ? postBody(ctx) : getBody(ctx.request())));
            send(ctx.response(), a);
            return null;
        }, false).onFailure(ctx::fail);
    }

    private static QueryFunction.QueryBody getBody(HttpServerRequest req) {
        String include = req.getParam("include");
        List<String> inc = include == null || include.isBlank() ? null : Arrays.asList(include.split(","));
        return new QueryFunction.QueryBody(req.getParam("query"), req.getParam("queryDialect"),
                dataFormat(req.getParam("dataFormat"), req.getHeader("Accept")), req.getParam("schemaFormat"), inc,
                longParam("skip", req.getParam("skip")), longParam("limit", req.getParam("limit")), null);
    }

    private QueryFunction.QueryBody postBody(RoutingContext ctx) throws IOException {
        HttpServerRequest req = ctx.request();
        String contentType = req.getHeader("Content-Type");
        if (contentType != null && !contentType.split(";")[0].strip().equalsIgnoreCase("application/json")) {
            throw ApiException.unsupportedMediaType("the query body is JSON (application/json), not " + contentType);
        }
        long limit = node.config().maxBodyBytes();
        Bodies.declaredLength(req.getHeader("Content-Length"), limit); // 413 on a declared length over the limit
        Buffer buffered = ctx.body().buffer(); // read by Quarkus' body handler, within quarkus.http.limits.max-body-size
        if (buffered == null || buffered.length() == 0) throw ApiException.badRequest("missing query body");
        if (buffered.length() > limit) throw ApiException.tooLarge(limit);
        QueryFunction.QueryBody b;
        try {
            b = JSON.readValue(buffered.getBytes(), QueryFunction.QueryBody.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new ApiException(400, "bad-json", "malformed query body: " + e.getOriginalMessage());
        }
        if (b == null) throw ApiException.badRequest("missing query body");
        String format = dataFormat(b.dataFormat(), req.getHeader("Accept"));
        return format == null ? b : new QueryFunction.QueryBody(b.query(), b.queryDialect(), format, b.schemaFormat(), b.include(),
                b.skip(), b.limit(), b.datasets());
    }

    /** An explicit {@code dataFormat} wins; otherwise {@code Accept: application/vnd.apache.arrow.stream} asks for Arrow IPC. */
    static String dataFormat(String dataFormat, String accept) {
        if (dataFormat != null || accept == null) return dataFormat;
        for (String type : accept.split(",")) {
            if (type.split(";")[0].strip().equalsIgnoreCase(DataFormat.ARROW.mediaType())) return DataFormat.ARROW.wireName();
        }
        return null;
    }

    private static Long longParam(String name, String value) {
        if (value == null || value.isBlank()) return null;
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be an integer");
        }
    }

    /**
     * Writes the answer from this worker thread: whole when it fits in one chunk, else chunked, waiting whenever the
     * connection's write queue is full. Stops quietly when the client has gone (the answer's scratch file is deleted
     * when its stream closes).
     */
    private static void send(HttpServerResponse resp, QueryFunction.Answer a) throws IOException, InterruptedException {
        try (InputStream in = a.body()) {
            resp.putHeader("Content-Type", a.mediaType());
            byte[] first = in.readNBytes(CHUNK);
            if (first.length < CHUNK) {
                resp.end(Buffer.buffer(first));
                return;
            }
            resp.setChunked(true);
            byte[] chunk = first;
            while (chunk.length > 0) {
                if (!awaitWritable(resp)) return;
                resp.write(Buffer.buffer(chunk));
                chunk = in.readNBytes(CHUNK);
            }
            resp.end();
        }
    }

    /** Waits until the response's write queue has room; false when the connection closed meanwhile. */
    private static boolean awaitWritable(HttpServerResponse resp) throws InterruptedException {
        while (true) {
            if (resp.closed()) return false;
            if (!resp.writeQueueFull()) return true;
            CompletableFuture<Void> room = new CompletableFuture<>();
            resp.drainHandler(v -> room.complete(null));
            resp.closeHandler(v -> room.complete(null));
            if (!resp.writeQueueFull() || resp.closed()) continue; // drained (or closed) before the handlers were set
            try {
                room.get();
            } catch (ExecutionException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }
}
