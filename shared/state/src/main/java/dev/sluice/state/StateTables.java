package dev.sluice.state;

import dev.sluice.state.items.AccountItem;
import dev.sluice.state.items.BlockItem;
import dev.sluice.state.items.DatasetItem;
import dev.sluice.state.items.FlowItem;
import dev.sluice.state.items.IdempotencyItem;
import dev.sluice.state.items.TaskItem;
import dev.sluice.state.items.TokenItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.model.CreateTableEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.EnhancedGlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CreateGlobalSecondaryIndexAction;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexUpdate;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The seven operational-state tables (one per concern, names {@code <prefix><concern>}), mapped with the Enhanced
 * Client's static schemas (each item's {@code SCHEMA}, no bean introspection at start-up). {@link #ensureCreated()}
 * is idempotent and safe to race: an existing table is left as is.
 */
public final class StateTables {
    public static final String DATASETS = "datasets";
    public static final String BLOCKS = "blocks";
    public static final String FLOWS = "flows";
    public static final String TASKS = "tasks";
    public static final String ACCOUNTS = "accounts";
    public static final String TOKENS = "tokens";
    public static final String IDEMPOTENCY = "idempotency";
    /** Tables rebuilt from the log by {@link Reindexer}. */
    public static final List<String> INDEX_TABLES = List.of(DATASETS, BLOCKS);
    /** Operational data the log does not hold; a reindex leaves these alone. */
    public static final List<String> OPERATIONAL_TABLES = List.of(FLOWS, TASKS, ACCOUNTS, TOKENS, IDEMPOTENCY);

    private final DynamoDbClient client;
    private final DynamoDbEnhancedClient enhanced;
    private final String prefix;
    private final String endpointDescription;
    private final int dueShards;
    private volatile boolean ttlEnabled;

    public final DynamoDbTable<DatasetItem> datasets;
    public final DynamoDbTable<BlockItem> blocks;
    public final DynamoDbTable<FlowItem> flows;
    public final DynamoDbTable<TaskItem> tasks;
    public final DynamoDbTable<AccountItem> accounts;
    public final DynamoDbTable<TokenItem> tokens;
    public final DynamoDbTable<IdempotencyItem> idempotency;

    public StateTables(DynamoDbClient client, String prefix, String endpointDescription, int dueShards) {
        this.client = client;
        this.enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(client).build();
        this.prefix = prefix;
        this.endpointDescription = endpointDescription;
        this.dueShards = dueShards;
        datasets = enhanced.table(prefix + DATASETS, DatasetItem.SCHEMA);
        blocks = enhanced.table(prefix + BLOCKS, BlockItem.SCHEMA);
        flows = enhanced.table(prefix + FLOWS, FlowItem.SCHEMA);
        tasks = enhanced.table(prefix + TASKS, TaskItem.SCHEMA);
        accounts = enhanced.table(prefix + ACCOUNTS, AccountItem.SCHEMA);
        tokens = enhanced.table(prefix + TOKENS, TokenItem.SCHEMA);
        idempotency = enhanced.table(prefix + IDEMPOTENCY, IdempotencyItem.SCHEMA);
    }

    public DynamoDbClient client() {
        return client;
    }

    public DynamoDbEnhancedClient enhanced() {
        return enhanced;
    }

    public String prefix() {
        return prefix;
    }

    public int dueShards() {
        return dueShards;
    }

    public String endpointDescription() {
        return endpointDescription;
    }

    /** Whether the store accepted UpdateTimeToLive on the idempotency table (dynalite does not; readers check expiry). */
    public boolean ttlEnabled() {
        return ttlEnabled;
    }

    public String tableName(String concern) {
        return prefix + concern;
    }

    /** Creates every missing table (with its GSIs, on-demand billing) and waits until all are ACTIVE. */
    public StateTables ensureCreated() {
        try {
            create(datasets, List.of(DatasetItem.BY_ALIAS));
            create(blocks, List.of());
            create(flows, List.of(FlowItem.DUE));
            create(tasks, List.of(TaskItem.BY_DATASET, TaskItem.RECENT, TaskItem.QUEUE, TaskItem.LEASES));
            create(accounts, List.of(AccountItem.BY_ID));
            create(tokens, List.of(TokenItem.BY_ACCOUNT));
            create(idempotency, List.of(IdempotencyItem.EXPIRY));
            for (DynamoDbTable<?> t : List.of(datasets, blocks, flows, tasks, accounts, tokens, idempotency)) {
                client.waiter().waitUntilTableExists(r -> r.tableName(t.tableName()));
            }
            enableTtl();
        } catch (SdkClientException e) {
            throw new StateUnavailableException("DynamoDB state store at " + endpointDescription + " is unreachable: "
                    + e.getMessage(), e);
        }
        return this;
    }

    private void create(DynamoDbTable<?> table, List<String> gsis) {
        try {
            var existing = client.describeTable(r -> r.tableName(table.tableName())).table();
            addMissingIndexes(table, gsis, existing, table == idempotency);
            return;
        } catch (ResourceNotFoundException missing) {
            // create below
        }
        List<EnhancedGlobalSecondaryIndex> indexes = new ArrayList<>();
        for (String name : gsis) {
            indexes.add(EnhancedGlobalSecondaryIndex.builder().indexName(name)
                    .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build());
        }
        try {
            table.createTable(CreateTableEnhancedRequest.builder().globalSecondaryIndices(indexes).build());
        } catch (ResourceInUseException raced) {
            // another process created it meanwhile
        }
    }

    /**
     * A table created by an older version may lack a GSI added since (e.g. the task queue and lease indexes). DynamoDB
     * adds it online with UpdateTable. dynalite accepts that request but ignores it: there an *empty* table is dropped
     * and re-created (start-up maintenance; one Scan with Limit 1), and a non-empty one is a clear error — except a
     * {@code disposable} one (idempotency records: they only de-duplicate deliveries of the last day, and every
     * delivery they guard is idempotent itself), which is re-created too.
     */
    private void addMissingIndexes(DynamoDbTable<?> table, List<String> gsis, TableDescription existing, boolean disposable) {
        List<String> missing = missingIndexes(gsis, existing);
        if (missing.isEmpty()) return;
        String name = table.tableName();
        var md = table.tableSchema().tableMetadata();
        for (String index : missing) {
            List<AttributeDefinition> defs = new ArrayList<>();
            List<KeySchemaElement> keys = new ArrayList<>();
            String pk = md.indexPartitionKey(index);
            defs.add(attributeDefinition(md, pk));
            keys.add(KeySchemaElement.builder().attributeName(pk).keyType(KeyType.HASH).build());
            md.indexSortKey(index).ifPresent(sk -> {
                defs.add(attributeDefinition(md, sk));
                keys.add(KeySchemaElement.builder().attributeName(sk).keyType(KeyType.RANGE).build());
            });
            try {
                client.updateTable(r -> r.tableName(name).attributeDefinitions(defs).globalSecondaryIndexUpdates(
                        GlobalSecondaryIndexUpdate.builder().create(CreateGlobalSecondaryIndexAction.builder()
                                .indexName(index).keySchema(keys)
                                .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build()).build()));
                awaitIndexes(name, List.of(index));
            } catch (DynamoDbException | IllegalStateException notAdded) {
                // fall through: checked below
            }
        }
        if (missingIndexes(gsis, client.describeTable(r -> r.tableName(name)).table()).isEmpty()) return;
        boolean empty = disposable || client.scan(r -> r.tableName(name).limit(1)).items().isEmpty();
        if (!empty) {
            throw new StateUnavailableException("table " + name + " at " + endpointDescription + " lacks the indexes "
                    + missingIndexes(gsis, client.describeTable(r -> r.tableName(name)).table())
                    + " and the store cannot add them to a table with items: add them (UpdateTable) or remove the table");
        }
        client.deleteTable(r -> r.tableName(name));
        client.waiter().waitUntilTableNotExists(r -> r.tableName(name));
        List<EnhancedGlobalSecondaryIndex> indexes = new ArrayList<>();
        for (String index : gsis) {
            indexes.add(EnhancedGlobalSecondaryIndex.builder().indexName(index)
                    .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build());
        }
        try {
            table.createTable(CreateTableEnhancedRequest.builder().globalSecondaryIndices(indexes).build());
        } catch (ResourceInUseException raced) {
            // another process re-created it meanwhile
        }
    }

    private static List<String> missingIndexes(List<String> gsis, TableDescription d) {
        var present = d.hasGlobalSecondaryIndexes()
                ? d.globalSecondaryIndexes().stream().map(GlobalSecondaryIndexDescription::indexName).toList()
                : List.<String>of();
        return gsis.stream().filter(g -> !present.contains(g)).toList();
    }

    private static AttributeDefinition attributeDefinition(software.amazon.awssdk.enhanced.dynamodb.TableMetadata md, String attr) {
        var type = md.scalarAttributeType(attr).orElseThrow(() -> new IllegalStateException("no scalar type for " + attr));
        return AttributeDefinition.builder().attributeName(attr).attributeType(type.name()).build();
    }

    /** Waits (bounded) until the named indexes exist and are ACTIVE; IllegalStateException if they never appear. */
    private void awaitIndexes(String table, List<String> indexes) {
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(10).toNanos();
        for (int i = 0; System.nanoTime() < deadline; i++) {
            TableDescription d = client.describeTable(r -> r.tableName(table)).table();
            if (!missingIndexes(indexes, d).isEmpty()) {
                if (i > 0) throw new IllegalStateException("index not added"); // the store ignored the request
            } else if (d.globalSecondaryIndexes().stream().filter(g -> indexes.contains(g.indexName()))
                    .allMatch(g -> g.indexStatus() == IndexStatus.ACTIVE)) {
                return;
            }
            try {
                Thread.sleep(Math.min(5000, 100L << Math.min(i, 6))); // polling a remote status, not synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StateUnavailableException("interrupted while adding indexes to " + table, e);
            }
        }
        throw new StateUnavailableException("indexes " + indexes + " of " + table + " did not become ACTIVE");
    }

    private void enableTtl() {
        try {
            var d = client.describeTimeToLive(r -> r.tableName(idempotency.tableName()));
            String status = d.timeToLiveDescription() == null ? null : d.timeToLiveDescription().timeToLiveStatusAsString();
            if ("ENABLED".equals(status) || "ENABLING".equals(status)) {
                ttlEnabled = true;
                return;
            }
            client.updateTimeToLive(r -> r.tableName(idempotency.tableName()).timeToLiveSpecification(
                    TimeToLiveSpecification.builder().attributeName(IdempotencyItem.TTL_ATTRIBUTE).enabled(true).build()));
            ttlEnabled = true;
        } catch (DynamoDbException unsupported) {
            ttlEnabled = false; // e.g. dynalite: UnknownOperationException; expiry is enforced by readers anyway
        }
    }

    /**
     * Deletes every item of one table (Scan + BatchWriteItem). Maintenance only — {@link Reindexer} — never on a
     * request path. Returns the number of items deleted.
     */
    public long wipe(String concern, Consumer<Long> progress) {
        String name = tableName(concern);
        var keySchema = client.describeTable(r -> r.tableName(name)).table().keySchema();
        List<String> keyNames = keySchema.stream().map(k -> k.attributeName()).toList();
        long deleted = 0;
        Map<String, AttributeValue> start = null;
        do {
            ScanRequest.Builder req = ScanRequest.builder().tableName(name).consistentRead(true)
                    .projectionExpression(String.join(", ", keyNames.stream().map(k -> "#" + k).toList()))
                    .expressionAttributeNames(keyNames.stream().collect(java.util.stream.Collectors.toMap(k -> "#" + k, k -> k)));
            if (start != null) req.exclusiveStartKey(start);
            ScanResponse page = client.scan(req.build());
            List<WriteRequest> batch = new ArrayList<>();
            for (Map<String, AttributeValue> item : page.items()) {
                batch.add(WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(item).build()).build());
                if (batch.size() == 25) {
                    deleted += BatchWriter.write(client, name, batch);
                    batch = new ArrayList<>();
                }
            }
            if (!batch.isEmpty()) deleted += BatchWriter.write(client, name, batch);
            if (progress != null) progress.accept(deleted);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return deleted;
    }
}
