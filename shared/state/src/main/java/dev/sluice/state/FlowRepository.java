package dev.sluice.state;

import dev.sluice.state.items.FlowItem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.Page;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Flows: one item per (dataset, flow type). Access paths: by key, all flows of a dataset (Query), and due flows
 * through the sharded GSI {@code due} (N Queries with {@code dueAt <= now}, O(due) items read). Writes use the
 * version attribute for optimistic locking. The scheduling rules live in shared/flows.
 */
public final class FlowRepository {
    private final StateTables tables;
    private final DynamoDbIndex<FlowItem> due;

    public FlowRepository(StateTables tables) {
        this.tables = tables;
        this.due = tables.flows.index(FlowItem.DUE);
    }

    /** Stable shard of a flow key in 0..shards-1 (CRC32: the same in every process and version). */
    public static int shardOf(String datasetId, String flowType, int shards) {
        return shardOf(datasetId + "/" + flowType, shards);
    }

    /** Stable shard of any key in 0..shards-1 (CRC32), shared by the sharded indexes of flows and tasks. */
    public static int shardOf(String key, int shards) {
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % shards);
    }

    /**
     * Creates or updates a flow (optimistic locking: the item's version must match the stored one, null = must not
     * exist). {@code dueShard} is derived from the key whenever {@code dueAt} is set and removed when it is not.
     */
    public FlowItem save(FlowItem flow) {
        flow.setDueShard(flow.getDueAt() == null ? null : shardOf(flow.getDatasetId(), flow.getFlowType(), tables.dueShards()));
        tables.flows.putItem(flow);
        // the versioning extension writes version+1 but leaves the bean alone: keep the bean equal to what is stored
        flow.setVersion(flow.getVersion() == null ? 1L : flow.getVersion() + 1);
        return flow;
    }

    /**
     * {@link #save} that reports a lost optimistic-locking race as {@code false} instead of throwing (the caller
     * re-reads and decides again). On success the bean's version is the stored one.
     */
    public boolean trySave(FlowItem flow) {
        try {
            save(flow);
            return true;
        } catch (ConditionalCheckFailedException changed) {
            return false;
        }
    }

    /**
     * Bulk load (imports, benchmarks): BatchWriteItem, 25 items per call, unconditional — batch writes take no
     * conditions, so the versioning extension is bypassed and each item's version is written as set (null → 1).
     */
    public void putAll(java.util.Collection<FlowItem> items) {
        List<software.amazon.awssdk.services.dynamodb.model.WriteRequest> batch = new ArrayList<>();
        for (FlowItem f : items) {
            f.setDueShard(f.getDueAt() == null ? null : shardOf(f.getDatasetId(), f.getFlowType(), tables.dueShards()));
            if (f.getVersion() == null) f.setVersion(1L);
            batch.add(software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder()
                    .putRequest(p -> p.item(tables.flows.tableSchema().itemToMap(f, true))).build());
            if (batch.size() == 25) {
                BatchWriter.write(tables.client(), tables.flows.tableName(), batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) BatchWriter.write(tables.client(), tables.flows.tableName(), batch);
    }

    public Optional<FlowItem> get(String datasetId, String flowType) {
        return Optional.ofNullable(tables.flows.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(datasetId).sortValue(flowType).build()).consistentRead(true).build()));
    }

    public List<FlowItem> byDataset(String datasetId) {
        List<FlowItem> out = new ArrayList<>();
        tables.flows.query(QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(datasetId).build()))
                .consistentRead(true).build()).items().forEach(out::add);
        return out;
    }

    /** Flows whose {@code dueAt <= now}, earliest first, at most {@code limit} (one Query per shard, concurrently). */
    public List<FlowItem> due(Instant now, int limit) {
        List<FlowItem> out = ShardFanOut.each(tables.dueShards(), shard -> {
            QueryEnhancedRequest q = QueryEnhancedRequest.builder()
                    .queryConditional(QueryConditional.sortLessThanOrEqualTo(
                            Key.builder().partitionValue(shard).sortValue(now.toEpochMilli()).build()))
                    .limit(limit).build();
            List<FlowItem> part = new ArrayList<>();
            for (Page<FlowItem> page : due.query(q)) {
                part.addAll(page.items());
                if (part.size() >= limit) break;
            }
            return part;
        });
        out.sort(Comparator.comparing(FlowItem::getDueAt));
        return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }

    public void delete(String datasetId, String flowType) {
        tables.flows.deleteItem(Key.builder().partitionValue(datasetId).sortValue(flowType).build());
    }
}
