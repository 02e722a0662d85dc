package dev.sluice.engine.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.engine.TransformRequest;
import dev.sluice.engine.TransformResponse;
import dev.sluice.engine.runner.testengine.LinesRequests;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.storage.LocalS3Server;
import dev.sluice.storage.S3ObjectStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handler under the real AWS Lambda runtime interface client (the image's {@code lambda} entry point), in a child
 * JVM, against a local implementation of the Lambda Runtime API; inputs and outputs staged in s3proxy, the store and
 * credentials given to the function through its environment as Lambda would.
 */
class LambdaRuntimeInterfaceClientTest {
    private static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final String HANDLER = EngineLambdaHandler.class.getName() + "::handleRequest";

    @TempDir Path dir;

    private LocalS3Server s3;
    private RuntimeApi api;
    private Process child;

    @AfterEach
    void stop() throws Exception {
        if (child != null) {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        if (api != null) api.close();
        if (s3 != null) s3.close();
    }

    @Test
    void ricRunsTheHandlerAndReportsErrors() throws Exception {
        s3 = LocalS3Server.start();
        S3ObjectStore store = s3.newStore("staging");
        TransformRequest request = LinesRequests.request(dir, "lines", "grep an", null);
        store.putIfAbsent("inv-1/in/0", request.queryInputs().get(0).dataPaths().get(0));
        store.putIfAbsent("inv-1/in/1", request.queryInputs().get(0).dataPaths().get(1));
        WireRequest wire = WireRequest.from(request, p -> staged("inv-1", p));
        WireRequest crashing = WireRequest.from(LinesRequests.request(dir.resolve("oom"), "lines", "oom", null), p -> staged("inv-2", p));

        api = RuntimeApi.start();
        api.events.add(Map.entry("req-1", WireJson.write(wire)));
        api.events.add(Map.entry("req-2", WireJson.write(crashing)));

        ProcessBuilder pb = new ProcessBuilder(javaCommand(), "-cp", System.getProperty("java.class.path"), RIC_MAIN, HANDLER)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("function.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + api.port());
        env.put("AWS_LAMBDA_FUNCTION_NAME", "sluice-engine-lines");
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/sluice-engine-lines");
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "test");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", LocalS3Server.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", LocalS3Server.SECRET_KEY);
        env.put(EngineRunner.ENV_STORE, "s3://" + store.bucket() + "/staging?endpoint=" + s3.endpoint());
        env.put(EngineRunner.ENV_WORK_DIR, dir.resolve("work").toString());
        child = pb.start();

        String response = await(api.responses.computeIfAbsent("req-1", k -> new CompletableFuture<>()));
        assertEquals(new TransformResponse.Success(new OffsetInterval(10, 10), LinesRequests.EVENT_TIME),
                WireJson.readResponse(response.getBytes(StandardCharsets.UTF_8)).toTransformResponse());
        assertEquals("lines/1", WireJson.readResponse(response.getBytes(StandardCharsets.UTF_8)).engine().build());
        assertEquals("10\tbanana\n", new String(store.get("inv-1/out/out.data").orElseThrow(), StandardCharsets.UTF_8));

        String error = await(api.errors.computeIfAbsent("req-2", k -> new CompletableFuture<>()));
        var errorJson = new ObjectMapper().readTree(error);
        assertEquals("simulated out of memory", errorJson.get("errorMessage").asText(), error);
        assertTrue(errorJson.get("errorType").asText().contains("OutOfMemoryError"), error);
    }

    /** Inputs staged once under inv-1/in; outputs per invocation. */
    private static Location staged(String invocation, Path p) {
        return switch (p.getFileName().toString()) {
            case "slice-1.txt" -> Location.ofKey("inv-1/in/0");
            case "slice-2.txt" -> Location.ofKey("inv-1/in/1");
            default -> Location.ofKey(invocation + "/out/" + p.getFileName());
        };
    }

    private String await(CompletableFuture<String> future) throws Exception {
        try {
            return future.get(120, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no answer from the runtime interface client; its log:\n"
                    + Files.readString(dir.resolve("function.log")), e);
        }
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The Lambda Runtime API (2018-06-01): {@code next} hands out queued events with every standard header (the
     * native client crashes without them) and then holds the poll open; responses and errors are recorded by id.
     */
    static final class RuntimeApi implements AutoCloseable {
        final BlockingQueue<Map.Entry<String, byte[]>> events = new LinkedBlockingQueue<>();
        final Map<String, CompletableFuture<String>> responses = new ConcurrentHashMap<>();
        final Map<String, CompletableFuture<String>> errors = new ConcurrentHashMap<>();
        private final CountDownLatch closed = new CountDownLatch(1);
        private final HttpServer server;
        private final ExecutorService executor = Executors.newCachedThreadPool();

        private RuntimeApi(HttpServer server) {
            this.server = server;
        }

        static RuntimeApi start() throws IOException {
            RuntimeApi api = new RuntimeApi(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
            api.server.setExecutor(api.executor);
            api.server.createContext("/2018-06-01/runtime/", api::handle);
            api.server.start();
            return api;
        }

        int port() {
            return server.getAddress().getPort();
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath().substring("/2018-06-01/runtime/".length());
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (path.equals("invocation/next")) {
                    Map.Entry<String, byte[]> event = null;
                    while (event == null && closed.getCount() > 0) {
                        event = events.poll(100, TimeUnit.MILLISECONDS);
                    }
                    if (event == null) {
                        exchange.sendResponseHeaders(500, -1);
                        return;
                    }
                    var headers = exchange.getResponseHeaders();
                    headers.set("Lambda-Runtime-Aws-Request-Id", event.getKey());
                    headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 300_000));
                    headers.set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:000000000000:function:sluice-engine-lines");
                    headers.set("Lambda-Runtime-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
                    headers.set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, event.getValue().length);
                    exchange.getResponseBody().write(event.getValue());
                    return;
                }
                String[] parts = path.split("/");
                if (parts.length == 3 && parts[0].equals("invocation") && parts[2].equals("response")) {
                    responses.computeIfAbsent(parts[1], k -> new CompletableFuture<>()).complete(body);
                } else if (parts.length == 3 && parts[0].equals("invocation") && parts[2].equals("error")) {
                    errors.computeIfAbsent(parts[1], k -> new CompletableFuture<>()).complete(body);
                } else if (path.equals("init/error")) {
                    errors.computeIfAbsent("init", k -> new CompletableFuture<>()).complete(body);
                } else {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] accepted = "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(202, accepted.length);
                exchange.getResponseBody().write(accepted);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            closed.countDown();
            server.stop(0);
            executor.shutdownNow();
        }
    }

}
