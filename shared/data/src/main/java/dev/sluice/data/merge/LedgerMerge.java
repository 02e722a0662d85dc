package dev.sluice.data.merge;

import dev.sluice.odf.DatasetVocabulary;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Ledger: new rows whose primary key was never seen — neither in any previous row (whatever its op) nor earlier
 * in the same input (first occurrence wins) — as +A, in input order. Lets overlapping exports be pushed repeatedly.
 */
final class LedgerMerge extends BaseMerge {
    LedgerMerge(DatasetVocabulary vocab, BufferAllocator allocator, List<String> primaryKey) {
        super(vocab, allocator, primaryKey, "Ledger");
    }

    @Override
    public MergeResult merge(PreviousData previous, Schema newSchema, Iterable<VectorSchemaRoot> newBatches) throws IOException {
        Input in = new Input(newSchema, false);
        Set<Key> seen = new HashSet<>();
        forEachPrevious(previous, in, (b, r) -> seen.add(previousKey(b, r)));
        try (ResultBuilder out = new ResultBuilder(in.data, vocab.operationTypeColumn(), allocator)) {
            forEachNew(in, newBatches, (data, op, n, first) -> {
                for (int i = 0; i < n; i++) {
                    long row = first + i;
                    if (seen.add(Key.of(data, in.pkIndex, i, pk, () -> newRow(row)))) out.add(Op.APPEND, data, i);
                }
            });
            return out.finish();
        }
    }
}
