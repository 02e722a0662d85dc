package dev.sluice.data.merge;

import dev.sluice.odf.DatasetVocabulary;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * UpsertStream: each new row inserts-or-updates (op 0 +A or 3 +C, or no op column at all) or deletes (op 1 -R)
 * the row of its key. Only the last row per key in the input counts (intermediate updates collapse). Against
 * the previous state: upsert of a new key → +A; upsert changing an existing key → -C (old) then +C (new);
 * upsert with identical values → nothing; delete of an existing key → -R with the old values; delete of an
 * unknown key → nothing. Output sorted by key, then op.
 */
final class UpsertStreamMerge extends BaseMerge {
    UpsertStreamMerge(DatasetVocabulary vocab, BufferAllocator allocator, List<String> primaryKey) {
        super(vocab, allocator, primaryKey, "UpsertStream");
    }

    @Override
    public MergeResult merge(PreviousData previous, Schema newSchema, Iterable<VectorSchemaRoot> newBatches) throws IOException {
        Input in = new Input(newSchema, true);
        int[] compared = IntStream.range(0, in.data.getFields().size())
                .filter(c -> !pk.contains(in.data.getFields().get(c).getName())).toArray();
        // The input first, then the previous state of its keys only: memory follows the input, not the dataset.
        try (RowTable neu = new RowTable(in.data, allocator);
             ResultBuilder out = new ResultBuilder(in.data, vocab.operationTypeColumn(), allocator)) {
            Map<Key, Integer> last = new LinkedHashMap<>();
            int[][] ops = {new int[1024]}; // op of each row of `neu`
            forEachNew(in, newBatches, (data, op, n, first) -> {
                for (int i = 0; i < n; i++) {
                    long row = first + i;
                    int o = op == null ? Op.APPEND : upsertOp(op.isNull(i) ? null : op.getValueAsLong(i), row);
                    Key k = Key.of(data, in.pkIndex, i, pk, () -> newRow(row));
                    int idx = neu.append(data, i);
                    if (idx == ops[0].length) ops[0] = Arrays.copyOf(ops[0], idx * 2);
                    ops[0][idx] = o;
                    last.put(k, idx);
                }
            });
            neu.seal();
            try (State old = loadState(previous, in, last::containsKey)) {
                return emit(old, neu, last, ops[0], compared, in, out);
            }
        }
    }

    /** Per key, the input's last row against the previous state: +A, -C/+C, -R or nothing. */
    private MergeResult emit(State old, RowTable neu, Map<Key, Integer> last, int[] ops, int[] compared, Input in,
                             ResultBuilder out) {
        ChangeDetector detector = new ChangeDetector(old.rows(), neu, compared, Columns.indexOf(in.data, vocab.eventTimeColumn()));
        Changes changes = new Changes();
        last.forEach((k, n) -> {
            Integer o = old.latest().get(k);
            if (ops[n] == Op.RETRACT) {
                if (o != null) changes.retract(k, o);
            } else if (o == null) {
                changes.append(k, n);
            } else if (detector.changed(o, n)) {
                changes.correct(k, o, n);
            }
        });
        return changes.emit(out, old.rows(), neu);
    }

    /** +A / +C → upsert (returned as +A), -R → delete; -C has no meaning in an upsert stream. */
    private int upsertOp(Long v, long row) {
        if (v != null && (v == Op.APPEND || v == Op.CORRECT_TO)) return Op.APPEND;
        if (v != null && v == Op.RETRACT) return Op.RETRACT;
        throw new MergeException("upsert stream op must be 0 (+A), 3 (+C) or 1 (-R), got " + v + " at " + newRow(row)
                + " (column '" + vocab.operationTypeColumn() + "')");
    }
}
