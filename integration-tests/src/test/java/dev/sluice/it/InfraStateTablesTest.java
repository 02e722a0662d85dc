package dev.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.state.SluiceState;
import dev.sluice.state.StateConfig;
import dev.sluice.state.StateTables;
import dev.sluice.state.items.IdempotencyItem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * infra/terraform/dynamodb.tf declares the state tables exactly as {@link StateTables} creates them: the tables are
 * created in embedded dynalite, described, rendered in the Terraform file's own format and compared with its
 * {@code state_tables} block text.
 */
class InfraStateTablesTest {
    @TempDir Path dir;

    @Test
    void terraformTablesMatchWhatStateTablesCreates() throws Exception {
        String tf = Files.readString(Fixtures.repoRoot().resolve("infra/terraform/dynamodb.tf"));
        String declared = tf.substring(tf.indexOf("# BEGIN state tables\n") + 21, tf.indexOf("# END state tables"));
        StringBuilder expected = new StringBuilder("locals {\n  state_tables = {\n");
        try (SluiceState state = SluiceState.open(StateConfig.embedded(dir).withPrefix("tf-"))) {
            List<String> concerns = new ArrayList<>(StateTables.INDEX_TABLES);
            concerns.addAll(StateTables.OPERATIONAL_TABLES);
            for (String concern : concerns) {
                TableDescription t = state.tables().client().describeTable(r -> r.tableName("tf-" + concern)).table();
                expected.append(render(concern, t));
            }
        }
        expected.append("  }\n}\n");
        assertEquals(expected.toString(), declared);
        assertTrue(tf.contains("attribute_name = \"" + IdempotencyItem.TTL_ATTRIBUTE + "\""), "TTL on the idempotency records' expiry");
        assertTrue(tf.contains("billing_mode = \"PAY_PER_REQUEST\"") && tf.contains("projection_type = \"ALL\""));
    }

    private static String render(String concern, TableDescription t) {
        Map<String, String> attributes = new TreeMap<>(t.attributeDefinitions().stream()
                .collect(Collectors.toMap(a -> a.attributeName(), a -> a.attributeTypeAsString())));
        List<String> gsis = new ArrayList<>();
        t.globalSecondaryIndexes().stream().sorted((a, b) -> a.indexName().compareTo(b.indexName())).forEach(g -> {
            assertEquals("ALL", g.projection().projectionTypeAsString(), g.indexName());
            gsis.add("\"" + g.indexName() + "\" = { hash_key = " + key(g.keySchema(), KeyType.HASH) + ", range_key = " + key(g.keySchema(), KeyType.RANGE) + " }");
        });
        Function<Map<String, String>, String> hcl = m -> m.entrySet().stream().map(e -> e.getKey() + " = \"" + e.getValue() + "\"")
                .collect(Collectors.joining(", ", "{ ", " }"));
        return "    " + concern + " = {\n"
                + "      hash_key   = " + key(t.keySchema(), KeyType.HASH) + "\n"
                + "      range_key  = " + key(t.keySchema(), KeyType.RANGE) + "\n"
                + "      attributes = " + hcl.apply(attributes) + "\n"
                + "      gsis       = " + (gsis.isEmpty() ? "{}" : "{ " + String.join(", ", gsis) + " }") + "\n"
                + "    }\n";
    }

    private static String key(List<KeySchemaElement> schema, KeyType type) {
        return schema.stream().filter(k -> k.keyType() == type).map(k -> "\"" + k.attributeName() + "\"").findFirst().orElse("null");
    }
}
