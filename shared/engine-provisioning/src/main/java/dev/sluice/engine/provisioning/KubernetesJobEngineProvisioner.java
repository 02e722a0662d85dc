package dev.sluice.engine.provisioning;

import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineProvisioner;
import dev.sluice.engine.runner.InvalidWireRequestException;
import dev.sluice.engine.runner.Location;
import dev.sluice.engine.runner.WireJson;
import dev.sluice.engine.runner.WireRequest;
import dev.sluice.engine.runner.WireResponse;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs each transform as a Kubernetes Job of the dialect's engine image: the request is staged in the object store,
 * the Job's container runs {@code cli run store:<request> --response store:<response>}, the provisioner watches the
 * Job until it succeeds, fails or times out, reads the response from the store and deletes the Job (a TTL also
 * removes finished Jobs should this process die first). Jobs never retry by themselves ({@code backoffLimit: 0}):
 * retries belong to the task system.
 */
public final class KubernetesJobEngineProvisioner implements EngineProvisioner {
    static final String BACKEND = "kubernetes-job";

    private final KubernetesClient client;
    private final ProvisionerConfig config;
    private final ObjectStoreStaging staging;

    public KubernetesJobEngineProvisioner(KubernetesClient client, ProvisionerConfig config, dev.sluice.storage.ObjectStore stagingStore) {
        this.client = client;
        this.config = config;
        this.staging = new ObjectStoreStaging(stagingStore, config.staging().prefix());
    }

    @Override
    public Optional<Engine> engineFor(String dialect) {
        ProvisionerConfig.DialectSettings settings = config.settingsFor(dialect);
        if (settings == null || settings.image() == null) return Optional.empty();
        String image = settings.image();
        return Optional.of(new RemoteEngine(BACKEND, dialect, new WireResponse.EngineInfo(dialect, "image " + image), staging,
                (id, request) -> runJob(dialect, image, id, request)));
    }

    private String namespace() {
        String ns = config.kubernetes().namespace();
        return ns != null ? ns : client.getNamespace() != null ? client.getNamespace() : "default";
    }

    static String jobName(String invocationId) {
        return EngineContainers.dnsLabel("sluice-engine-" + invocationId, 63);
    }

    Job job(String dialect, String image, String invocationId) {
        ProvisionerConfig.KubernetesSettings k = config.kubernetes();
        List<String> args = List.of("cli", "run", Location.ofKey(staging.requestKey(invocationId)).toString(),
                "--response", Location.ofKey(staging.responseKey(invocationId)).toString());
        var labels = EngineContainers.labels(dialect);
        return new JobBuilder()
                .withNewMetadata()
                    .withName(jobName(invocationId))
                    .withNamespace(namespace())
                    .withLabels(labels)
                    .addToAnnotations("sluice.dev/invocation", invocationId)
                .endMetadata()
                .withNewSpec()
                    .withBackoffLimit(0)
                    .withTtlSecondsAfterFinished(k.ttlSecondsAfterFinished())
                    .withActiveDeadlineSeconds(Math.max(1, k.timeout().toSeconds()))
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).endMetadata()
                        .withNewSpec()
                            .withRestartPolicy("Never")
                            .withServiceAccountName(k.serviceAccount())
                            .withContainers(EngineContainers.container(image, args, config.staging().store(), k.cpu(), k.memory(),
                                    k.envFromSecret(), k.imagePullPolicy(), null))
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    private WireResponse runJob(String dialect, String image, String invocationId, WireRequest request) {
        String name = jobName(invocationId);
        String namespace = namespace();
        try {
            staging.put(staging.requestKey(invocationId), WireJson.write(request));
        } catch (IOException e) {
            throw new EngineTransportException("cannot stage the request: " + e, e);
        }
        var jobs = client.batch().v1().jobs().inNamespace(namespace);
        try {
            jobs.resource(job(dialect, image, invocationId)).create();
        } catch (KubernetesClientException e) {
            throw new EngineTransportException("cannot create Job " + namespace + "/" + name + ": " + e.getMessage(), e);
        }
        try {
            Job done;
            try {
                done = jobs.withName(name).waitUntilCondition(j -> j == null || finished(j) != null,
                        config.kubernetes().timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (KubernetesClientTimeoutException e) {
                throw new EngineTransportException("Job " + namespace + "/" + name + " did not finish within " + config.kubernetes().timeout(), e);
            }
            if (done == null) throw new EngineTransportException("Job " + namespace + "/" + name + " was deleted before it finished");
            Optional<byte[]> response = staging.get(staging.responseKey(invocationId));
            if (Boolean.TRUE.equals(finished(done))) {
                return WireJson.readResponse(response.orElseThrow(() ->
                        new EngineTransportException("Job " + namespace + "/" + name + " succeeded but wrote no response")));
            }
            if (response.isPresent()) return WireJson.readResponse(response.get());
            throw new EngineTransportException("Job " + namespace + "/" + name + " failed: " + failure(done));
        } catch (IOException e) {
            throw new EngineTransportException("cannot read the response of Job " + namespace + "/" + name + ": " + e, e);
        } catch (InvalidWireRequestException e) {
            throw new EngineTransportException("Job " + namespace + "/" + name + " wrote an unreadable response: " + e.getMessage(), e);
        } finally {
            try {
                jobs.withName(name).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
            } catch (KubernetesClientException e) {
                // the TTL removes it later
                System.getLogger(KubernetesJobEngineProvisioner.class.getName())
                        .log(System.Logger.Level.WARNING, "could not delete Job " + namespace + "/" + name + ": " + e.getMessage());
            }
        }
    }

    /** TRUE when the Job succeeded, FALSE when it failed, null while it runs. */
    static Boolean finished(Job job) {
        if (job.getStatus() == null) return null;
        if (job.getStatus().getConditions() != null) {
            for (JobCondition c : job.getStatus().getConditions()) {
                if (!"True".equals(c.getStatus())) continue;
                if ("Complete".equals(c.getType())) return true;
                if ("Failed".equals(c.getType())) return false;
            }
        }
        if (job.getStatus().getSucceeded() != null && job.getStatus().getSucceeded() > 0) return true;
        if (job.getStatus().getFailed() != null && job.getStatus().getFailed() > 0) return false;
        return null;
    }

    private static String failure(Job job) {
        if (job.getStatus().getConditions() != null) {
            for (JobCondition c : job.getStatus().getConditions()) {
                if ("Failed".equals(c.getType()) && "True".equals(c.getStatus())) {
                    return c.getReason() + (c.getMessage() != null ? ": " + c.getMessage() : "");
                }
            }
        }
        return "pod failed";
    }
}
