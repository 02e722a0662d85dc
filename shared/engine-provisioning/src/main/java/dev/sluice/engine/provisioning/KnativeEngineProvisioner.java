package dev.sluice.engine.provisioning;

import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineProvisioner;
import dev.sluice.engine.runner.WireResponse;
import dev.sluice.storage.ObjectStore;
import io.fabric8.knative.client.KnativeClient;
import io.fabric8.knative.pkg.apis.Condition;
import io.fabric8.knative.serving.v1.Service;
import io.fabric8.knative.serving.v1.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs transforms on a Knative Service of the dialect's engine image (scale-to-zero: no pod while idle). The first
 * request for a dialect ensures the Service exists (named after dialect and image, so a new image gets a new
 * Service), waits until it is Ready with a URL, then POSTs wire requests to {@code <url>/transform}; inputs and
 * outputs go through the object-store staging area. Services this provisioner created are deleted on
 * {@link #close()} when {@code knative.delete-on-close} is set; Services that already existed are never touched.
 */
public final class KnativeEngineProvisioner implements EngineProvisioner {
    static final String BACKEND = "knative";
    static final int PORT = 8080;
    private static final System.Logger LOG = System.getLogger(KnativeEngineProvisioner.class.getName());

    private final KnativeClient knative;
    private final ProvisionerConfig config;
    private final ObjectStoreStaging staging;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<String, URI> urls = new LinkedHashMap<>();
    private final List<String> created = new ArrayList<>();

    public KnativeEngineProvisioner(KubernetesClient client, ProvisionerConfig config, ObjectStore stagingStore) {
        this.knative = client.adapt(KnativeClient.class);
        this.config = config;
        this.staging = new ObjectStoreStaging(stagingStore, config.staging().prefix());
    }

    /** Ensures the dialect's Service is deployed and Ready; throws {@link EngineProvisioningException} if it does not become Ready. */
    @Override
    public Optional<Engine> engineFor(String dialect) {
        ProvisionerConfig.DialectSettings settings = config.settingsFor(dialect);
        if (settings == null || settings.image() == null) return Optional.empty();
        URI url = ensureService(dialect, settings.image());
        EngineTransport transport = new HttpEngineTransport(http, () -> url, config.knative().requestTimeout());
        return Optional.of(new RemoteEngine(BACKEND, dialect, new WireResponse.EngineInfo(dialect, "image " + settings.image()),
                staging, transport));
    }

    static String serviceName(String dialect, String image) {
        return EngineContainers.dnsLabel("sluice-engine-" + EngineContainers.dnsLabel(dialect, 20), 40) + "-" + EngineContainers.shortHash(image);
    }

    private String namespace() {
        String ns = config.knative().namespace();
        return ns != null ? ns : knative.getNamespace() != null ? knative.getNamespace() : "default";
    }

    Service service(String dialect, String image) {
        ProvisionerConfig.KnativeSettings k = config.knative();
        return new ServiceBuilder()
                .withNewMetadata()
                    .withName(serviceName(dialect, image))
                    .withNamespace(namespace())
                    .withLabels(EngineContainers.labels(dialect))
                .endMetadata()
                .withNewSpec()
                    .withNewTemplate()
                        .withNewMetadata()
                            .withLabels(EngineContainers.labels(dialect))
                            .addToAnnotations("autoscaling.knative.dev/min-scale", "0")
                        .endMetadata()
                        .withNewSpec()
                            .withContainerConcurrency((long) k.containerConcurrency())
                            .withTimeoutSeconds(Math.max(1, k.requestTimeout().toSeconds()))
                            .withServiceAccountName(k.serviceAccount())
                            .withContainers(EngineContainers.container(image, List.of("http"), config.staging().store(),
                                    k.cpu(), k.memory(), k.envFromSecret(), null, PORT))
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    private synchronized URI ensureService(String dialect, String image) {
        String name = serviceName(dialect, image);
        URI known = urls.get(name);
        if (known != null) return known;
        String namespace = namespace();
        var services = knative.services().inNamespace(namespace);
        try {
            if (services.withName(name).get() == null) {
                services.resource(service(dialect, image)).create();
                created.add(name);
                LOG.log(System.Logger.Level.INFO, "created Knative Service " + namespace + "/" + name + " for " + image);
            }
            Service ready;
            try {
                ready = services.withName(name).waitUntilCondition(s -> s == null || isReady(s),
                        config.knative().readyTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (KubernetesClientTimeoutException e) {
                throw new EngineProvisioningException("Knative Service " + namespace + "/" + name + " not Ready within "
                        + config.knative().readyTimeout() + ": " + readiness(services.withName(name).get()), e);
            }
            if (ready == null) throw new EngineProvisioningException("Knative Service " + namespace + "/" + name + " was deleted while starting");
            URI url = URI.create(ready.getStatus().getUrl());
            urls.put(name, url);
            return url;
        } catch (KubernetesClientException e) {
            throw new EngineProvisioningException("cannot deploy Knative Service " + namespace + "/" + name + ": " + e.getMessage(), e);
        }
    }

    static boolean isReady(Service s) {
        if (s.getStatus() == null || s.getStatus().getUrl() == null || s.getStatus().getConditions() == null) return false;
        for (Condition c : s.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) return "True".equals(c.getStatus());
        }
        return false;
    }

    private static String readiness(Service s) {
        if (s == null) return "deleted";
        if (s.getStatus() == null || s.getStatus().getConditions() == null) return "no status yet";
        for (Condition c : s.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                return "Ready=" + c.getStatus() + (c.getReason() != null ? " " + c.getReason() : "")
                        + (c.getMessage() != null ? ": " + c.getMessage() : "");
            }
        }
        return "no Ready condition";
    }

    /** Names of the Services this provisioner created and still owns. */
    public synchronized List<String> createdServices() {
        return List.copyOf(created);
    }

    @Override
    public synchronized void close() {
        if (config.knative().deleteOnClose()) {
            var services = knative.services().inNamespace(namespace());
            for (String name : created) {
                try {
                    services.withName(name).delete();
                } catch (KubernetesClientException e) {
                    LOG.log(System.Logger.Level.WARNING, "could not delete Knative Service " + name + ": " + e.getMessage());
                }
            }
            created.clear();
        }
        urls.clear();
    }
}
