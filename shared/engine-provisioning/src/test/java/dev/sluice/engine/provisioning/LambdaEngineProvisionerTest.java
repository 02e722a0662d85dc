package dev.sluice.engine.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * the Invoke API ({@link InvokeApi}) that runs the runner's Lambda handler, as the Lambda service would.
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
        EngineLambdaHandler handler = new EngineLambdaHandler(functionRunner);
        api = InvokeApi.start(Map.of(FUNCTION, (in, out) -> handler.handleRequest(in, out, null)));
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
}
