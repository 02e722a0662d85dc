package dev.sluice.data.merge;

import dev.sluice.odf.DatasetVocabulary;
import dev.sluice.odf.MergeStrategy;
import java.io.IOException;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Turns a batch of new data for a root dataset into changelog rows relative to the dataset's existing data
 * (ODF merge strategies). Implementations hold previous state in memory (hash map on the primary key).
 *
 * <pre>{@code
 * MergeStrategyImpl m = MergeStrategyImpl.of(strategy, vocab, allocator);
 * try (MergeResult r = m.merge(PreviousData.ofSlices(sliceFiles), schema, batches)) {
 *     if (!r.isEmpty()) try (SliceWriter w = SliceWriter.open(file, r.schema(),
 *             SliceWriter.options().opColumn().startOffset(next).systemTime(now))) {
 *         r.writeTo(w);
 *         w.finish();
 *     }
 * }
 * }</pre>
 */
public interface MergeStrategyImpl {
    /**
     * Merges {@code newBatches} (all of {@code newSchema}; each batch need only stay valid until the next is
     * requested) into {@code previous}. The result's rows are in final order; its batches come from the
     * allocator given to {@link #of}.
     *
     * @throws MergeException the input is invalid or incompatible with the existing data
     */
    MergeResult merge(PreviousData previous, Schema newSchema, Iterable<VectorSchemaRoot> newBatches) throws IOException;

    /** The implementation of an ODF merge strategy. */
    static MergeStrategyImpl of(MergeStrategy strategy, DatasetVocabulary vocab, BufferAllocator allocator) {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(vocab, "vocab");
        Objects.requireNonNull(allocator, "allocator");
        if (strategy instanceof MergeStrategy.Append) return new AppendMerge(vocab, allocator);
        if (strategy instanceof MergeStrategy.Ledger s) return new LedgerMerge(vocab, allocator, s.primaryKey());
        if (strategy instanceof MergeStrategy.Snapshot s) return new SnapshotMerge(vocab, allocator, s.primaryKey(), s.compareColumns());
        if (strategy instanceof MergeStrategy.ChangelogStream s) return new ChangelogStreamMerge(vocab, allocator, s.primaryKey());
        if (strategy instanceof MergeStrategy.UpsertStream s) return new UpsertStreamMerge(vocab, allocator, s.primaryKey());
        throw new IllegalArgumentException("unknown merge strategy " + strategy);
    }

    static MergeStrategyImpl of(MergeStrategy strategy, BufferAllocator allocator) {
        return of(strategy, DatasetVocabulary.DEFAULT, allocator);
    }

}
