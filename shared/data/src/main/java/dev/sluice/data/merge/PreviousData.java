package dev.sluice.data.merge;

import dev.sluice.data.SliceReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A dataset's existing rows as merge strategies see them: Arrow batches in offset order, with the system columns
 * ({@code offset}, {@code op}, …) as {@link SliceReader} produces them. Each batch is valid only during the
 * callback; strategies copy what they keep. Batches of different slices may have different (evolved) schemas.
 */
@FunctionalInterface
public interface PreviousData {
    void forEachBatch(BatchConsumer consumer) throws IOException;

    @FunctionalInterface
    interface BatchConsumer {
        void accept(VectorSchemaRoot batch) throws IOException;
    }

    /** A dataset without data yet. */
    static PreviousData none() {
        return c -> {};
    }

    /** Parquet slice files in chain (= offset) order. */
    static PreviousData ofSlices(List<Path> slices) {
        return ofSlices(slices, SliceReader.KAMU_BATCH_SIZE);
    }

    /** Parquet slice files in chain (= offset) order, read {@code batchSize} rows at a time. */
    static PreviousData ofSlices(List<Path> slices, int batchSize) {
        List<Path> files = List.copyOf(slices);
        return c -> {
            for (Path f : files) {
                // Each reader uses (and closes) its own allocator: strategies copy rows out before it goes.
                try (SliceReader r = SliceReader.open(f, null, batchSize)) {
                    while (r.hasNext()) c.accept(r.next());
                }
            }
        };
    }

    /** Batches already in memory (e.g. tests); they stay owned by the caller. */
    static PreviousData ofBatches(Iterable<VectorSchemaRoot> batches) {
        Objects.requireNonNull(batches);
        return c -> {
            for (VectorSchemaRoot b : batches) c.accept(b);
        };
    }
}
