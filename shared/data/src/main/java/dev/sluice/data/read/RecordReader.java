package dev.sluice.data.read;

import java.util.Iterator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A stream of Arrow batches read from one input, in the target schema. Each batch returned by {@link #next} is owned
 * by the reader and valid until the next call to {@link #next}/{@link #hasNext} or {@link #close}; a consumer that
 * keeps a batch must copy it or move its buffers out ({@code TransferPair}). Batches are never empty.
 *
 * <p>Every problem with the input surfaces as a {@link BadInputException} from {@link #hasNext}/{@link #next} (or
 * from {@link RecordReaders#open}); nothing else escapes for bad input.
 */
public interface RecordReader extends Iterator<VectorSchemaRoot>, AutoCloseable {
    /** The schema of every batch. */
    Schema schema();

    /** Data rows returned so far. */
    long rowsRead();

    /** Releases the current batch, the input stream and any temporary file. */
    @Override
    void close();
}
