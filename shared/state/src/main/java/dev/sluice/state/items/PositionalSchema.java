package dev.sluice.state.items;

import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTag;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/**
 * Static table schemas whose attributes an item reads and writes by position ({@link Item}): one getter and one setter
 * class serve every attribute of every table. A getter and a setter method reference per attribute (and the builder
 * lambda around them) are ≈ 330 classes that the JVM spins and links when the seven schemas are first built, ≈ 70 ms
 * of CPU on every cold start that opens the state store. Positions are the order of the {@link Builder#add} calls;
 * {@code StaticSchemasTest} holds every schema to its bean schema, attribute by attribute.
 */
final class PositionalSchema {
    private PositionalSchema() {}

    /** An item's attributes by position (the order its schema adds them in). */
    interface Item {
        Object attribute(int position);

        void attribute(int position, Object value);
    }

    static <T extends Item> Builder<T> builder(Class<T> itemClass, Supplier<T> newItem) {
        return new Builder<>(itemClass, newItem);
    }

    static final class Builder<T extends Item> {
        private final Class<T> itemClass;
        private final StaticTableSchema.Builder<T> schema;
        private int position;

        private Builder(Class<T> itemClass, Supplier<T> newItem) {
            this.itemClass = itemClass;
            this.schema = StaticTableSchema.builder(itemClass).newItemSupplier(newItem);
        }

        <R> Builder<T> add(Class<R> type, String name, StaticAttributeTag... tags) {
            return add(StaticAttribute.builder(itemClass, type), name, tags);
        }

        <R> Builder<T> add(EnhancedType<R> type, String name, StaticAttributeTag... tags) {
            return add(StaticAttribute.builder(itemClass, type), name, tags);
        }

        private <R> Builder<T> add(StaticAttribute.Builder<T, R> attribute, String name, StaticAttributeTag... tags) {
            int p = position++;
            schema.addAttribute(attribute.name(name).getter(new Getter<>(p)).setter(new Setter<>(p)).tags(tags).build());
            return this;
        }

        TableSchema<T> build() {
            return schema.build();
        }
    }

    private record Getter<T extends Item, R>(int position) implements Function<T, R> {
        @Override
        @SuppressWarnings("unchecked")
        public R apply(T item) {
            return (R) item.attribute(position);
        }
    }

    private record Setter<T extends Item, R>(int position) implements BiConsumer<T, R> {
        @Override
        public void accept(T item, R value) {
            item.attribute(position, value);
        }
    }
}
