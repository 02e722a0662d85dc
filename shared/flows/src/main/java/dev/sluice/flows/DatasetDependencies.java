package dev.sluice.flows;

import dev.sluice.state.StateTables;
import dev.sluice.state.items.DatasetItem;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.Key;

/** Which datasets consume a dataset's data: the reactive trigger follows these edges. */
@FunctionalInterface
public interface DatasetDependencies {
    Set<String> downstreamOf(String datasetId);

    /** The downstream edges the dataset index keeps in the {@code datasets} table (one GetItem). */
    static DatasetDependencies fromIndex(StateTables tables) {
        return id -> {
            DatasetItem item = tables.datasets.getItem(Key.builder().partitionValue(id).build());
            return item == null || item.getDownstream() == null ? Set.of() : item.getDownstream();
        };
    }
}
