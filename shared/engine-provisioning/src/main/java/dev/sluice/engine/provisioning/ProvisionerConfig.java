package dev.sluice.engine.provisioning;

import java.io.File;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Which backend runs engines, and per dialect which engine image, function or JVM class path. Read from properties
 * ({@link #fromProperties}; keys under {@code sluice.engine.}, see {@code engine-images/duckdb/README.md}); an unknown
 * key is an error, so a typo does not silently fall back to a default.
 *
 * @param dialects per dialect (lower-case, e.g. {@code duckdb}, {@code datafusion}), with {@code default} applying to
 *                 dialects not listed
 * @param staging  object-store area for remote backends' inputs and outputs
 */
public record ProvisionerConfig(
        Backend backend,
        Map<String, DialectSettings> dialects,
        StagingSettings staging,
        ProcessSettings process,
        KubernetesSettings kubernetes,
        KnativeSettings knative,
        LambdaSettings lambda) {

    public static final String PREFIX = "sluice.engine.";
    public static final String DEFAULT_DIALECT = "default";

    public enum Backend {
        IN_PROCESS("in-process"), PROCESS("process"), KUBERNETES_JOB("kubernetes-job"), KNATIVE("knative"), LAMBDA("lambda");

        private final String key;

        Backend(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        /** True for backends whose engines cannot see this machine's files (they need {@link StagingSettings}). */
        public boolean remote() {
            return this == KUBERNETES_JOB || this == KNATIVE || this == LAMBDA;
        }

        public static Backend parse(String text) {
            for (Backend b : values()) {
                if (b.key.equalsIgnoreCase(text.trim())) return b;
            }
            throw new IllegalArgumentException("unknown engine backend '" + text + "' (use "
                    + String.join(", ", Arrays.stream(values()).map(Backend::key).toList()) + ")");
        }
    }

    /**
     * @param image          OCI image of the engine runner (kubernetes-job, knative)
     * @param defaultVersion the version the process backend starts for this dialect
     * @param versions       process backend: version → JVM class path and options; several run side by side
     * @param lambdaFunction Lambda function name or ARN (lambda)
     */
    public record DialectSettings(String image, String defaultVersion, Map<String, ProcessVersion> versions, String lambdaFunction) {
        public DialectSettings {
            versions = versions == null ? Map.of() : Map.copyOf(versions);
        }
    }

    /** One engine version for the process backend: the child JVM's class path and options (e.g. {@code -Dx=y}). */
    public record ProcessVersion(List<String> classpath, List<String> jvmArgs) {
        public ProcessVersion {
            classpath = List.copyOf(classpath);
            jvmArgs = jvmArgs == null ? List.of() : List.copyOf(jvmArgs);
            if (classpath.isEmpty()) throw new IllegalArgumentException("empty class path");
        }
    }

    /**
     * @param store  where the provisioner stages files, as {@link dev.sluice.storage.ObjectStores#open} reads it; the same
     *               string is given to remote engines as {@code SLUICE_ENGINE_STORE} (credentials are never part of it)
     * @param prefix key prefix of the staging area, "" or ending with '/'
     */
    public record StagingSettings(String store, String prefix) {
        public StagingSettings {
            prefix = prefix == null || prefix.isEmpty() ? "" : prefix.endsWith("/") ? prefix : prefix + "/";
        }
    }

    /** @param javaCommand the {@code java} launcher for child JVMs (default: this JVM's) */
    public record ProcessSettings(String javaCommand, Duration startTimeout, Duration requestTimeout) {}

    /**
     * @param envFromSecret a Secret whose keys become the engine's environment (S3 credentials), or null (e.g. IRSA)
     */
    public record KubernetesSettings(String namespace, String serviceAccount, String cpu, String memory,
                                     int ttlSecondsAfterFinished, Duration timeout, String envFromSecret,
                                     String imagePullPolicy) {}

    /** @param deleteOnClose delete the Services this provisioner created when it is closed */
    public record KnativeSettings(String namespace, String serviceAccount, String cpu, String memory, Duration readyTimeout,
                                  Duration requestTimeout, boolean deleteOnClose, String envFromSecret,
                                  int containerConcurrency) {}

    /** @param endpoint endpoint override (LocalStack, tests), or null for AWS */
    public record LambdaSettings(String region, URI endpoint, Duration timeout) {}

    public ProvisionerConfig {
        Objects.requireNonNull(backend, "backend");
        Map<String, DialectSettings> lower = new TreeMap<>();
        (dialects == null ? Map.<String, DialectSettings>of() : dialects).forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        dialects = Map.copyOf(lower);
        if (process == null) process = new ProcessSettings(null, Duration.ofSeconds(60), Duration.ofMinutes(30));
        if (kubernetes == null) {
            kubernetes = new KubernetesSettings(null, null, "1", "2Gi", 600, Duration.ofMinutes(30), null, null);
        }
        if (knative == null) knative = new KnativeSettings(null, null, "1", "2Gi", Duration.ofMinutes(5), Duration.ofMinutes(15), false, null, 1);
        if (lambda == null) lambda = new LambdaSettings(null, null, Duration.ofMinutes(15));
        if (backend.remote() && (staging == null || staging.store() == null || staging.store().isBlank())) {
            throw new IllegalArgumentException("engine backend " + backend.key() + " needs " + PREFIX + "staging.store "
                    + "(an object store both this node and the engines reach)");
        }
        if (backend == Backend.PROCESS) {
            dialects.forEach((dialect, s) -> {
                if (s.defaultVersion() != null && !s.versions().containsKey(s.defaultVersion())) {
                    throw new IllegalArgumentException(PREFIX + "dialect." + dialect + ".version is " + s.defaultVersion()
                            + " but no " + PREFIX + "dialect." + dialect + ".versions." + s.defaultVersion() + ".classpath is set");
                }
            });
        }
    }

    /** In-process engines only (the default). */
    public static ProvisionerConfig inProcess() {
        return new ProvisionerConfig(Backend.IN_PROCESS, Map.of(), null, null, null, null, null);
    }

    /** The settings for {@code dialect}, else those for {@link #DEFAULT_DIALECT}, else null. */
    public DialectSettings settingsFor(String dialect) {
        DialectSettings s = dialects.get(dialect.toLowerCase(Locale.ROOT));
        return s != null ? s : dialects.get(DEFAULT_DIALECT);
    }

    /** Reads {@code sluice.engine.*} keys; other keys are ignored. */
    public static ProvisionerConfig fromProperties(Properties props) {
        Map<String, String> p = new TreeMap<>();
        for (String name : props.stringPropertyNames()) {
            if (name.startsWith(PREFIX)) p.put(name.substring(PREFIX.length()), props.getProperty(name).trim());
        }
        Map<String, String> used = new LinkedHashMap<>();
        Backend backend = Backend.parse(take(p, used, "backend", "in-process"));

        Map<String, Map<String, String>> byDialect = new TreeMap<>();
        for (String key : p.keySet()) {
            if (key.startsWith("dialect.")) {
                String rest = key.substring("dialect.".length());
                int dot = rest.indexOf('.');
                if (dot <= 0) throw new IllegalArgumentException("malformed key " + PREFIX + key);
                byDialect.computeIfAbsent(rest.substring(0, dot), d -> new TreeMap<>()).put(rest.substring(dot + 1), p.get(key));
                used.put(key, p.get(key));
            }
        }
        Map<String, DialectSettings> dialects = new TreeMap<>();
        byDialect.forEach((dialect, keys) -> dialects.put(dialect, dialect(dialect, keys)));

        StagingSettings staging = new StagingSettings(take(p, used, "staging.store", null), take(p, used, "staging.prefix", "engine-staging/"));
        ProcessSettings process = new ProcessSettings(
                take(p, used, "process.java", null),
                duration(p, used, "process.start-timeout", "60s"),
                duration(p, used, "process.request-timeout", "30m"));
        KubernetesSettings kubernetes = new KubernetesSettings(
                take(p, used, "kubernetes.namespace", null),
                take(p, used, "kubernetes.service-account", null),
                take(p, used, "kubernetes.cpu", "1"),
                take(p, used, "kubernetes.memory", "2Gi"),
                integer(p, used, "kubernetes.ttl-seconds", "600"),
                duration(p, used, "kubernetes.timeout", "30m"),
                take(p, used, "kubernetes.env-from-secret", null),
                take(p, used, "kubernetes.image-pull-policy", null));
        KnativeSettings knative = new KnativeSettings(
                take(p, used, "knative.namespace", null),
                take(p, used, "knative.service-account", null),
                take(p, used, "knative.cpu", "1"),
                take(p, used, "knative.memory", "2Gi"),
                duration(p, used, "knative.ready-timeout", "5m"),
                duration(p, used, "knative.request-timeout", "15m"),
                bool(take(p, used, "knative.delete-on-close", "false"), "knative.delete-on-close"),
                take(p, used, "knative.env-from-secret", null),
                integer(p, used, "knative.container-concurrency", "1"));
        String endpoint = take(p, used, "lambda.endpoint", null);
        LambdaSettings lambda = new LambdaSettings(
                take(p, used, "lambda.region", null),
                endpoint == null ? null : URI.create(endpoint),
                duration(p, used, "lambda.timeout", "15m"));

        List<String> unknown = new ArrayList<>(p.keySet());
        unknown.removeAll(used.keySet());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown engine setting(s): "
                    + String.join(", ", unknown.stream().map(k -> PREFIX + k).toList()));
        }
        return new ProvisionerConfig(backend, dialects, staging, process, kubernetes, knative, lambda);
    }

    private static DialectSettings dialect(String dialect, Map<String, String> keys) {
        Map<String, List<String>> classpaths = new TreeMap<>();
        Map<String, List<String>> jvmArgs = new TreeMap<>();
        String image = null;
        String version = null;
        String function = null;
        for (Map.Entry<String, String> e : keys.entrySet()) {
            String k = e.getKey();
            if (k.equals("image")) {
                image = e.getValue();
            } else if (k.equals("version")) {
                version = e.getValue();
            } else if (k.equals("lambda-function")) {
                function = e.getValue();
            } else if (k.startsWith("versions.") && k.endsWith(".classpath")) {
                String v = k.substring("versions.".length(), k.length() - ".classpath".length());
                classpaths.put(v, List.of(e.getValue().split(java.util.regex.Pattern.quote(File.pathSeparator))));
            } else if (k.startsWith("versions.") && k.endsWith(".jvm-args")) {
                String v = k.substring("versions.".length(), k.length() - ".jvm-args".length());
                jvmArgs.put(v, e.getValue().isBlank() ? List.of() : List.of(e.getValue().split("\\s+")));
            } else {
                throw new IllegalArgumentException("unknown engine setting " + PREFIX + "dialect." + dialect + "." + k);
            }
        }
        for (String v : jvmArgs.keySet()) {
            if (!classpaths.containsKey(v)) {
                throw new IllegalArgumentException(PREFIX + "dialect." + dialect + ".versions." + v + ".jvm-args set without a classpath");
            }
        }
        Map<String, ProcessVersion> versions = new LinkedHashMap<>();
        classpaths.forEach((v, cp) -> versions.put(v, new ProcessVersion(cp, jvmArgs.get(v))));
        if (version == null && versions.size() == 1) version = versions.keySet().iterator().next();
        return new DialectSettings(image, version, versions, function);
    }

    private static String take(Map<String, String> p, Map<String, String> used, String key, String fallback) {
        String value = p.get(key);
        if (value != null) used.put(key, value);
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static int integer(Map<String, String> p, Map<String, String> used, String key, String fallback) {
        String value = take(p, used, key, fallback);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + key + " must be an integer, got '" + value + "'");
        }
    }

    /** {@code 90s}, {@code 5m}, {@code 1h}, {@code 250ms} or ISO-8601 ({@code PT5M}). */
    static Duration duration(Map<String, String> p, Map<String, String> used, String key, String fallback) {
        String value = take(p, used, key, fallback).toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("pt") || value.startsWith("p")) return Duration.parse(value.toUpperCase(Locale.ROOT));
            if (value.endsWith("ms")) return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            if (value.endsWith("s")) return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
            if (value.endsWith("m")) return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
            if (value.endsWith("h")) return Duration.ofHours(Long.parseLong(value.substring(0, value.length() - 1)));
            return Duration.ofSeconds(Long.parseLong(value));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(PREFIX + key + " must be a duration like 90s, 5m or PT5M, got '" + value + "'");
        }
    }

    private static boolean bool(String value, String key) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(PREFIX + key + " must be true or false, got '" + value + "'");
        };
    }
}
