package dev.sluice.data.merge;

import dev.sluice.odf.DatasetVocabulary;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/** Append: every new row as +A, in input order; previous data is not looked at. */
final class AppendMerge extends BaseMerge {
    AppendMerge(DatasetVocabulary vocab, BufferAllocator allocator) {
        super(vocab, allocator, null, "Append");
    }

    @Override
    public MergeResult merge(PreviousData previous, Schema newSchema, Iterable<VectorSchemaRoot> newBatches) {
        Input in = new Input(newSchema, false);
        try (ResultBuilder out = new ResultBuilder(in.data, vocab.operationTypeColumn(), allocator)) {
            forEachNew(in, newBatches, (data, op, n, first) -> {
                for (int i = 0; i < n; i++) out.add(Op.APPEND, data, i);
            });
            return out.finish();
        }
    }
}
