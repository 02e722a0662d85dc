package dev.sluice.state.dynamo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.state.DynamoClients;
import dev.sluice.state.EmbeddedDynamo;
import dev.sluice.state.StateConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/**
 * Every operation Sluice uses, driven through the lean client and the AWS SDK client against the same dynalite (each
 * on its own table, same items): results, unprocessed items, errors (type, status, code, message, returned items,
 * cancellation reasons) must be equal.
 */
class LeanVersusSdkClientTest {
    @TempDir
    static Path dir;
    static EmbeddedDynamo dynamo;
    static DynamoDbClient lean;
    static DynamoDbClient sdk;
    static String prefix;

    @BeforeAll
    static void start() {
        dynamo = EmbeddedDynamo.start(dir.resolve("dynalite"));
        StateConfig cfg = StateConfig.endpoint(dynamo.endpoint(), "us-east-1", "");
        lean = DynamoClients.build(cfg, List.of());
        sdk = DynamoClients.build(cfg, List.of(new ExecutionInterceptor() {})); // an interceptor selects the SDK client
        assertInstanceOf(LeanDynamoDbClient.class, lean);
        assertTrue(!(sdk instanceof LeanDynamoDbClient));
        prefix = "eq" + UUID.randomUUID().toString().substring(0, 6) + "-";
    }

    @AfterAll
    static void stop() {
        if (lean != null) lean.close();
        if (sdk != null) sdk.close();
        if (dynamo != null) dynamo.close();
    }

    /** A value or the failure's observable parts. */
    record Outcome(Object value, String type, Integer status, String code, String message, Object detail) {}

    static Outcome outcome(DynamoDbClient client, Function<DynamoDbClient, Object> call) {
        try {
            return new Outcome(call.apply(client), null, null, null, null, null);
        } catch (DynamoDbException e) {
            Object detail = e instanceof ConditionalCheckFailedException c ? c.item()
                    : e instanceof TransactionCanceledException t ? t.cancellationReasons() : null;
            return new Outcome(null, e.getClass().getName(), e.statusCode(), e.awsErrorDetails().errorCode(),
                    e.awsErrorDetails().errorMessage(), detail);
        }
    }

    /** Runs {@code call} with table name {@code prefix+sdk|lean+suffix} on each client; asserts equal outcomes. */
    static Outcome same(String what, java.util.function.BiFunction<DynamoDbClient, String, Object> call) {
        Outcome viaSdk = tableless(outcome(sdk, c -> call.apply(c, prefix + "sdk")), prefix + "sdk");
        Outcome viaLean = tableless(outcome(lean, c -> call.apply(c, prefix + "lean")), prefix + "lean");
        assertEquals(viaSdk, viaLean, what);
        return viaLean;
    }

    /** Error messages name the table: each client has its own. */
    static Outcome tableless(Outcome o, String table) {
        return o.message() == null ? o : new Outcome(o.value(), o.type(), o.status(), o.code(),
                o.message().replace(table, "<table>"), o.detail());
    }

    static Map<String, AttributeValue> item(String id, int n) {
        return Map.of("id", AttributeValue.fromS(id), "n", AttributeValue.fromN(Integer.toString(n)),
                "g", AttributeValue.fromS("group"));
    }

    /** Every AttributeValue member, nested and empty containers included. */
    static Map<String, AttributeValue> everyMember(String id) {
        Map<String, AttributeValue> nested = Map.of("s", AttributeValue.fromS("x"), "l", AttributeValue.fromL(List.of()),
                "m", AttributeValue.fromM(Map.of()), "deep", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of(
                        "b", AttributeValue.fromB(SdkBytes.fromUtf8String("ü")), "null", AttributeValue.fromNul(true))))));
        Map<String, AttributeValue> m = new java.util.HashMap<>(item(id, 1));
        m.put("s", AttributeValue.fromS("héllo \"quoted\" \n\u2028"));
        m.put("num", AttributeValue.fromN("-12.5"));
        m.put("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, 1, 2, (byte) 255})));
        m.put("ss", AttributeValue.fromSs(List.of("a", "b")));
        m.put("ns", AttributeValue.fromNs(List.of("1", "2.5")));
        m.put("bs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("p"), SdkBytes.fromUtf8String("q"))));
        m.put("map", AttributeValue.fromM(nested));
        m.put("list", AttributeValue.fromL(List.of(AttributeValue.fromS("a"), AttributeValue.fromN("1"),
                AttributeValue.fromBool(false), AttributeValue.fromL(List.of()))));
        m.put("emptyL", AttributeValue.fromL(List.of()));
        m.put("emptyM", AttributeValue.fromM(Map.of()));
        m.put("nul", AttributeValue.fromNul(true));
        m.put("yes", AttributeValue.fromBool(true));
        return m;
    }

    @Test
    void everyOperationGivesTheSameResultsAndErrors() {
        // tables
        same("create", (c, t) -> c.createTable(r -> r.tableName(t)
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("n").keyType(KeyType.RANGE).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("n").attributeType(ScalarAttributeType.N).build(),
                        AttributeDefinition.builder().attributeName("g").attributeType(ScalarAttributeType.S).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("byG")
                        .keySchema(KeySchemaElement.builder().attributeName("g").keyType(KeyType.HASH).build())
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)).tableDescription().keySchema());
        lean.waiter().waitUntilTableExists(r -> r.tableName(prefix + "lean"));
        same("create again", (c, t) -> c.createTable(r -> r.tableName(t)
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)));
        Outcome described = same("describe", (c, t) -> {
            TableDescription d = c.describeTable(r -> r.tableName(t)).table();
            return List.of(d.keySchema(), d.attributeDefinitions(), d.tableStatus(), d.itemCount(),
                    d.globalSecondaryIndexes().stream().map(g -> g.indexName() + g.keySchema() + g.projection()).toList(),
                    d.billingModeSummary() == null ? "" : d.billingModeSummary().billingMode(), d.creationDateTime() != null);
        });
        assertEquals(TableStatus.ACTIVE, ((List<?>) described.value()).get(2));
        same("describe missing", (c, t) -> c.describeTable(r -> r.tableName(t + "-missing")));
        same("list", (c, t) -> c.listTables().tableNames().stream().filter(n -> n.startsWith(prefix)).toList());
        same("list paginated", (c, t) -> {
            List<String> names = new ArrayList<>();
            c.listTablesPaginator(r -> r.limit(1)).tableNames().forEach(n -> {
                if (n.startsWith(prefix)) names.add(n);
            });
            return names;
        });
        same("describe ttl", (c, t) -> c.describeTimeToLive(r -> r.tableName(t)).timeToLiveDescription());
        same("update ttl", (c, t) -> c.updateTimeToLive(r -> r.tableName(t).timeToLiveSpecification(
                TimeToLiveSpecification.builder().attributeName("exp").enabled(true).build())).timeToLiveSpecification());
        same("update table", (c, t) -> c.updateTable(r -> r.tableName(t).billingMode(BillingMode.PAY_PER_REQUEST))
                .tableDescription().keySchema());

        // items: every AttributeValue member round-trips
        Map<String, AttributeValue> all = everyMember("all");
        same("put", (c, t) -> c.putItem(r -> r.tableName(t).item(all).returnValues(ReturnValue.ALL_OLD)).attributes());
        Outcome got = same("get", (c, t) -> c.getItem(r -> r.tableName(t).key(key("all", 1)).consistentRead(true)).item());
        assertEquals(all, got.value());
        same("get missing", (c, t) -> c.getItem(r -> r.tableName(t).key(key("none", 1))).hasItem());
        same("put replacing", (c, t) -> c.putItem(r -> r.tableName(t).item(item("all", 1)).returnValues(ReturnValue.ALL_OLD)).attributes());
        same("conditional put fails", (c, t) -> c.putItem(r -> r.tableName(t).item(item("all", 1))
                .conditionExpression("attribute_not_exists(id)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        same("update", (c, t) -> c.updateItem(r -> r.tableName(t).key(key("all", 1))
                .updateExpression("SET #v = :v, #l = :l ADD #c :one").expressionAttributeNames(Map.of("#v", "v", "#l", "l", "#c", "c"))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromS("new"), ":l", AttributeValue.fromL(List.of()),
                        ":one", AttributeValue.fromN("1")))
                .returnValues(ReturnValue.ALL_NEW)).attributes());
        same("update with failing condition", (c, t) -> c.updateItem(r -> r.tableName(t).key(key("all", 1))
                .updateExpression("SET v = :v").conditionExpression("v = :other")
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromS("x"), ":other", AttributeValue.fromS("y")))));
        same("bad request", (c, t) -> c.putItem(r -> r.tableName(t).item(Map.of("id", AttributeValue.fromN("1")))));
        same("missing table", (c, t) -> c.getItem(r -> r.tableName(t + "-missing").key(key("a", 1))));

        // batches
        same("batch write", (c, t) -> {
            List<WriteRequest> puts = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                Map<String, AttributeValue> it = item("b", i);
                puts.add(WriteRequest.builder().putRequest(p -> p.item(it)).build());
            }
            puts.add(WriteRequest.builder().deleteRequest(d -> d.key(key("all", 1))).build());
            return c.batchWriteItem(r -> r.requestItems(Map.of(t, puts))).unprocessedItems();
        });
        same("batch get", (c, t) -> {
            List<Map<String, AttributeValue>> keys = List.of(key("b", 0), key("b", 5), key("none", 0));
            BatchGetItemResponse r = c.batchGetItem(b -> b.requestItems(Map.of(t, KeysAndAttributes.builder().keys(keys)
                    .consistentRead(true).build())));
            List<Map<String, AttributeValue>> items = new ArrayList<>(r.responses().get(t));
            items.sort(java.util.Comparator.comparing(m -> m.get("n").n()));
            return List.of(items, r.unprocessedKeys());
        });

        // reads
        same("query page", (c, t) -> {
            QueryResponse r = c.query(q -> q.tableName(t).keyConditionExpression("id = :id")
                    .expressionAttributeValues(Map.of(":id", AttributeValue.fromS("b"))).limit(5).scanIndexForward(false));
            return List.of(r.items(), r.count(), r.lastEvaluatedKey(), r.hasLastEvaluatedKey());
        });
        same("query paginator", (c, t) -> c.queryPaginator(q -> q.tableName(t).keyConditionExpression("id = :id")
                .expressionAttributeValues(Map.of(":id", AttributeValue.fromS("b"))).limit(5)).items().stream().toList());
        same("query index", (c, t) -> c.query(q -> q.tableName(t).indexName("byG").keyConditionExpression("g = :g")
                .expressionAttributeValues(Map.of(":g", AttributeValue.fromS("group")))).count());
        same("scan paginator", (c, t) -> c.scanPaginator(s -> s.tableName(t).limit(4).consistentRead(true)).items()
                .stream().map(m -> m.get("n").n()).sorted().toList());
        same("scan", (c, t) -> c.scan(s -> s.tableName(t).filterExpression("n > :n")
                .expressionAttributeValues(Map.of(":n", AttributeValue.fromN("9")))).count());

        // transactions
        same("transact write", (c, t) -> c.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(t).item(item("tx", 1))).build(),
                TransactWriteItem.builder().update(u -> u.tableName(t).key(key("b", 1)).updateExpression("SET z = :z")
                        .expressionAttributeValues(Map.of(":z", AttributeValue.fromBool(true)))).build())).hasConsumedCapacity());
        // dynalite has no transactions (both clients see its UnknownOperationException); cancellation reasons as DynamoDB
        // sends them are compared in LeanDynamoDbClientHttpTest
        same("transact write cancelled", (c, t) -> c.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(t).item(item("tx", 2))).build(),
                TransactWriteItem.builder().conditionCheck(k -> k.tableName(t).key(key("tx", 1))
                        .conditionExpression("attribute_not_exists(id)")
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build())));
        same("transact get", (c, t) -> c.transactGetItems(r -> r.transactItems(
                TransactGetItem.builder().get(g -> g.tableName(t).key(key("tx", 1))).build(),
                TransactGetItem.builder().get(g -> g.tableName(t).key(key("b", 1))).build())).responses());
        same("delete", (c, t) -> c.deleteItem(r -> r.tableName(t).key(key("tx", 1)).returnValues(ReturnValue.ALL_OLD)).attributes());

        same("delete table", (c, t) -> c.deleteTable(r -> r.tableName(t)).tableDescription().keySchema());
        awaitGone(lean, prefix + "lean");
        awaitGone(sdk, prefix + "sdk");
        same("delete table again", (c, t) -> c.deleteTable(r -> r.tableName(t)));
    }

    @Test
    void unionsCarryExactlyTheMemberThatIsSet() {
        PutItemRequest r = PutItemRequest.builder().tableName("t").item(Map.of(
                "l", AttributeValue.fromL(List.of()), "m", AttributeValue.fromM(Map.of()), "s", AttributeValue.fromS("x"),
                "b", AttributeValue.fromB(SdkBytes.fromUtf8String("hi")))).build();
        String json = new String(AwsJsonCodec.write(r), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"l\":{\"L\":[]}"), json);
        assertTrue(json.contains("\"m\":{\"M\":{}}"), json);
        assertTrue(json.contains("\"s\":{\"S\":\"x\"}"), json);
        assertTrue(json.contains("\"b\":{\"B\":\"aGk=\"}"), json);
        assertTrue(!json.contains("Expected") && !json.contains("ConditionalOperator"), json); // unset members are absent
        PutItemRequest back = AwsJsonCodec.read(AwsJsonCodec.write(r), PutItemRequest::builder);
        assertEquals(r.item(), back.item());
        assertEquals(AttributeValue.Type.L, back.item().get("l").type());
        assertEquals(AttributeValue.Type.M, back.item().get("m").type());
    }

    /** Polls the table's status (a remote state, not a synchronisation) until it is gone, with a deadline. */
    static void awaitGone(DynamoDbClient c, String table) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                c.describeTable(r -> r.tableName(table));
            } catch (ResourceNotFoundException gone) {
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
        throw new AssertionError(table + " still exists");
    }

    static Map<String, AttributeValue> key(String id, int n) {
        return Map.of("id", AttributeValue.fromS(id), "n", AttributeValue.fromN(Integer.toString(n)));
    }
}
