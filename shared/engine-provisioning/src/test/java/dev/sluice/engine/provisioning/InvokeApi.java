package dev.sluice.engine.provisioning;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.engine.runner.WireJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local implementation of the Lambda Invoke API ({@code POST /2015-03-31/functions/{name}/invocations}) for tests
 * that point the real AWS SDK LambdaClient at it (endpointOverride): each named function is a stream handler, as the
 * Lambda service runs it. {@code RequestResponse} answers 200 with the handler's output (an exception becomes
 * {@code X-Amz-Function-Error: Unhandled}); {@code Event} (asynchronous) answers 202 with no body, as Lambda does —
 * here after the handler ran, so a test sees its effect without waiting. Shared through this module's test-jar.
 */
public final class InvokeApi implements AutoCloseable {
    /** A function's stream handler (e.g. {@code (in, out) -> handler.handleRequest(in, out, null)}). */
    @FunctionalInterface
    public interface Function {
        void handle(InputStream in, OutputStream out) throws Exception;
    }

    /** One request as received; {@code error} is what the handler threw (null if it did not, or none ran). */
    public record Call(String path, String invocationType, byte[] body, Throwable error) {
        public String function() {
            String[] parts = path.split("/");
            return parts.length > 3 ? parts[3] : null;
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    public final List<Call> calls = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final Map<String, Function> functions;

    private InvokeApi(HttpServer server, Map<String, Function> functions) {
        this.server = server;
        this.functions = functions;
    }

    /** Starts on an ephemeral loopback port. */
    public static InvokeApi start(Map<String, Function> functions) throws IOException {
        InvokeApi api = new InvokeApi(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), functions);
        api.server.createContext("/2015-03-31/functions/", api::invoke);
        api.server.start();
        return api;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void invoke(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
            String[] parts = path.split("/");
            if (!exchange.getRequestMethod().equals("POST") || parts.length != 5 || !parts[4].equals("invocations")) {
                calls.add(new Call(path, type, body, null));
                send(exchange, 404, Map.of(), "{\"message\":\"unknown path\"}");
                return;
            }
            Function handler = functions.get(parts[3]);
            if (handler == null) {
                calls.add(new Call(path, type, body, null));
                send(exchange, 404, Map.of("x-amzn-ErrorType", "ResourceNotFoundException"),
                        "{\"Type\":\"User\",\"message\":\"Function not found: arn:aws:lambda:us-east-1:000000000000:function:" + parts[3] + "\"}");
                return;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Throwable error = null;
            try {
                handler.handle(new ByteArrayInputStream(body), out);
            } catch (Throwable t) {
                error = t;
            }
            calls.add(new Call(path, type, body, error));
            if ("Event".equals(type)) {
                send(exchange, 202, Map.of(), "");
            } else if (error != null) {
                send(exchange, 200, Map.of("X-Amz-Function-Error", "Unhandled"),
                        new String(WireJson.object("errorMessage", error.getMessage(), "errorType", error.getClass().getName()), StandardCharsets.UTF_8));
            } else {
                send(exchange, 200, Map.of("X-Amz-Executed-Version", "$LATEST"), out.toString(StandardCharsets.UTF_8));
            }
        }
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
