package dev.sluice.data.merge;

import dev.sluice.odf.DatasetVocabulary;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Snapshot: the new input is the complete current state. Diffs it against the state the previous changelog
 * describes (per key the latest row by offset, unless retracted), a full outer join on the primary key:
 * new-only → +A; old-only → -R with the old values; changed → -C with the old values then +C with the new.
 * Changed = any compared column (compareColumns, or all non-key columns) IS DISTINCT FROM; a null event time
 * in the new row is not a change. Output sorted by key, then op. Keys must be unique in the input.
 */
final class SnapshotMerge extends BaseMerge {
    private final List<String> compareColumns; // null: all non-key columns

    SnapshotMerge(DatasetVocabulary vocab, BufferAllocator allocator, List<String> primaryKey, List<String> compareColumns) {
        super(vocab, allocator, primaryKey, "Snapshot");
        this.compareColumns = compareColumns == null || compareColumns.isEmpty() ? null : List.copyOf(compareColumns);
    }

    @Override
    public MergeResult merge(PreviousData previous, Schema newSchema, Iterable<VectorSchemaRoot> newBatches) throws IOException {
        Input in = new Input(newSchema, false);
        int[] compared = compareColumns != null
                ? Columns.require(in.data, compareColumns, "compare", "the new data")
                : IntStream.range(0, in.data.getFields().size())
                        .filter(c -> !pk.contains(in.data.getFields().get(c).getName())).toArray();
        try (State old = loadState(previous, in);
             RowTable neu = new RowTable(in.data, allocator);
             ResultBuilder out = new ResultBuilder(in.data, vocab.operationTypeColumn(), allocator)) {
            Map<Key, Integer> newKeys = new HashMap<>();
            forEachNew(in, newBatches, (data, op, n, first) -> {
                for (int i = 0; i < n; i++) {
                    long row = first + i;
                    Key k = Key.of(data, in.pkIndex, i, pk, () -> newRow(row));
                    Integer dup = newKeys.putIfAbsent(k, neu.rowCount());
                    if (dup != null) {
                        throw new MergeException("duplicate primary key " + k + " in snapshot: rows " + dup + " and " + row + " of the new data");
                    }
                    neu.append(data, i);
                }
            });
            neu.seal();
            ChangeDetector detector = new ChangeDetector(old.rows(), neu, compared, Columns.indexOf(in.data, vocab.eventTimeColumn()));
            Changes changes = new Changes();
            newKeys.forEach((k, n) -> {
                Integer o = old.latest().get(k);
                if (o == null) changes.append(k, n);
                else if (detector.changed(o, n)) changes.correct(k, o, n);
            });
            old.latest().forEach((k, o) -> {
                if (!newKeys.containsKey(k)) changes.retract(k, o);
            });
            return changes.emit(out, old.rows(), neu);
        }
    }
}
