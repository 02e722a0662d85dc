package dev.sluice.engine.provisioning;

import dev.sluice.engine.runner.EngineRunner;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The engine runner container for Kubernetes Jobs and Knative Services. */
final class EngineContainers {
    static final String NAME_LABEL = "app.kubernetes.io/name";
    static final String NAME = "sluice-engine";
    static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    static final String MANAGED_BY = "sluice";
    static final String DIALECT_LABEL = "sluice.dev/engine-dialect";

    private EngineContainers() {}

    /**
     * @param args          the image entrypoint's arguments ({@code cli run …} or {@code http})
     * @param stagingStore  given to the runner as {@code SLUICE_ENGINE_STORE}; it must hold no credentials
     * @param envFromSecret a Secret with the store's credentials, or null (workload identity)
     */
    static Container container(String image, List<String> args, String stagingStore, String cpu, String memory,
                               String envFromSecret, String imagePullPolicy, Integer port) {
        ContainerBuilder c = new ContainerBuilder()
                .withName("engine")
                .withImage(image)
                .withArgs(args)
                .withEnv(
                        new EnvVar(EngineRunner.ENV_STORE, stagingStore, null),
                        new EnvVar(EngineRunner.ENV_LOCAL_FILES, "false", null))
                .withNewResources()
                .withLimits(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory)))
                .withRequests(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory)))
                .endResources();
        if (envFromSecret != null) {
            EnvFromSource secret = new EnvFromSourceBuilder().withNewSecretRef().withName(envFromSecret).endSecretRef().build();
            c.withEnvFrom(secret);
        }
        if (imagePullPolicy != null) c.withImagePullPolicy(imagePullPolicy);
        if (port != null) c.addNewPort().withContainerPort(port).withName("http1").endPort();
        return c.build();
    }

    static Map<String, String> labels(String dialect) {
        return Map.of(NAME_LABEL, NAME, MANAGED_BY_LABEL, MANAGED_BY, DIALECT_LABEL, dnsLabel(dialect, 63));
    }

    /** Lower-case letters, digits and '-', starting with a letter, at most {@code max} characters. */
    static String dnsLabel(String text, int max) {
        String s = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        if (s.isEmpty() || !Character.isLetter(s.charAt(0))) s = "x" + s;
        return s.length() > max ? s.substring(0, max).replaceAll("-+$", "") : s;
    }

    static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
