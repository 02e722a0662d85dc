package dev.sluice.engine.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.engine.Engine;
import dev.sluice.engine.TransformRequest;
import dev.sluice.engine.TransformResponse;
import dev.sluice.engine.runner.EngineCatalog;
import dev.sluice.engine.runner.EngineLambdaHandler;
import dev.sluice.engine.runner.EngineRunner;
import dev.sluice.engine.runner.WireJson;
import dev.sluice.engine.runner.testengine.LinesRequests;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.storage.FileSystemObjectStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The lambda backend through the real AWS SDK LambdaClient, pointed (endpointOverride) at a local implementation of
 * the Invoke API that runs the runner's Lambda handler, as the Lambda service would.
 */
class LambdaEngineProvisionerTest {
    static final String FUNCTION = "sluice-engine-lines";

    @TempDir Path dir;
    private FileSystemObjectStore staging;
    private InvokeApi api;
    private LambdaClient lambda;

    @BeforeEach
    void start() throws Exception {
        staging = new FileSystemObjectStore(Files.createDirectories(dir.resolve("staging")));
        // the function's runner: configured as the deployed function would be, SLUICE_ENGINE_STORE = the staging store
        EngineRunner functionRunner = new EngineRunner(EngineCatalog.load(), staging, Files.createDirectories(dir.resolve("work")), false);
        api = InvokeApi.start(Map.of(FUNCTION, new EngineLambdaHandler(functionRunner)));
        lambda = LambdaClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(api.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    @AfterEach
    void stop() {
        lambda.close();
        api.close();
    }

    private LambdaEngineProvisioner provisioner(String function) {
        return new LambdaEngineProvisioner(lambda, new ProvisionerConfig(ProvisionerConfig.Backend.LAMBDA,
                Map.of("lines", new ProvisionerConfig.DialectSettings(null, null, null, function)),
                new ProvisionerConfig.StagingSettings(staging.root().toUri().toString(), "engine-staging/"),
                null, null, null, new ProvisionerConfig.LambdaSettings("us-east-1", api.endpoint(), Duration.ofMinutes(1))), staging);
    }

    @Test
    void invokesTheFunctionWithTheWireRequest() throws Exception {
        Engine engine = provisioner(FUNCTION).engineFor("lines").orElseThrow();
        assertEquals("lambda " + FUNCTION, engine.build());
        TransformRequest request = LinesRequests.request(dir.resolve("r"), "lines", "grep a", null);

        assertEquals(new TransformResponse.Success(new OffsetInterval(10, 13), LinesRequests.EVENT_TIME), engine.transform(request));

        assertEquals(LinesRequests.GREP_A_DATA, Files.readAllLines(request.newDataPath()));
        assertEquals("lines/1", engine.build());
        assertEquals(1, api.calls.size());
        InvokeApi.Call call = api.calls.get(0);
        assertEquals("/2015-03-31/functions/" + FUNCTION + "/invocations", call.path());
        assertEquals("RequestResponse", call.invocationType());
        var wire = WireJson.readRequest(call.body());
        assertTrue(wire.newDataPath().startsWith("store:engine-staging/"), wire.newDataPath());
        assertEquals(List.of(), staging.list("engine-staging/"), "staging area emptied");
    }

    @Test
    void aFunctionErrorIsAnInternalErrorWithLambdasMessage() throws Exception {
        Engine engine = provisioner(FUNCTION).engineFor("lines").orElseThrow();
        TransformRequest request = LinesRequests.request(dir, "lines", "oom", null);

        var error = assertInstanceOf(TransformResponse.InternalError.class, engine.transform(request));

        assertEquals("lambda engine lines: Lambda function " + FUNCTION + " failed (Unhandled): "
                + "java.lang.OutOfMemoryError: simulated out of memory", error.message());
        assertTrue(Files.notExists(request.newDataPath()));
        assertEquals(List.of(), staging.list("engine-staging/"));
    }

    @Test
    void anEngineErrorPassesThrough() throws Exception {
        Engine engine = provisioner(FUNCTION).engineFor("lines").orElseThrow();
        assertEquals(new TransformResponse.InvalidQuery("unknown column"),
                engine.transform(LinesRequests.request(dir, "lines", "invalid: unknown column", null)));
    }

    @Test
    void aMissingFunctionIsAnInternalError() throws Exception {
        Engine engine = provisioner("no-such-function").engineFor("lines").orElseThrow();
        var error = assertInstanceOf(TransformResponse.InternalError.class,
                engine.transform(LinesRequests.request(dir, "lines", "grep a", null)));
        assertTrue(error.message().startsWith("lambda engine lines: cannot invoke Lambda function no-such-function: Function not found"),
                error.message());
        assertTrue(provisioner(FUNCTION).engineFor("spark").isEmpty());
    }

    /**
     * {@code POST /2015-03-31/functions/{name}/invocations} of the Lambda service: runs the function's handler; a
     * handler that throws gives 200 with {@code X-Amz-Function-Error: Unhandled} and Lambda's error document; an
     * unknown function 404 ResourceNotFoundException.
     */
    static final class InvokeApi implements AutoCloseable {
        record Call(String path, String invocationType, byte[] body) {}

        final List<Call> calls = new CopyOnWriteArrayList<>();
        private final HttpServer server;
        private final Map<String, EngineLambdaHandler> functions;

        private InvokeApi(HttpServer server, Map<String, EngineLambdaHandler> functions) {
            this.server = server;
            this.functions = functions;
        }

        static InvokeApi start(Map<String, EngineLambdaHandler> functions) throws IOException {
            InvokeApi api = new InvokeApi(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), functions);
            api.server.createContext("/2015-03-31/functions/", api::invoke);
            api.server.start();
            return api;
        }

        URI endpoint() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        private void invoke(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                byte[] body = exchange.getRequestBody().readAllBytes();
                calls.add(new Call(path, exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type"), body));
                String[] parts = path.split("/");
                if (!exchange.getRequestMethod().equals("POST") || parts.length != 5 || !parts[4].equals("invocations")) {
                    send(exchange, 404, Map.of(), "{\"message\":\"unknown path\"}");
                    return;
                }
                EngineLambdaHandler handler = functions.get(parts[3]);
                if (handler == null) {
                    send(exchange, 404, Map.of("x-amzn-ErrorType", "ResourceNotFoundException"),
                            "{\"Type\":\"User\",\"message\":\"Function not found: arn:aws:lambda:us-east-1:000000000000:function:" + parts[3] + "\"}");
                    return;
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try {
                    handler.handleRequest(new ByteArrayInputStream(body), out, null);
                } catch (Throwable t) {
                    send(exchange, 200, Map.of("X-Amz-Function-Error", "Unhandled"),
                            new String(WireJson.object("errorMessage", t.getMessage(), "errorType", t.getClass().getName()), StandardCharsets.UTF_8));
                    return;
                }
                send(exchange, 200, Map.of("X-Amz-Executed-Version", "$LATEST"), out.toString(StandardCharsets.UTF_8));
            }
        }

        private static void send(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
