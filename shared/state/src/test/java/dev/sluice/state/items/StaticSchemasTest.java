package dev.sluice.state.items;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.enhanced.dynamodb.KeyAttributeMetadata;
import software.amazon.awssdk.enhanced.dynamodb.TableMetadata;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The hand-written static schemas describe exactly what the bean schemas (introspected from the annotations, as the
 * store used before) describe: the same attributes, converters, keys and indexes, and the same stored item. Test
 * only: the bean schemas (and the reflection below, which fills every attribute) never run in production.
 */
class StaticSchemasTest {
    static Stream<Arguments> items() {
        return Stream.of(
                Arguments.of(AccountItem.class, AccountItem.SCHEMA),
                Arguments.of(BlockItem.class, BlockItem.SCHEMA),
                Arguments.of(DatasetItem.class, DatasetItem.SCHEMA),
                Arguments.of(FlowItem.class, FlowItem.SCHEMA),
                Arguments.of(IdempotencyItem.class, IdempotencyItem.SCHEMA),
                Arguments.of(TaskItem.class, TaskItem.SCHEMA),
                Arguments.of(TokenItem.class, TokenItem.SCHEMA));
    }

    @ParameterizedTest
    @MethodSource("items")
    <T> void describesTheSameAttributesKeysAndIndexes(Class<T> type, TableSchema<T> schema) {
        TableSchema<T> bean = TableSchema.fromBean(type);
        assertEquals(new TreeSet<>(bean.attributeNames()), new TreeSet<>(schema.attributeNames()));
        assertEquals(setters(type).size(), schema.attributeNames().size(), "one attribute per bean property");
        for (String name : bean.attributeNames()) {
            assertEquals(bean.converterForAttribute(name).type(), schema.converterForAttribute(name).type(), name);
            assertEquals(bean.converterForAttribute(name).getClass(), schema.converterForAttribute(name).getClass(), name);
            assertEquals(bean.converterForAttribute(name).attributeValueType(),
                    schema.converterForAttribute(name).attributeValueType(), name);
        }
        TableMetadata b = bean.tableMetadata();
        TableMetadata s = schema.tableMetadata();
        assertEquals(b.primaryPartitionKey(), s.primaryPartitionKey());
        assertEquals(b.primarySortKey(), s.primarySortKey());
        assertEquals(indexes(b), indexes(s));
        assertEquals(keys(b), keys(s));
        assertEquals(b.customMetadata(), s.customMetadata()); // e.g. FlowItem's version attribute
        assertFalse(indexes(s).isEmpty());
    }

    @ParameterizedTest
    @MethodSource("items")
    <T> void storesAndReadsAnItemIdentically(Class<T> type, TableSchema<T> schema) throws Exception {
        TableSchema<T> bean = TableSchema.fromBean(type);
        T item = filled(type);
        Map<String, AttributeValue> stored = schema.itemToMap(item, false);
        assertEquals(bean.itemToMap(item, false), stored);
        assertEquals(new TreeSet<>(schema.attributeNames()), new TreeSet<>(stored.keySet()), "every attribute set");
        // read back by either schema, written again by the other: the same attributes
        assertEquals(stored, bean.itemToMap(schema.mapToItem(stored), false));
        assertEquals(stored, schema.itemToMap(bean.mapToItem(stored), false));
        for (Method getter : getters(type)) {
            Object expected = getter.invoke(item);
            Object read = getter.invoke(schema.mapToItem(stored));
            if (expected instanceof byte[] e) {
                assertTrue(java.util.Arrays.equals(e, (byte[]) read), getter.getName());
            } else {
                assertEquals(expected, read, getter.getName());
            }
        }
        // an empty item: nothing stored with ignoreNulls, explicit NULs otherwise — as before
        T empty = type.getDeclaredConstructor().newInstance();
        assertEquals(Map.of(), schema.itemToMap(empty, true));
        assertEquals(bean.itemToMap(empty, true), schema.itemToMap(empty, true));
        assertEquals(bean.itemToMap(empty, false), schema.itemToMap(empty, false));
        String pk = schema.tableMetadata().primaryPartitionKey();
        assertEquals(bean.itemToMap(item, List.of(pk)), schema.itemToMap(item, List.of(pk)));
    }

    private static Map<String, List<String>> indexes(TableMetadata md) {
        Map<String, List<String>> out = new TreeMap<>();
        md.indices().forEach(i -> out.put(i.name(), List.of(
                i.partitionKey().map(k -> k.name() + ":" + k.attributeValueType()).orElse("-"),
                i.sortKey().map(k -> k.name() + ":" + k.attributeValueType()).orElse("-"))));
        return out;
    }

    private static Set<String> keys(TableMetadata md) {
        Set<String> out = new TreeSet<>();
        for (KeyAttributeMetadata k : md.keyAttributes()) out.add(k.name() + ":" + k.attributeValueType());
        return out;
    }

    private static List<Method> setters(Class<?> type) {
        return Stream.of(type.getMethods())
                .filter(m -> m.getName().startsWith("set") && m.getParameterCount() == 1 && m.getDeclaringClass() == type)
                .toList();
    }

    private static List<Method> getters(Class<?> type) {
        return Stream.of(type.getMethods())
                .filter(m -> m.getName().startsWith("get") && m.getParameterCount() == 0 && m.getDeclaringClass() == type)
                .toList();
    }

    /** Every property set to a distinct non-null value of its type. */
    private static <T> T filled(Class<T> type) throws Exception {
        T item = type.getDeclaredConstructor().newInstance();
        int n = 0;
        for (Method setter : setters(type)) {
            n++;
            Class<?> p = setter.getParameterTypes()[0];
            String name = setter.getName().substring(3);
            Object v;
            if (p == String.class) v = "v-" + name;
            else if (p == Long.class) v = 1_000_000_000_000L + n;
            else if (p == Integer.class) v = n;
            else if (p == Boolean.class) v = n % 2 == 0;
            else if (p == Instant.class) v = Instant.parse("2026-11-25T21:00:00.123456789Z").plusSeconds(n);
            else if (p == byte[].class) v = ("bytes-" + name).getBytes(StandardCharsets.UTF_8);
            else if (p == List.class) v = List.of("b-" + name, "a-" + name);
            else if (p == Set.class) v = Set.of("x-" + name, "y-" + name);
            else if (p == Map.class) v = Map.of("k-" + name, "v-" + name);
            else throw new AssertionError("no sample value for " + p + " of " + setter);
            setter.invoke(item, v);
        }
        return item;
    }
}
