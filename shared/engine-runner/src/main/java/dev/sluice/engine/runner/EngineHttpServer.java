package dev.sluice.engine.runner;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The runner over HTTP (JDK HttpServer): {@code POST /transform} takes a {@link WireRequest} and answers 200 with the
 * {@link WireResponse} (whatever its outcome), 400 with {@code {"error": …}} for a request that cannot be run;
 * {@code GET /health} answers 200 with the engines and their builds, and with {@code ?dialect=X} the engine that
 * would run X (404 if none). Used by the process backend (one child JVM per engine version) and by Knative.
 */
public final class EngineHttpServer implements AutoCloseable {
    /** Requests carry locations, not data: anything larger is not a transform request. */
    static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService executor;

    private EngineHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts serving on {@code address} (port 0 = ephemeral) with at most {@code concurrency} requests at a time. */
    public static EngineHttpServer start(EngineRunner runner, InetSocketAddress address, int concurrency) throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        ExecutorService executor = Executors.newFixedThreadPool(Math.max(1, concurrency), r -> {
            Thread t = new Thread(r, "engine-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                route(runner, exchange);
            }
        });
        server.start();
        return new EngineHttpServer(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://host:port} of the server as bound. */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void route(EngineRunner runner, HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        switch (path) {
            case "/transform" -> {
                if (!method.equals("POST")) {
                    exchange.getResponseHeaders().add("Allow", "POST");
                    send(exchange, 405, WireJson.object("error", "use POST /transform"));
                    return;
                }
                transform(runner, exchange);
            }
            case "/health" -> {
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    exchange.getResponseHeaders().add("Allow", "GET, HEAD");
                    send(exchange, 405, WireJson.object("error", "use GET /health"));
                    return;
                }
                health(runner, exchange);
            }
            default -> send(exchange, 404, WireJson.object("error", "no such endpoint " + path + " (POST /transform, GET /health)"));
        }
    }

    private static void transform(EngineRunner runner, HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_REQUEST_BYTES + 1);
        }
        if (body.length > MAX_REQUEST_BYTES) {
            send(exchange, 413, WireJson.object("error", "transform request larger than " + MAX_REQUEST_BYTES + " bytes"));
            return;
        }
        WireResponse response;
        try {
            response = runner.run(WireJson.readRequest(body));
        } catch (InvalidWireRequestException e) {
            send(exchange, 400, WireJson.object("error", e.getMessage()));
            return;
        } catch (RuntimeException e) {
            send(exchange, 500, WireJson.object("error", "engine runner failed: " + e));
            return;
        }
        send(exchange, 200, WireJson.write(response));
    }

    private static void health(EngineRunner runner, HttpExchange exchange) throws IOException {
        List<WireResponse.EngineInfo> engines = runner.catalog().engines().stream().map(WireResponse.EngineInfo::of).toList();
        String dialect = query(exchange.getRequestURI()).get("dialect");
        if (dialect == null) {
            send(exchange, 200, WireJson.object("status", "UP", "engines", engines));
            return;
        }
        Optional<Engine> engine = runner.catalog().find(dialect);
        if (engine.isEmpty()) {
            send(exchange, 404, WireJson.object("status", "UP", "error", "no engine for dialect " + dialect, "engines", engines));
            return;
        }
        send(exchange, 200, WireJson.object("status", "UP", "engine", WireResponse.EngineInfo.of(engine.get())));
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) return out;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
