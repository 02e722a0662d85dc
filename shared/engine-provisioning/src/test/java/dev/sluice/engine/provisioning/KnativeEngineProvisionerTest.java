package dev.sluice.engine.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.engine.Engine;
import dev.sluice.engine.TransformRequest;
import dev.sluice.engine.TransformResponse;
import dev.sluice.engine.runner.EngineHttpServer;
import dev.sluice.engine.runner.testengine.LinesRequests;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.storage.FileSystemObjectStore;
import dev.sluice.storage.ObjectStores;
import io.fabric8.knative.client.KnativeClient;
import io.fabric8.knative.serving.v1.Service;
import io.fabric8.knative.serving.v1.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The knative backend against the fabric8 Kubernetes mock server in CRUD mode (not a real cluster): the test plays
 * Knative Serving — it starts the runner's HTTP entry point configured from the Service's container environment and
 * marks the Service Ready with that server's URL.
 */
@EnableKubernetesMockClient(crud = true)
class KnativeEngineProvisionerTest {
    static final String IMAGE = "ghcr.io/sluice/engine-lines:1.0";
    static KubernetesClient client;

    @TempDir Path dir;
    private Path stagingRoot;
    private FileSystemObjectStore staging;
    private EngineHttpServer revision;

    @BeforeEach
    void stagingArea() throws Exception {
        stagingRoot = Files.createDirectories(dir.resolve("staging"));
        staging = new FileSystemObjectStore(stagingRoot);
    }

    @AfterEach
    void stopRevision() {
        if (revision != null) revision.close();
        knative().services().inNamespace("engines").delete();
    }

    private KnativeClient knative() {
        return client.adapt(KnativeClient.class);
    }

    private ProvisionerConfig config(boolean deleteOnClose, Duration readyTimeout) {
        return new ProvisionerConfig(ProvisionerConfig.Backend.KNATIVE,
                Map.of("default", new ProvisionerConfig.DialectSettings(IMAGE, null, null, null)),
                new ProvisionerConfig.StagingSettings(stagingRoot.toUri().toString(), "engine-staging/"),
                null, null,
                new ProvisionerConfig.KnativeSettings("engines", "sluice-engine", "2", "1Gi", readyTimeout, Duration.ofMinutes(2),
                        deleteOnClose, "engine-s3", 4),
                null);
    }

    @Test
    void deploysTheServiceWaitsForReadyAndPostsRequests() throws Exception {
        try (KnativeEngineProvisioner provisioner = new KnativeEngineProvisioner(client, config(true, Duration.ofMinutes(1)), staging)) {
            CompletableFuture<Optional<Engine>> provisioned = CompletableFuture.supplyAsync(() -> provisioner.engineFor("lines"));
            Service service = awaitService();

            String name = KnativeEngineProvisioner.serviceName("lines", IMAGE);
            assertEquals(name, service.getMetadata().getName());
            assertTrue(name.matches("sluice-engine-lines-[0-9a-f]{10}"), name);
            var template = service.getSpec().getTemplate();
            assertEquals("0", template.getMetadata().getAnnotations().get("autoscaling.knative.dev/min-scale"));
            assertEquals(4L, template.getSpec().getContainerConcurrency());
            assertEquals(120L, template.getSpec().getTimeoutSeconds());
            assertEquals("sluice-engine", template.getSpec().getServiceAccountName());
            Container container = template.getSpec().getContainers().get(0);
            assertEquals(IMAGE, container.getImage());
            assertEquals(List.of("http"), container.getArgs());
            assertEquals(8080, container.getPorts().get(0).getContainerPort());
            assertEquals(Map.of("SLUICE_ENGINE_STORE", stagingRoot.toUri().toString(), "SLUICE_ENGINE_LOCAL_FILES", "false"),
                    ClusterControl.env(container));
            assertEquals("engine-s3", container.getEnvFrom().get(0).getSecretRef().getName());

            URI url = startRevision(container);
            markReady(name, url);
            Engine engine = provisioned.get(60, TimeUnit.SECONDS).orElseThrow();

            TransformRequest request = LinesRequests.request(dir.resolve("r1"), "lines", "grep ap", null);
            assertEquals(new TransformResponse.Success(new OffsetInterval(10, 11), LinesRequests.EVENT_TIME), engine.transform(request));
            assertEquals(List.of("10\tapple", "11\tapricot"), Files.readAllLines(request.newDataPath()));
            assertEquals("lines/1", engine.build());
            assertEquals(List.of(), staging.list("engine-staging/"), "staging area emptied");

            // a second request for the dialect reuses the Service
            Engine again = provisioner.engineFor("lines").orElseThrow();
            assertEquals(new TransformResponse.InvalidQuery("nope"),
                    again.transform(LinesRequests.request(dir.resolve("r2"), "lines", "invalid: nope", null)));
            assertEquals(List.of(name), provisioner.createdServices());
            assertEquals(1, knative().services().inNamespace("engines").list().getItems().size());
        }
        assertEquals(List.of(), knative().services().inNamespace("engines").list().getItems(), "created Service deleted on close");
    }

    @Test
    void usesAnExistingServiceAndLeavesItAlone() throws Exception {
        String name = KnativeEngineProvisioner.serviceName("lines", IMAGE);
        var provisionerConfig = config(true, Duration.ofMinutes(1));
        Service existing = new KnativeEngineProvisioner(client, provisionerConfig, staging).service("lines", IMAGE);
        knative().services().inNamespace("engines").resource(existing).create();
        URI url = startRevision(existing.getSpec().getTemplate().getSpec().getContainers().get(0));
        markReady(name, url);

        try (KnativeEngineProvisioner provisioner = new KnativeEngineProvisioner(client, provisionerConfig, staging)) {
            Engine engine = provisioner.engineFor("lines").orElseThrow();
            TransformRequest request = LinesRequests.request(dir, "lines", "grep cherry", null);
            assertEquals(new TransformResponse.Success(new OffsetInterval(10, 10), LinesRequests.EVENT_TIME), engine.transform(request));
            assertEquals(List.of(), provisioner.createdServices());
        }
        assertNotNull(knative().services().inNamespace("engines").withName(name).get(), "not ours to delete");
    }

    @Test
    void aServiceThatNeverBecomesReadyFailsWithItsCondition() throws Exception {
        try (KnativeEngineProvisioner provisioner = new KnativeEngineProvisioner(client, config(true, Duration.ofSeconds(2)), staging)) {
            CompletableFuture<Optional<Engine>> provisioned = CompletableFuture.supplyAsync(() -> provisioner.engineFor("lines"));
            Service service = awaitService();
            knative().services().inNamespace("engines").withName(service.getMetadata().getName()).editStatus(s -> new ServiceBuilder(s)
                    .editOrNewStatus()
                    .addNewCondition().withType("Ready").withStatus("False").withReason("RevisionFailed")
                    .withMessage("image pull failed").endCondition()
                    .endStatus().build());

            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> provisioned.get(60, TimeUnit.SECONDS));
            var cause = assertInstanceOf(EngineProvisioningException.class, e.getCause());
            assertEquals("Knative Service engines/" + service.getMetadata().getName() + " not Ready within PT2S: "
                    + "Ready=False RevisionFailed: image pull failed", cause.getMessage());
        }
        assertEquals(List.of(), knative().services().inNamespace("engines").list().getItems());
    }

    @Test
    void anUnreachableRevisionIsAnInternalError() throws Exception {
        String name = KnativeEngineProvisioner.serviceName("lines", IMAGE);
        try (KnativeEngineProvisioner provisioner = new KnativeEngineProvisioner(client, config(false, Duration.ofMinutes(1)), staging)) {
            CompletableFuture<Optional<Engine>> provisioned = CompletableFuture.supplyAsync(() -> provisioner.engineFor("lines"));
            Service service = awaitService();
            URI url = startRevision(service.getSpec().getTemplate().getSpec().getContainers().get(0));
            markReady(name, url);
            Engine engine = provisioned.get(60, TimeUnit.SECONDS).orElseThrow();
            revision.close(); // scaled away under us
            revision = null;

            TransformRequest request = LinesRequests.request(dir, "lines", "grep a", null);
            var error = assertInstanceOf(TransformResponse.InternalError.class, engine.transform(request));
            assertTrue(error.message().startsWith("knative engine lines: cannot reach " + url + "/transform"), error.message());
            assertTrue(Files.notExists(request.newDataPath()));
            assertEquals(List.of(), staging.list("engine-staging/"));
        }
        assertNotNull(knative().services().inNamespace("engines").withName(name).get(), "kept: delete-on-close is off");
    }

    private Service awaitService() throws InterruptedException {
        return ClusterControl.await("the engine Service", Duration.ofSeconds(60), () ->
                knative().services().inNamespace("engines").list().getItems().stream().findFirst());
    }

    /** What Knative Serving starts for the Service's revision: the image's {@code http} entry point. */
    private URI startRevision(Container container) throws Exception {
        ClusterControl.argsAfterMode(container, "http");
        var runner = ClusterControl.runnerFor(container, ObjectStores::open);
        revision = EngineHttpServer.start(runner, new InetSocketAddress("127.0.0.1", 0), 2);
        return revision.uri();
    }

    private void markReady(String name, URI url) {
        knative().services().inNamespace("engines").withName(name).editStatus(s -> new ServiceBuilder(s)
                .editOrNewStatus()
                .withUrl(url.toString())
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus().build());
    }
}
