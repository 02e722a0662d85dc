package dev.sluice.state;

import dev.sluice.state.items.TaskItem;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.Page;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Tasks: by id; a dataset's tasks newest first (GSI {@code by-dataset}); the node's recent tasks (GSI {@code recent},
 * one partition per UTC day); the dispatch queue (sharded GSI {@code queue}, highest priority then oldest first) and
 * the tasks handed to workers (sharded GSI {@code leases}, by lease expiry). Queue and lease queries cost N Queries
 * (N = the deployment's shard count) plus the items they return — never a Scan.
 */
public final class TaskRepository {
    /** Priorities are 0..{@value #MAX_PRIORITY}, higher runs first. */
    public static final int MAX_PRIORITY = 999;

    private final StateTables tables;
    private final DynamoDbIndex<TaskItem> queue;
    private final DynamoDbIndex<TaskItem> leases;

    public TaskRepository(StateTables tables) {
        this.tables = tables;
        this.queue = tables.tasks.index(TaskItem.QUEUE);
        this.leases = tables.tasks.index(TaskItem.LEASES);
    }

    public int shards() {
        return tables.dueShards();
    }

    /** The shard of a task in the queue and lease indexes. */
    public int shardOf(String taskId) {
        return FlowRepository.shardOf(taskId, tables.dueShards());
    }

    /**
     * Sort key of the queue index: inverted priority, then a time (when the work became due), then id, so ascending
     * order is "highest priority first, then oldest first" and keys are unique.
     */
    public static String queueKey(int priority, long sinceMs, String taskId) {
        if (priority < 0 || priority > MAX_PRIORITY) throw new IllegalArgumentException("priority must be 0.." + MAX_PRIORITY);
        return String.format("%03d#%013d#%s", MAX_PRIORITY - priority, sinceMs, taskId);
    }

    /** The UTC day partition of the {@code recent} index. */
    public static String dayOf(long epochMs) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(epochMs), ZoneOffset.UTC).toString();
    }

    /** Inserts a new task; false if the id exists already (a redelivered create is harmless). */
    public boolean create(TaskItem task) {
        if (task.getCreatedAt() != null && task.getCreatedDay() == null) task.setCreatedDay(dayOf(task.getCreatedAt()));
        return put(task, Expression.builder().expression("attribute_not_exists(taskId)").build());
    }

    /** Replaces a task only if its status is still {@code expectedStatus} (e.g. QUEUED → RUNNING by one worker). */
    public boolean update(TaskItem task, String expectedStatus) {
        return put(task, Expression.builder().expression("#s = :expected")
                .expressionNames(Map.of("#s", "status"))
                .expressionValues(Map.of(":expected", IdempotencyStore.str(expectedStatus))).build());
    }

    /**
     * Replaces a task only if it is still {@code expectedStatus} and its lease field {@code leaseOwner} and
     * {@code leaseUntil} still hold the given values (null = absent): the write of a lease holder, or the re-queue of
     * exactly the expired lease that was read.
     */
    public boolean updateLeased(TaskItem task, String expectedStatus, String expectedOwner, Long expectedLeaseUntil) {
        StringBuilder cond = new StringBuilder("#s = :expected");
        var values = new java.util.HashMap<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>();
        values.put(":expected", IdempotencyStore.str(expectedStatus));
        if (expectedOwner == null) {
            cond.append(" AND attribute_not_exists(leaseOwner)");
        } else {
            cond.append(" AND leaseOwner = :owner");
            values.put(":owner", IdempotencyStore.str(expectedOwner));
        }
        if (expectedLeaseUntil == null) {
            cond.append(" AND attribute_not_exists(leaseUntil)");
        } else {
            cond.append(" AND leaseUntil = :until");
            values.put(":until", IdempotencyStore.num(expectedLeaseUntil));
        }
        return put(task, Expression.builder().expression(cond.toString()).expressionNames(Map.of("#s", "status"))
                .expressionValues(values).build());
    }

    private boolean put(TaskItem task, Expression condition) {
        try {
            tables.tasks.putItem(PutItemEnhancedRequest.builder(TaskItem.class).item(task).conditionExpression(condition).build());
            return true;
        } catch (ConditionalCheckFailedException changed) {
            return false;
        }
    }

    public Optional<TaskItem> get(String taskId) {
        return Optional.ofNullable(tables.tasks.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(taskId).build()).consistentRead(true).build()));
    }

    /** The newest {@code limit} tasks of a dataset, newest first (one Query page for small limits). */
    public List<TaskItem> byDataset(String datasetId, int limit) {
        return newest(tables.tasks.index(TaskItem.BY_DATASET), datasetId, limit);
    }

    /**
     * The node's newest {@code limit} tasks created up to {@code now}, newest first, looking back at most
     * {@code days} UTC days (one Query per day visited).
     */
    public List<TaskItem> recent(Instant now, int limit, int days) {
        List<TaskItem> out = new ArrayList<>();
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        for (int i = 0; i < days && out.size() < limit; i++, day = day.minusDays(1)) {
            out.addAll(newest(tables.tasks.index(TaskItem.RECENT), day.toString(), limit - out.size()));
        }
        return out;
    }

    private static List<TaskItem> newest(DynamoDbIndex<TaskItem> index, String partition, int limit) {
        List<TaskItem> out = new ArrayList<>();
        if (limit <= 0) return out;
        QueryEnhancedRequest q = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(partition).build()))
                .scanIndexForward(false).limit(limit).build();
        for (Page<TaskItem> page : index.query(q)) {
            for (TaskItem t : page.items()) {
                if (out.size() == limit) return out;
                out.add(t);
            }
            if (out.size() == limit) return out;
        }
        return out;
    }

    /**
     * The head of the dispatch queue: at most {@code limit} queued tasks, highest priority first, then oldest (one
     * Query per shard, each reading at most {@code limit} items).
     */
    public List<TaskItem> queued(int limit) {
        if (limit <= 0) return new ArrayList<>();
        List<TaskItem> out = ShardFanOut.each(shards(), shard -> {
            QueryEnhancedRequest q = QueryEnhancedRequest.builder()
                    .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(shard).build()))
                    .limit(limit).build();
            List<TaskItem> part = new ArrayList<>();
            for (Page<TaskItem> page : queue.query(q)) {
                for (TaskItem t : page.items()) {
                    if (part.size() == limit) break;
                    part.add(t);
                }
                if (part.size() >= limit) break;
            }
            return part;
        });
        out.sort(Comparator.comparing(TaskItem::getQueueKey));
        return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }

    /** Every task holding a lease (dispatched or running), earliest expiry first: N Queries, O(work in flight). */
    public List<TaskItem> leased() {
        List<TaskItem> out = ShardFanOut.each(shards(), shard -> {
            QueryEnhancedRequest q = QueryEnhancedRequest.builder()
                    .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(shard).build())).build();
            List<TaskItem> part = new ArrayList<>();
            for (Page<TaskItem> page : leases.query(q)) part.addAll(page.items());
            return part;
        });
        out.sort(Comparator.comparing(TaskItem::getLeaseUntil));
        return out;
    }
}
