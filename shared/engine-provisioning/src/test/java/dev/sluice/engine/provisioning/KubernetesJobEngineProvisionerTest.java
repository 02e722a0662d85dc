package dev.sluice.engine.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.engine.Engine;
import dev.sluice.engine.TransformRequest;
import dev.sluice.engine.TransformResponse;
import dev.sluice.engine.runner.EngineRunner;
import dev.sluice.engine.runner.EngineRunnerMain;
import dev.sluice.engine.runner.testengine.LinesRequests;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.storage.LocalS3Server;
import dev.sluice.storage.S3Config;
import dev.sluice.storage.S3ObjectStore;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubernetes-job backend against the fabric8 Kubernetes mock server in CRUD mode (not a real cluster): the test
 * plays the Job controller and kubelet — it runs the runner's CLI entry point with the created Job's arguments and
 * environment, then marks the Job succeeded or failed. Staging goes through S3 (s3proxy).
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesJobEngineProvisionerTest {
    static KubernetesClient client;
    private static LocalS3Server s3;

    @TempDir Path dir;
    private S3ObjectStore staging;
    private String stagingLocation;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = LocalS3Server.start();
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @BeforeEach
    void newBucket() {
        staging = s3.newStore("");
        // what remote engines get as SLUICE_ENGINE_STORE: location and endpoint, never credentials
        stagingLocation = "s3://" + staging.bucket() + "?endpoint=" + s3.endpoint();
    }

    private ProvisionerConfig config(Duration timeout) {
        return new ProvisionerConfig(ProvisionerConfig.Backend.KUBERNETES_JOB,
                Map.of("lines", new ProvisionerConfig.DialectSettings("ghcr.io/sluice/engine-lines:1.0", null, null, null)),
                new ProvisionerConfig.StagingSettings(stagingLocation, "engine-staging"),
                null,
                new ProvisionerConfig.KubernetesSettings("engines", "sluice-engine", "2", "1Gi", 300, timeout, "engine-s3", "IfNotPresent"),
                null, null);
    }

    /** The credentials the Secret {@code engine-s3} would put into the container. */
    private static S3ObjectStore openWithSecret(String location) {
        return S3ObjectStore.create(S3Config.parse(location).withCredentials(LocalS3Server.ACCESS_KEY, LocalS3Server.SECRET_KEY));
    }

    @Test
    void runsTheTransformAsAJobAndCleansUp() throws Exception {
        Engine engine = new KubernetesJobEngineProvisioner(client, config(Duration.ofMinutes(2)), staging).engineFor("lines").orElseThrow();
        assertEquals("image ghcr.io/sluice/engine-lines:1.0", engine.build(), "before the first run: what the configuration says");
        TransformRequest request = LinesRequests.request(dir, "lines", "grep a", null);
        Files.writeString(dir.resolve("prev"), "runs=2\n");
        TransformRequest withCheckpoint = new TransformRequest(request.datasetId(), request.datasetAlias(), request.systemTime(),
                request.vocab(), request.transform(), request.queryInputs(), request.nextOffset(), dir.resolve("prev"),
                request.newCheckpointPath(), request.newDataPath());

        CompletableFuture<TransformResponse> result = CompletableFuture.supplyAsync(() -> engine.transform(withCheckpoint));
        Job job = awaitJob();

        // the Job as created
        assertEquals("engines", job.getMetadata().getNamespace());
        assertEquals(Map.of("app.kubernetes.io/name", "sluice-engine", "app.kubernetes.io/managed-by", "sluice",
                "sluice.dev/engine-dialect", "lines"), job.getMetadata().getLabels());
        assertEquals(0, job.getSpec().getBackoffLimit());
        assertEquals(300, job.getSpec().getTtlSecondsAfterFinished());
        assertEquals(120L, job.getSpec().getActiveDeadlineSeconds());
        assertEquals("Never", job.getSpec().getTemplate().getSpec().getRestartPolicy());
        assertEquals("sluice-engine", job.getSpec().getTemplate().getSpec().getServiceAccountName());
        Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("ghcr.io/sluice/engine-lines:1.0", container.getImage());
        assertEquals("IfNotPresent", container.getImagePullPolicy());
        String invocation = job.getMetadata().getAnnotations().get("sluice.dev/invocation");
        assertEquals(List.of("cli", "run", "store:engine-staging/" + invocation + "/request.json",
                "--response", "store:engine-staging/" + invocation + "/response.json"), container.getArgs());
        assertEquals(Map.of("SLUICE_ENGINE_STORE", stagingLocation, "SLUICE_ENGINE_LOCAL_FILES", "false"), ClusterControl.env(container));
        assertEquals("engine-s3", container.getEnvFrom().get(0).getSecretRef().getName());
        assertEquals(Map.of("cpu", new Quantity("2"), "memory", new Quantity("1Gi")), container.getResources().getLimits());
        assertTrue(staging.exists("engine-staging/" + invocation + "/in/prev-checkpoint"), "inputs staged before the Job starts");

        // the kubelet runs the container; the Job controller marks the Job complete
        runContainer(container);
        markFinished(job, true, null);

        assertEquals(new TransformResponse.Success(new OffsetInterval(10, 13), LinesRequests.EVENT_TIME), result.get(60, TimeUnit.SECONDS));
        assertEquals(LinesRequests.GREP_A_DATA, Files.readAllLines(request.newDataPath()));
        assertEquals(List.of("runs=3", "build=lines/1"), Files.readAllLines(request.newCheckpointPath()));
        assertEquals("lines/1", engine.build(), "the build that ran, as the runner reported it");
        assertCleanedUp(job);
    }

    @Test
    void anEngineErrorComesBackThroughTheResponseObject() throws Exception {
        Engine engine = new KubernetesJobEngineProvisioner(client, config(Duration.ofMinutes(2)), staging).engineFor("lines").orElseThrow();
        TransformRequest request = request("fail: out of disk");
        CompletableFuture<TransformResponse> result = CompletableFuture.supplyAsync(() -> engine.transform(request));
        Job job = awaitJob();
        runContainer(job.getSpec().getTemplate().getSpec().getContainers().get(0));
        markFinished(job, true, null);

        assertEquals(new TransformResponse.InternalError("out of disk", null), result.get(60, TimeUnit.SECONDS));
        assertCleanedUp(job);
    }

    @Test
    void aFailedJobIsAnInternalErrorWithItsReason() throws Exception {
        Engine engine = new KubernetesJobEngineProvisioner(client, config(Duration.ofMinutes(2)), staging).engineFor("lines").orElseThrow();
        TransformRequest request = request("grep a");
        CompletableFuture<TransformResponse> result = CompletableFuture.supplyAsync(() -> engine.transform(request));
        Job job = awaitJob();
        markFinished(job, false, "Pod was OOMKilled");

        var error = assertInstanceOf(TransformResponse.InternalError.class, result.get(60, TimeUnit.SECONDS));
        assertEquals("kubernetes-job engine lines: Job engines/" + job.getMetadata().getName()
                + " failed: BackoffLimitExceeded: Pod was OOMKilled", error.message());
        assertTrue(Files.notExists(request.newDataPath()));
        assertCleanedUp(job);
    }

    @Test
    void aJobThatNeverFinishesTimesOutAndIsDeleted() throws Exception {
        Engine engine = new KubernetesJobEngineProvisioner(client, config(Duration.ofSeconds(2)), staging).engineFor("lines").orElseThrow();
        TransformRequest request = request("grep a");

        var error = assertInstanceOf(TransformResponse.InternalError.class, engine.transform(request));

        assertTrue(error.message().startsWith("kubernetes-job engine lines: Job engines/sluice-engine-"), error.message());
        assertTrue(error.message().endsWith(" did not finish within PT2S"), error.message());
        assertTrue(Files.notExists(request.newDataPath()));
        assertEquals(List.of(), client.batch().v1().jobs().inNamespace("engines").list().getItems());
        assertEquals(List.of(), staging.list(""));
    }

    @Test
    void noImageNoEngine() {
        var provisioner = new KubernetesJobEngineProvisioner(client, config(Duration.ofSeconds(5)), staging);
        assertEquals(Optional.empty(), provisioner.engineFor("spark"));
    }

    private TransformRequest request(String query) throws Exception {
        return LinesRequests.request(dir, "lines", query, null);
    }

    private Job awaitJob() throws InterruptedException {
        return ClusterControl.await("the engine Job", Duration.ofSeconds(60), () ->
                client.batch().v1().jobs().inNamespace("engines").withLabel("app.kubernetes.io/name", "sluice-engine")
                        .list().getItems().stream().findFirst());
    }

    /** What the engine image's {@code cli} entry point does in the pod. */
    private void runContainer(Container container) {
        EngineRunner runner = ClusterControl.runnerFor(container, KubernetesJobEngineProvisionerTest::openWithSecret);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = EngineRunnerMain.execute(runner, ClusterControl.argsAfterMode(container, "cli"),
                InputStream.nullInputStream(), new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertEquals(EngineRunnerMain.OK, status, err.toString());
    }

    private void markFinished(Job job, boolean succeeded, String message) {
        client.batch().v1().jobs().inNamespace("engines").withName(job.getMetadata().getName()).editStatus(j -> {
            var status = new JobBuilder(j).editOrNewStatus();
            if (succeeded) {
                status.withSucceeded(1).addNewCondition().withType("Complete").withStatus("True").endCondition();
            } else {
                status.withFailed(1).addNewCondition().withType("Failed").withStatus("True")
                        .withReason("BackoffLimitExceeded").withMessage(message).endCondition();
            }
            return status.endStatus().build();
        });
    }

    private void assertCleanedUp(Job job) throws Exception {
        assertNull(client.batch().v1().jobs().inNamespace("engines").withName(job.getMetadata().getName()).get(), "Job deleted");
        assertEquals(List.of(), staging.list(""), "staging area emptied");
    }
}
