package dev.sluice.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.state.items.TaskItem;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;

/** The table contract on embedded dynalite (always runs), plus dynalite's upgrade path for tables missing new GSIs. */
class EmbeddedStateTablesTest extends StateTablesContract {
    @Override
    StateConfig config() {
        return TestDynamo.embeddedConfig();
    }

    /** A tasks table as an older version created it: only the by-dataset GSI. */
    private static void createOldTasksTable(DynamoDbClient client, String name) {
        client.createTable(r -> r.tableName(name).billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(a -> a.attributeName("taskId").attributeType("S"),
                        a -> a.attributeName("datasetId").attributeType("S"),
                        a -> a.attributeName("createdAt").attributeType("N"))
                .keySchema(k -> k.attributeName("taskId").keyType("HASH"))
                .globalSecondaryIndexes(g -> g.indexName(TaskItem.BY_DATASET)
                        .keySchema(k -> k.attributeName("datasetId").keyType("HASH"), k -> k.attributeName("createdAt").keyType("RANGE"))
                        .projection(p -> p.projectionType("ALL"))));
        client.waiter().waitUntilTableExists(r -> r.tableName(name));
    }

    private static List<String> indexes(DynamoDbClient client, String table) {
        return client.describeTable(r -> r.tableName(table)).table().globalSecondaryIndexes().stream()
                .map(GlobalSecondaryIndexDescription::indexName).sorted().toList();
    }

    @Test
    void anEmptyTableMissingNewIndexesIsRecreated() {
        StateConfig cfg = config();
        DynamoDbClient client = DynamoClients.build(cfg, List.of());
        try {
            String name = cfg.tablePrefix() + StateTables.TASKS;
            createOldTasksTable(client, name);
            new StateTables(client, cfg.tablePrefix(), cfg.describeEndpoint(), cfg.dueShards()).ensureCreated();
            assertEquals(List.of(TaskItem.BY_DATASET, TaskItem.LEASES, TaskItem.QUEUE, TaskItem.RECENT), indexes(client, name));
        } finally {
            client.close();
        }
    }

    @Test
    void aNonEmptyTableMissingNewIndexesIsAClearErrorAndKeepsItsItems() {
        StateConfig cfg = config();
        DynamoDbClient client = DynamoClients.build(cfg, List.of());
        try {
            String name = cfg.tablePrefix() + StateTables.TASKS;
            createOldTasksTable(client, name);
            client.putItem(r -> r.tableName(name).item(java.util.Map.of("taskId", AttributeValue.fromS("old"))));
            var e = assertThrows(StateUnavailableException.class,
                    () -> new StateTables(client, cfg.tablePrefix(), cfg.describeEndpoint(), cfg.dueShards()).ensureCreated());
            assertTrue(e.getMessage().contains(name) && e.getMessage().contains(TaskItem.QUEUE), e.getMessage());
            assertEquals(1, client.scan(r -> r.tableName(name)).count());
        } finally {
            client.close();
        }
    }

    @Test
    void anIdempotencyTableWithoutTheExpiryIndexIsRecreatedEvenWithRecords() {
        StateConfig cfg = config();
        DynamoDbClient client = DynamoClients.build(cfg, List.of());
        try {
            String name = cfg.tablePrefix() + StateTables.IDEMPOTENCY;
            client.createTable(r -> r.tableName(name).billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(a -> a.attributeName("id").attributeType("S"))
                    .keySchema(k -> k.attributeName("id").keyType("HASH")));
            client.waiter().waitUntilTableExists(r -> r.tableName(name));
            client.putItem(r -> r.tableName(name).item(java.util.Map.of("id", AttributeValue.fromS("tick/old"))));
            new StateTables(client, cfg.tablePrefix(), cfg.describeEndpoint(), cfg.dueShards()).ensureCreated();
            assertEquals(List.of(dev.sluice.state.items.IdempotencyItem.EXPIRY), indexes(client, name));
        } finally {
            client.close();
        }
    }
}
