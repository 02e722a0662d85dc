package dev.sluice.engine.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.engine.Engine;
import dev.sluice.engine.TransformRequest;
import dev.sluice.engine.TransformResponse;
import dev.sluice.engine.runner.EngineLambdaHandler;
import dev.sluice.engine.runner.EngineRunner;
import dev.sluice.engine.runner.testengine.LinesRequests;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.storage.S3Config;
import dev.sluice.storage.S3ObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The lambda backend against LocalStack's Lambda (the runner jar deployed on the java17 runtime, staging in
 * LocalStack's S3). Needs a Docker engine (LocalStack runs functions in containers); skipped cleanly without one.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackLambdaTest {
    static final String FUNCTION = "sluice-engine-lines";

    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:3.8"))
            .withServices(LocalStackContainer.Service.LAMBDA, LocalStackContainer.Service.S3);

    @TempDir Path dir;

    @Test
    void invokesTheRunnerDeployedAsAFunction() throws Exception {
        String bucket = "sluice-engine-staging";
        S3Config s3 = new S3Config(bucket, "", LOCALSTACK.getEndpoint(), LOCALSTACK.getRegion(), true,
                LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey());
        ProvisionerConfig.LambdaSettings lambdaSettings =
                new ProvisionerConfig.LambdaSettings(LOCALSTACK.getRegion(), LOCALSTACK.getEndpoint(), Duration.ofMinutes(2));
        try (S3ObjectStore staging = S3ObjectStore.create(s3);
             S3Client s3Client = S3ObjectStore.buildClient(s3);
             LambdaClient lambda = LambdaClient.builder()
                     .endpointOverride(LOCALSTACK.getEndpoint())
                     .region(Region.of(LOCALSTACK.getRegion()))
                     .credentialsProvider(StaticCredentialsProvider.create(
                             AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey())))
                     .httpClientBuilder(UrlConnectionHttpClient.builder())
                     .build()) {
            s3Client.createBucket(b -> b.bucket(bucket));
            byte[] code = functionZip();
            // inside LocalStack's function containers, LocalStack itself answers on localhost.localstack.cloud:4566
            String functionStore = "s3://" + bucket + "?endpoint=http://localhost.localstack.cloud:4566";
            lambda.createFunction(b -> b.functionName(FUNCTION)
                    .runtime(Runtime.JAVA17)
                    .handler(EngineLambdaHandler.class.getName() + "::handleRequest")
                    .role("arn:aws:iam::000000000000:role/lambda-role")
                    .timeout(120)
                    .memorySize(1024)
                    .environment(e -> e.variables(Map.of(EngineRunner.ENV_STORE, functionStore)))
                    .code(c -> c.zipFile(SdkBytes.fromByteArray(code))));
            lambda.waiter().waitUntilFunctionActiveV2(b -> b.functionName(FUNCTION));

            var config = new ProvisionerConfig(ProvisionerConfig.Backend.LAMBDA,
                    Map.of("lines", new ProvisionerConfig.DialectSettings(null, null, null, FUNCTION)),
                    new ProvisionerConfig.StagingSettings(functionStore, "engine-staging/"), null, null, null, lambdaSettings);
            Engine engine = new LambdaEngineProvisioner(lambda, config, staging).engineFor("lines").orElseThrow();
            TransformRequest request = LinesRequests.request(dir, "lines", "grep a", null);

            assertEquals(new TransformResponse.Success(new OffsetInterval(10, 13), LinesRequests.EVENT_TIME), engine.transform(request));
            assertEquals(LinesRequests.GREP_A_DATA, Files.readAllLines(request.newDataPath()));
            assertEquals("lines/1", engine.build());
            assertEquals(List.of(), staging.list("engine-staging/"));
        }
    }

    /**
     * A Lambda deployment package ({@code lib/*.jar}) with the runner, the test engine and what they need at run
     * time, taken from this test's class path.
     */
    private byte[] functionZip() throws IOException {
        List<String> wanted = List.of("/sluice-", "/jackson-", "/aws-lambda-java-core", "/flatbuffers-java", "/snakeyaml",
                "/software/amazon/awssdk/", "/reactive-streams", "/slf4j-api", "/shared/odf/", "/shared/storage/target/classes",
                "/shared/engine/", "/shared/engine-runner/");
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            int n = 0;
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                String unix = entry.replace(File.separatorChar, '/');
                if (wanted.stream().noneMatch(unix::contains)) continue;
                Path path = Path.of(entry);
                out.putNextEntry(new ZipEntry("lib/" + (n++) + "-" + path.getFileName() + (Files.isDirectory(path) ? ".jar" : "")));
                out.write(Files.isDirectory(path) ? jarOf(path) : Files.readAllBytes(path));
                out.closeEntry();
            }
        }
        return zip.toByteArray();
    }

    private static byte[] jarOf(Path classes) throws IOException {
        ByteArrayOutputStream jar = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(jar); Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new ZipEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
        return jar.toByteArray();
    }
}
