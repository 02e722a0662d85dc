package dev.sluice.engine;

import java.util.Optional;

/**
 * Finds or starts an engine for a dialect. Backends (in-process, a JVM process per engine version, a Kubernetes Job, a
 * Knative Service, an AWS Lambda function) are chosen by configuration; callers see only {@link Engine}.
 */
public interface EngineProvisioner extends AutoCloseable {
    /** An engine that runs SQL of {@code dialect} (e.g. {@code duckdb}, {@code datafusion}), or empty if none can. */
    Optional<Engine> engineFor(String dialect);

    @Override
    default void close() {}
}
