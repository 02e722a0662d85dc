package dev.sluice.state;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the operational-state tables live.
 *
 * <ul>
 *   <li>{@link #aws}: real DynamoDB, endpoint and credentials from the AWS default chain;
 *   <li>{@link #endpoint}: any DynamoDB-compatible endpoint (LocalStack, ScyllaDB Alternator, dynalite …), with
 *       static dummy credentials when the host is local;
 *   <li>{@link #embedded}: the default — dynalite started by Sluice, persisted under {@code dataDir}.
 * </ul>
 *
 * @param endpoint endpoint override, or null for the AWS default (ignored in embedded mode)
 * @param region signing region (any value works for local endpoints)
 * @param tablePrefix prepended to every table name, e.g. {@code sluice-prod-}
 * @param embeddedDir data folder of the embedded store, or null when not embedded
 * @param dueShards number of shards of the flows due-time index (fixed per deployment: changing it needs a reindex
 *     of the flows table)
 */
public record StateConfig(URI endpoint, String region, String tablePrefix, Path embeddedDir, int dueShards) {
    public static final String DEFAULT_PREFIX = "sluice-";
    public static final int DEFAULT_DUE_SHARDS = 8;

    public StateConfig {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(tablePrefix, "tablePrefix");
        if (!tablePrefix.matches("[a-zA-Z0-9_.-]*")) throw new IllegalArgumentException("bad table prefix: " + tablePrefix);
        if (dueShards < 1 || dueShards > 1024) throw new IllegalArgumentException("dueShards must be 1..1024");
    }

    public static StateConfig aws(String region, String tablePrefix) {
        return new StateConfig(null, region, tablePrefix, null, DEFAULT_DUE_SHARDS);
    }

    public static StateConfig endpoint(URI endpoint, String region, String tablePrefix) {
        return new StateConfig(Objects.requireNonNull(endpoint), region, tablePrefix, null, DEFAULT_DUE_SHARDS);
    }

    /** Embedded dynalite persisted in {@code dataDir} (e.g. {@code <workspace>/.sluice/state}). */
    public static StateConfig embedded(Path dataDir) {
        return new StateConfig(null, "us-east-1", DEFAULT_PREFIX, Objects.requireNonNull(dataDir), DEFAULT_DUE_SHARDS);
    }

    public boolean isEmbedded() {
        return embeddedDir != null;
    }

    public StateConfig withPrefix(String prefix) {
        return new StateConfig(endpoint, region, prefix, embeddedDir, dueShards);
    }

    public StateConfig withDueShards(int shards) {
        return new StateConfig(endpoint, region, tablePrefix, embeddedDir, shards);
    }

    public StateConfig withEndpoint(URI uri) {
        return new StateConfig(uri, region, tablePrefix, embeddedDir, dueShards);
    }

    /** True when the endpoint is on this machine (loopback or localhost): static dummy credentials are used. */
    public boolean isLocalEndpoint() {
        if (endpoint == null) return false;
        String host = endpoint.getHost();
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")
                || host.equals("::1") || host.endsWith(".localhost"));
    }

    /**
     * Static dummy credentials are used for any endpoint override that is not an AWS host (dynalite, LocalStack,
     * other DynamoDB-compatible stores on test hosts); real AWS endpoints use the default credential chain.
     */
    public boolean usesDummyCredentials() {
        if (endpoint == null) return false;
        String host = endpoint.getHost();
        return isLocalEndpoint() || host == null || !host.endsWith(".amazonaws.com");
    }

    /** Human-readable description of the endpoint for error messages. */
    public String describeEndpoint() {
        return endpoint != null ? endpoint.toString() : "AWS DynamoDB (" + region + ")";
    }
}
