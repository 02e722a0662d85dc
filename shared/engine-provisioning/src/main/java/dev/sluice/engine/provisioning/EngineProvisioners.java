package dev.sluice.engine.provisioning;

import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineProvisioner;
import dev.sluice.storage.ObjectStore;
import dev.sluice.storage.ObjectStores;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.LambdaClientBuilder;

/**
 * Builds the configured {@link EngineProvisioner} with default clients: the Kubernetes client from kubeconfig or the
 * pod's service account, the Lambda client and the staging store from the AWS default credential chain. Closing the
 * provisioner closes what was built for it. Tests and embedders with their own clients use the backend classes.
 */
public final class EngineProvisioners {
    private EngineProvisioners() {}

    public static EngineProvisioner create(Properties properties) {
        return create(ProvisionerConfig.fromProperties(properties));
    }

    public static EngineProvisioner create(ProvisionerConfig config) {
        switch (config.backend()) {
            case IN_PROCESS:
                return new InProcessEngineProvisioner();
            case PROCESS:
                return new ProcessEngineProvisioner(config);
            default:
                break;
        }
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            ObjectStore staging = ObjectStores.open(config.staging().store());
            if (staging instanceof AutoCloseable c) resources.add(c);
            EngineProvisioner provisioner;
            switch (config.backend()) {
                case KUBERNETES_JOB -> {
                    KubernetesClient k8s = new KubernetesClientBuilder().build();
                    resources.add(k8s);
                    provisioner = new KubernetesJobEngineProvisioner(k8s, config, staging);
                }
                case KNATIVE -> {
                    KubernetesClient k8s = new KubernetesClientBuilder().build();
                    resources.add(k8s);
                    provisioner = new KnativeEngineProvisioner(k8s, config, staging);
                }
                case LAMBDA -> {
                    LambdaClient lambda = lambdaClient(config.lambda());
                    resources.add(lambda);
                    provisioner = new LambdaEngineProvisioner(lambda, config, staging);
                }
                default -> throw new IllegalStateException(config.backend().key());
            }
            return new Closing(provisioner, resources);
        } catch (RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    /** A Lambda client whose socket waits as long as a function may run (the SDK's default read timeout is 30 s). */
    public static LambdaClient lambdaClient(ProvisionerConfig.LambdaSettings settings) {
        LambdaClientBuilder builder = LambdaClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(settings.timeout().plusSeconds(30)))
                .overrideConfiguration(o -> o.apiCallTimeout(settings.timeout().plusSeconds(60)));
        if (settings.region() != null) builder.region(Region.of(settings.region()));
        if (settings.endpoint() != null) builder.endpointOverride(settings.endpoint());
        return builder.build();
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                System.getLogger(EngineProvisioners.class.getName()).log(System.Logger.Level.WARNING, "close failed: " + e);
            }
        }
    }

    /** Closes the clients built for a provisioner after the provisioner itself. */
    private record Closing(EngineProvisioner delegate, List<AutoCloseable> resources) implements EngineProvisioner {
        @Override
        public Optional<Engine> engineFor(String dialect) {
            return delegate.engineFor(dialect);
        }

        @Override
        public void close() {
            try {
                delegate.close();
            } finally {
                closeAll(resources);
            }
        }
    }
}
