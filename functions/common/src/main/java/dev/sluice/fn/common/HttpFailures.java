package dev.sluice.fn.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Failures below the REST layer — Funqy functions (which turn a thrown exception into a 500 and bad JSON into a bare
 * 400), unknown paths, the HTTP body limit — get the same JSON error body and status mapping as REST resources.
 */
@ApplicationScoped
public class HttpFailures {
    private static final ObjectMapper JSON = new ObjectMapper();

    @jakarta.inject.Inject
    jakarta.enterprise.inject.Instance<ProblemClassifier> classifiers;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten()) {
            ctx.next();
            return;
        }
        ApiError e = ctx.failure() != null ? Problems.of(ctx.failure(), classifiers) : Problems.ofStatus(ctx.statusCode() < 0 ? 500 : ctx.statusCode());
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(e);
        } catch (Exception impossible) {
            body = ("{\"status\":" + e.status() + "}").getBytes();
        }
        response.setStatusCode(e.status()).putHeader("Content-Type", "application/json").end(io.vertx.core.buffer.Buffer.buffer(body));
    }
}
