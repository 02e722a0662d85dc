package dev.sluice.data.merge;

import dev.sluice.odf.DatasetVocabulary;
import java.io.IOException;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Ledger: new rows whose primary key was never seen — neither in any previous row (whatever its op) nor earlier
 * in the same input (first occurrence wins) — as +A, in input order. Lets overlapping exports be pushed repeatedly.
 *
 * <p>Memory follows the new input, not the dataset: the input's first occurrences are kept with their keys (as the
 * output would be anyway), and the previous data streams past them once, striking the keys it has. A dataset of
 * any size costs one read, not a set of all its keys.
 */
final class LedgerMerge extends BaseMerge {
    LedgerMerge(DatasetVocabulary vocab, BufferAllocator allocator, List<String> primaryKey) {
        super(vocab, allocator, primaryKey, "Ledger");
    }

    @Override
    public MergeResult merge(PreviousData previous, Schema newSchema, Iterable<VectorSchemaRoot> newBatches) throws IOException {
        Input in = new Input(newSchema, false);
        Map<Key, Integer> firsts = new HashMap<>(); // key -> index of its first occurrence among the candidates
        MergeResult candidates;
        try (ResultBuilder b = new ResultBuilder(in.data, vocab.operationTypeColumn(), allocator)) {
            forEachNew(in, newBatches, (data, op, n, first) -> {
                for (int i = 0; i < n; i++) {
                    long row = first + i;
                    if (firsts.putIfAbsent(Key.of(data, in.pkIndex, i, pk, () -> newRow(row)), firsts.size()) == null) {
                        b.add(Op.APPEND, data, i);
                    }
                }
            });
            candidates = b.finish();
        }
        try (candidates) {
            BitSet known = new BitSet();
            forEachPrevious(previous, in, (batch, r) -> {
                Integer c = firsts.remove(previousKey(batch, r));
                if (c != null) known.set(c);
            });
            if (known.isEmpty()) return candidates.take();
            try (ResultBuilder out = new ResultBuilder(in.data, vocab.operationTypeColumn(), allocator)) {
                int index = 0;
                for (VectorSchemaRoot batch : candidates.batches()) {
                    List<FieldVector> data = batch.getFieldVectors().subList(1, batch.getFieldVectors().size());
                    for (int i = 0; i < batch.getRowCount(); i++, index++) {
                        if (!known.get(index)) out.add(Op.APPEND, data, i);
                    }
                    batch.close(); // copied: free it now rather than hold the input twice
                }
                return out.finish();
            }
        }
    }
}
