package dev.sluice.data.read;

import dev.sluice.data.OdfArrow;
import dev.sluice.odf.DataSchema;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Options for {@link RecordReaders#open}: the allocator batches come from (null: a private one the reader closes),
 * rows per batch (default 65 536), a schema that overrides the read step's, and the largest single CSV record / JSON
 * document value accepted (default 64 MiB; bounds memory on e.g. an unterminated quote).
 */
public final class ReadOptions {
    public static final int DEFAULT_BATCH_ROWS = 1 << 16;

    BufferAllocator allocator;
    int batchRows = DEFAULT_BATCH_ROWS;
    Schema schema;
    int maxRecordBytes = 64 << 20;

    public static ReadOptions defaults() {
        return new ReadOptions();
    }

    public ReadOptions allocator(BufferAllocator a) {
        this.allocator = a;
        return this;
    }

    public ReadOptions batchRows(int n) {
        if (n <= 0) throw new IllegalArgumentException("batchRows must be positive");
        this.batchRows = n;
        return this;
    }

    /** Target schema, replacing the read step's {@code schema}/{@code ddlSchema} (e.g. the dataset's current schema). */
    public ReadOptions schema(Schema s) {
        this.schema = s;
        return this;
    }

    public ReadOptions schema(DataSchema s) {
        this.schema = s == null ? null : OdfArrow.toArrow(s);
        return this;
    }

    public ReadOptions maxRecordBytes(int n) {
        if (n < 1024) throw new IllegalArgumentException("maxRecordBytes must be at least 1024");
        this.maxRecordBytes = n;
        return this;
    }

    public int batchRows() {
        return batchRows;
    }
}
