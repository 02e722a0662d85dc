package dev.sluice.flows;

import dev.sluice.state.DynamoClients;
import dev.sluice.state.EmbeddedDynamo;
import dev.sluice.state.StateConfig;
import dev.sluice.state.StateTables;
import dev.sluice.state.items.DatasetItem;
import dev.sluice.state.items.FlowItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Real state for tests: one embedded dynalite per test JVM (stopped at exit), fresh tables per test (unique prefix).
 * {@link #counted()} counts every call (an SDK interceptor, so over the AWS SDK client); the others run over the lean
 * client that functions use.
 */
final class TestState implements AutoCloseable {
    private static EmbeddedDynamo shared;

    final DynamoCalls calls = new DynamoCalls();
    final StateTables tables;
    final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));

    private TestState(int shards, boolean counted) {
        StateConfig cfg = StateConfig.endpoint(dynamo().endpoint(), "us-east-1", "f" + UUID.randomUUID().toString().substring(0, 8) + "-")
                .withDueShards(shards);
        DynamoDbClient client = DynamoClients.build(cfg, counted ? List.of(calls) : List.of());
        tables = new StateTables(client, cfg.tablePrefix(), cfg.describeEndpoint(), cfg.dueShards()).ensureCreated();
        calls.reset();
    }

    static TestState open() {
        return new TestState(StateConfig.DEFAULT_DUE_SHARDS, false);
    }

    static TestState open(int shards) {
        return new TestState(shards, false);
    }

    /** With {@link #calls} counting every DynamoDB call. */
    static TestState counted() {
        return new TestState(StateConfig.DEFAULT_DUE_SHARDS, true);
    }

    static synchronized EmbeddedDynamo dynamo() {
        if (shared == null || !shared.isAlive()) {
            try {
                // under target/, so `mvn clean` removes it; the process stops at JVM exit
                java.nio.file.Path target = java.nio.file.Path.of("target");
                Files.createDirectories(target);
                shared = EmbeddedDynamo.start(Files.createTempDirectory(target.toAbsolutePath(), "dynalite-"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** A dataset item with downstream edges, as the dataset index keeps them. */
    void dataset(String did, Set<String> downstream) {
        DatasetItem d = new DatasetItem();
        d.setPk(did);
        d.setType(DatasetItem.TYPE_DATASET);
        d.setDownstream(downstream.isEmpty() ? null : downstream);
        tables.datasets.putItem(d);
    }

    /** Writes flows with BatchWriteItem (25 per call). */
    void seedFlows(List<FlowItem> flows) {
        new dev.sluice.state.FlowRepository(tables).putAll(flows);
    }

    /** An hourly ingest flow item as {@link FlowService#setConfig} writes it, due at {@code dueAt}. */
    FlowItem intervalFlow(String did, Instant dueAt) {
        return FlowService.newFlowItem(did, FlowType.INGEST, FlowConfig.of(new FlowTrigger.Interval(java.time.Duration.ofHours(1))),
                dueAt, clock.instant());
    }

    @Override
    public void close() {
        tables.client().close();
    }
}
