package dev.sluice.fn.ingest;

import dev.sluice.data.SliceWriter;
import dev.sluice.fn.common.Warmup;
import java.io.OutputStream;
import java.time.Instant;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Writes a one-row slice to nowhere from the start of the process: Arrow, the Parquet writer and the logical hasher
 * (the bulk of an ingest's first-request class loading) load while the framework starts. Nothing is stored.
 */
public final class SliceWriterWarmup implements Warmup {
    @Override
    public void run() throws Exception {
        try (BufferAllocator alloc = new RootAllocator()) {
            BigIntVector v = new BigIntVector("v", alloc);
            v.allocateNew(1);
            v.set(0, 1L);
            v.setValueCount(1);
            try (VectorSchemaRoot batch = VectorSchemaRoot.of(v);
                 SliceWriter w = SliceWriter.open(OutputStream.nullOutputStream(), batch.getSchema(),
                         SliceWriter.options().systemTime(Instant.EPOCH).fallbackEventTime(Instant.EPOCH).allocator(alloc))) {
                batch.setRowCount(1);
                w.write(batch);
                w.finish();
            }
        }
    }
}
