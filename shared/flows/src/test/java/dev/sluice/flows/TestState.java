package dev.sluice.flows;

import dev.sluice.state.DynamoClients;
import dev.sluice.state.EmbeddedDynamo;
import dev.sluice.state.FlowRepository;
import dev.sluice.state.StateConfig;
import dev.sluice.state.StateTables;
import dev.sluice.state.items.DatasetItem;
import dev.sluice.state.items.FlowItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Real state for tests: one embedded dynalite per test JVM (stopped at exit), fresh tables per test (unique prefix),
 * every call counted.
 */
final class TestState implements AutoCloseable {
    private static EmbeddedDynamo shared;

    final DynamoCalls calls = new DynamoCalls();
    final StateTables tables;
    final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));

    private TestState(int shards) {
        StateConfig cfg = StateConfig.endpoint(dynamo().endpoint(), "us-east-1", "f" + UUID.randomUUID().toString().substring(0, 8) + "-")
                .withDueShards(shards);
        DynamoDbClient client = DynamoClients.build(cfg, List.of(calls));
        tables = new StateTables(client, cfg.tablePrefix(), cfg.describeEndpoint(), cfg.dueShards()).ensureCreated();
        calls.reset();
    }

    static TestState open() {
        return new TestState(StateConfig.DEFAULT_DUE_SHARDS);
    }

    static TestState open(int shards) {
        return new TestState(shards);
    }

    static synchronized EmbeddedDynamo dynamo() {
        if (shared == null || !shared.isAlive()) {
            try {
                shared = EmbeddedDynamo.start(Files.createTempDirectory("sluice-flows-dynalite-"));
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

    /**
     * Writes flows with BatchWriteItem (25 per call; the versioning extension is bypassed, so versions are set
     * here): interval flows, due at {@code dueAt} or not due.
     */
    void seedIntervalFlows(List<FlowItem> flows) {
        List<WriteRequest> batch = new ArrayList<>();
        for (FlowItem f : flows) {
            Map<String, AttributeValue> item = tables.flows.tableSchema().itemToMap(f, true);
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            if (batch.size() == 25) {
                write(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) write(batch);
    }

    private void write(List<WriteRequest> batch) {
        List<WriteRequest> pending = batch;
        while (!pending.isEmpty()) {
            List<WriteRequest> send = pending;
            var r = tables.client().batchWriteItem(b -> b.requestItems(Map.of(tables.flows.tableName(), send)));
            pending = r.hasUnprocessedItems() ? r.unprocessedItems().getOrDefault(tables.flows.tableName(), List.of()) : List.of();
        }
    }

    /** An interval flow item as {@link FlowService#setConfig} writes it, due at {@code dueAt} (null: scheduled later). */
    FlowItem intervalFlow(String did, long everySeconds, Long dueAt, long notDueUntil) {
        FlowItem f = new FlowItem();
        f.setDatasetId(did);
        f.setFlowType(FlowType.INGEST.name());
        f.setFlowId(UUID.randomUUID().toString());
        f.setStatus(FlowStatus.WAITING.name());
        f.setEnabled(true);
        f.setConsecutiveFailures(0);
        f.setTriggerKind(FlowItems.INTERVAL);
        f.setPeriodSeconds(everySeconds);
        f.setPriority(0);
        f.setDueAt(dueAt != null ? dueAt : notDueUntil);
        f.setDueShard(FlowRepository.shardOf(did, f.getFlowType(), tables.dueShards()));
        f.setCreatedAt(clock.instant());
        f.setVersion(1L);
        return f;
    }

    @Override
    public void close() {
        tables.client().close();
    }
}
