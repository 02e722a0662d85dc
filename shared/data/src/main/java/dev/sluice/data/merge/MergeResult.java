package dev.sluice.data.merge;

import dev.sluice.data.SliceWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The rows a merge produced, in final order: an Int32 {@code op} column first, then the data columns. Offsets,
 * system_time and event_time are the slice writer's business: open a {@link SliceWriter} with {@link #schema()}
 * and {@link SliceWriter.Options#opColumn()}, then {@link #writeTo} it. An empty result means nothing to commit.
 * Owns its batches: close it.
 */
public final class MergeResult implements AutoCloseable {
    private final Schema schema;
    private final List<VectorSchemaRoot> batches;
    private final long[] opCounts;

    MergeResult(Schema schema, List<VectorSchemaRoot> batches, long[] opCounts) {
        this.schema = schema;
        this.batches = new ArrayList<>(batches);
        this.opCounts = opCounts.clone();
    }

    /** {@code op} Int32 (not null), then the data columns of the new input (timestamps as ms/UTC). */
    public Schema schema() {
        return schema;
    }

    public List<VectorSchemaRoot> batches() {
        return Collections.unmodifiableList(batches);
    }

    public long rowCount() {
        long n = 0;
        for (long c : opCounts) n += c;
        return n;
    }

    /** Number of rows with the given op ({@link Op}). */
    public long count(int op) {
        return opCounts[op];
    }

    public boolean isEmpty() {
        return rowCount() == 0;
    }

    /** Writes all rows to a writer opened on {@link #schema()} with {@link SliceWriter.Options#opColumn()}. */
    public void writeTo(SliceWriter writer) throws IOException {
        for (VectorSchemaRoot b : batches) writer.write(b);
    }

    /** A result owning this one's batches; this one then owns none (closing it does nothing). */
    MergeResult take() {
        MergeResult r = new MergeResult(schema, batches, opCounts);
        batches.clear();
        return r;
    }

    @Override
    public void close() {
        batches.forEach(VectorSchemaRoot::close);
    }

    @Override
    public String toString() {
        return "MergeResult{+A=" + opCounts[0] + ", -R=" + opCounts[1] + ", -C=" + opCounts[2] + ", +C=" + opCounts[3] + "}";
    }
}
