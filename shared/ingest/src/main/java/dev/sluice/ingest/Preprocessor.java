package dev.sluice.ingest;

import dev.sluice.odf.Transform;
import java.util.Iterator;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Runs a push source's {@code preprocess} query over the data just read, exposed as the table {@code input}. An SPI:
 * the SQL engine is an adapter (the sandboxed DuckDB one lives in shared/query), so ingest itself pulls no engine.
 */
public interface Preprocessor {
    /**
     * @param input batches of {@code schema}; each valid until the next is requested
     * @return the query's result as a stream of batches; the caller closes it
     * @throws IngestException (or an engine-specific 4xx exception) for a query that is invalid or not allowed
     */
    ArrowReader run(Transform.Sql query, Schema schema, Iterator<VectorSchemaRoot> input, BufferAllocator allocator);
}
