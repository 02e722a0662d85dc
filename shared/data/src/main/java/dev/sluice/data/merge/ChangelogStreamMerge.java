package dev.sluice.data.merge;

import dev.sluice.odf.DatasetVocabulary;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * ChangelogStream: the input already is a changelog (op column). Validated, then passed through in input order:
 * op non-null and 0..3, every -C immediately followed by a +C of the same key and every +C immediately preceded
 * by one. Not checked against previous data (e.g. that a -R matches a live row).
 */
final class ChangelogStreamMerge extends BaseMerge {
    ChangelogStreamMerge(DatasetVocabulary vocab, BufferAllocator allocator, List<String> primaryKey) {
        super(vocab, allocator, primaryKey, "ChangelogStream");
    }

    @Override
    public MergeResult merge(PreviousData previous, Schema newSchema, Iterable<VectorSchemaRoot> newBatches) {
        Input in = new Input(newSchema, true);
        if (in.opIndex < 0) throw new MergeException("changelog stream input needs an op column '" + vocab.operationTypeColumn() + "'");
        try (ResultBuilder out = new ResultBuilder(in.data, vocab.operationTypeColumn(), allocator)) {
            Object[] pending = {null, null}; // key and row of a -C awaiting its +C (may span batches)
            forEachNew(in, newBatches, (data, op, n, first) -> {
                for (int i = 0; i < n; i++) {
                    long row = first + i;
                    Long v = op.isNull(i) ? null : op.getValueAsLong(i);
                    if (v == null || v < 0 || v > 3) {
                        throw new MergeException("op must be 0..3 (+A, -R, -C, +C), got " + v + " at " + newRow(row));
                    }
                    Key k = Key.of(data, in.pkIndex, i, pk, () -> newRow(row));
                    if (pending[0] != null && (v != Op.CORRECT_TO || !pending[0].equals(k))) {
                        throw new MergeException("-C at " + newRow((Long) pending[1]) + " (key " + pending[0]
                                + ") is not immediately followed by its +C");
                    }
                    if (v == Op.CORRECT_TO && pending[0] == null) {
                        throw new MergeException("+C at " + newRow(row) + " (key " + k + ") is not immediately preceded by a -C of the same key");
                    }
                    pending[0] = v == Op.CORRECT_FROM ? k : null;
                    pending[1] = row;
                    out.add(v.intValue(), data, i);
                }
            });
            if (pending[0] != null) {
                throw new MergeException("-C at " + newRow((Long) pending[1]) + " (key " + pending[0] + ") is not followed by its +C");
            }
            return out.finish();
        }
    }
}
