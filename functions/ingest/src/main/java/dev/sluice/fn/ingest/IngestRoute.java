package dev.sluice.fn.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.fn.common.ApiException;
import dev.sluice.fn.common.Bodies;
import dev.sluice.fn.common.Node;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * kamu-node's push endpoint {@code POST /{account}/{dataset}/ingest}: the body is the raw data, its format the
 * Content-Type (none or {@code application/octet-stream}: the push source's own format).
 *
 * <p>A Vert.x route rather than a REST resource, ordered before Quarkus' body handler: Funqy's HTTP binding makes
 * Quarkus buffer every POST body in memory (up to {@code quarkus.http.limits.max-body-size}) before any REST
 * resource sees it, and the REST layer's stream over that buffer then waited for an end event the buffering had
 * already consumed (an empty chunked body hung until the read timeout). Here the body is streamed (non-blocking, with
 * back-pressure) into a spool file as it arrives, within the size limit, while {@link IngestFunction} already reads
 * it on a worker thread ({@link GrowingSpool}: parsing overlaps the upload; the reader sees the end of the body only
 * once all of it arrived, and a failed upload fails the push, so nothing is committed from a partial body). The end
 * of the body is an event like any other, so an empty push is answered at once (400).
 */
@ApplicationScoped
public class IngestRoute {
    private final IngestFunction function;
    private final Node node;
    private final ObjectMapper json;

    public IngestRoute(IngestFunction function, Node node, ObjectMapper json) {
        this.function = function;
        this.node = node;
        this.json = json;
    }

    void install(@Observes Router router) {
        // Before the body handler (ROUTE_ORDER_BODY_HANDLER = MIN + 1), so the body reaches this route unread.
        router.post("/:account/:dataset/ingest").order(RouteConstants.ROUTE_ORDER_BODY_HANDLER - 1).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        long limit = node.config().maxBodyBytes();
        String contentType = req.getHeader("Content-Type");
        try {
            long declared = Bodies.declaredLength(req.getHeader("Content-Length"), limit);
            IngestFunction.checkMediaType(contentType);
            if (declared == 0 || req.isEnded()) throw emptyBody();
        } catch (RuntimeException e) {
            ctx.fail(e);
            return;
        }
        req.pause(); // until the spool file is open; pipeTo resumes it
        FileSystem fs = ctx.vertx().fileSystem();
        fs.createTempFile(node.scratchDir().toString(), ".upload-", ".bin", (String) null).onComplete(created -> {
            if (created.failed()) {
                ctx.fail(created.cause());
                return;
            }
            Path file = Path.of(created.result());
            GrowingSpool spool = new GrowingSpool(file);
            fs.open(file.toString(), new OpenOptions().setWrite(true).setTruncateExisting(true))
                    .compose(out -> {
                        LimitedWrites sink = new LimitedWrites(out, limit, spool);
                        // Only a pipe that succeeded has the whole body in the file; anything else fails the readers.
                        Future<Long> upload = req.pipeTo(sink).map(v -> sink.written)
                                .onComplete(ar -> {
                                    if (ar.succeeded()) spool.complete(ar.result());
                                    else spool.failed(ar.cause());
                                });
                        // The push reads the spool as it fills (parsing overlaps the upload), on a worker thread.
                        Future<byte[]> pushed = ctx.vertx().executeBlocking(() -> push(ctx, spool, contentType), false);
                        return Future.join(upload, pushed).transform(both -> {
                            if (upload.failed()) return Future.failedFuture(upload.cause());
                            if (upload.result() == 0) return Future.failedFuture(emptyBody());
                            return pushed;
                        });
                    })
                    .onComplete(done -> {
                        ctx.vertx().executeBlocking(() -> Files.deleteIfExists(file), false);
                        if (done.failed()) {
                            // The rest of an unread (oversized) body is not worth reading: close after answering.
                            if (!req.isEnded()) ctx.response().putHeader("Connection", "close");
                            ctx.fail(done.cause());
                        } else {
                            ctx.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(done.result()));
                        }
                    });
        });
    }

    private byte[] push(RoutingContext ctx, GrowingSpool spool, String contentType) throws IOException {
        if (spool.awaitBeyond(0) < 0) throw emptyBody(); // nothing arrived: no ingest at all
        HttpServerRequest req = ctx.request();
        IngestFunction.IngestResponse r = function.push(ctx.pathParam("account"), ctx.pathParam("dataset"), req.getParam("sourceName"),
                contentType, spool.source(), req.getHeader("Idempotency-Key"));
        return json.writeValueAsBytes(r);
    }

    private static ApiException emptyBody() {
        return ApiException.badRequest("the request body is empty: nothing to push");
    }

    /**
     * The spool file as a write stream that fails (413) once more than {@code limit} bytes arrive. After a failure the
     * pipe closes the file, but chunks already queued still reach it: those are dropped without touching the file.
     */
    private static final class LimitedWrites implements WriteStream<Buffer> {
        private final AsyncFile out;
        private final long limit;
        private final GrowingSpool spool;
        long written;
        private boolean ended;

        LimitedWrites(AsyncFile out, long limit, GrowingSpool spool) {
            this.out = out;
            this.limit = limit;
            this.spool = spool;
        }

        @Override
        public Future<Void> write(Buffer data) {
            written += data.length();
            if (written > limit) return Future.failedFuture(ApiException.tooLarge(limit));
            if (ended) return Future.failedFuture(new IllegalStateException("spool file already closed"));
            long start = written - data.length(), n = data.length();
            return out.write(data).onSuccess(v -> spool.wrote(start, n));
        }

        @Override
        public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
            write(data).onComplete(handler);
        }

        @Override
        public void end(Handler<AsyncResult<Void>> handler) {
            ended = true;
            out.end(handler);
        }

        @Override
        public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            out.exceptionHandler(handler);
            return this;
        }

        @Override
        public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
            out.setWriteQueueMaxSize(maxSize);
            return this;
        }

        @Override
        public boolean writeQueueFull() {
            return !ended && out.writeQueueFull();
        }

        @Override
        public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
            out.drainHandler(handler);
            return this;
        }
    }
}
