package dev.sluice.query;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.data.OdfArrow;
import dev.sluice.odf.DataSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A running query's answer, streamed from DuckDB's Arrow export batch by batch. Consume it once — with
 * {@link #writeData}, {@link #writeResponse} or {@link #arrow()} — then close it (closing releases the query's
 * DuckDB session and its database). Not thread-safe.
 */
public final class QueryResult implements AutoCloseable {
    /** Releases the engine behind a result; a database whose result was read to the end cleanly may serve again. */
    @FunctionalInterface
    interface Engine {
        void release(boolean finishedCleanly) throws Exception;
    }

    private final QueryRequest request;
    private final List<QueryInput> inputs;
    private final ArrowReader reader;
    private final BufferAllocator allocator;
    private final Path tempDir;
    private final Engine engine;
    private final java.util.function.UnaryOperator<String> redact;
    private boolean consumed;
    private boolean finished;
    private long rows;

    QueryResult(QueryRequest request, List<QueryInput> inputs, ArrowReader reader, BufferAllocator allocator, Path tempDir,
            Engine engine, java.util.function.UnaryOperator<String> redact) {
        this.request = request;
        this.inputs = List.copyOf(inputs);
        this.reader = reader;
        this.allocator = allocator;
        this.tempDir = tempDir;
        this.engine = engine;
        this.redact = redact;
    }

    public QueryRequest request() {
        return request;
    }

    /** The datasets read and the blocks they were read at, in order of first mention in the query. */
    public List<QueryInput> inputs() {
        return inputs;
    }

    /** Arrow schema of the answer (as DuckDB produces it: zoned timestamps are {@code Timestamp(µs, "UTC")}). */
    public Schema schema() {
        try {
            return reader.getVectorSchemaRoot().getSchema();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The answer's schema as an ODF DataSchema (via OdfArrow). */
    public DataSchema odfSchema() {
        return OdfArrow.fromArrow(schema());
    }

    /** Rows written so far by {@link #writeData}/{@link #writeResponse}. */
    public long rowCount() {
        return rows;
    }

    /** Raw access: call {@code loadNextBatch()} until false. Counts as consuming the result. */
    public ArrowReader arrow() {
        consume();
        return reader;
    }

    /**
     * Writes the rows alone in the request's format: a JSON array/object for the JSON formats, lines for NdJson, a CSV
     * document with header, or an Arrow IPC stream. Returns the number of rows.
     */
    public long writeData(OutputStream out) {
        consume();
        try {
            DataFormat f = request.dataFormat();
            if (f == DataFormat.ARROW) return writeArrow(out);
            if (f == DataFormat.ND_JSON) return drain(ResultWriters.ndJson(out));
            if (f == DataFormat.CSV) return drain(ResultWriters.csv(out, schema()));
            try (JsonGenerator g = json(out)) {
                return drain(ResultWriters.jsonValue(f, g, schema(), tempDir));
            }
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /**
     * Writes kamu's JSON response envelope ({@code {"input":…,"output":{"data":…,"dataFormat":…,"schema":…,
     * "schemaFormat":…}}}); {@code input} and {@code schema} only when included. JSON data formats only.
     */
    public long writeResponse(OutputStream out) {
        DataFormat f = request.dataFormat();
        if (!f.isJsonDocument()) throw new InvalidQueryException(f.wireName() + " results are not embedded in a JSON response; use writeData");
        consume();
        try (JsonGenerator g = json(out)) {
            g.writeStartObject();
            if (request.include().contains(QueryRequest.Include.INPUT)) writeInput(g);
            g.writeFieldName("output");
            g.writeStartObject();
            g.writeFieldName("data");
            long n = drain(ResultWriters.jsonValue(f, g, schema(), tempDir));
            g.writeStringField("dataFormat", f.wireName());
            if (request.include().contains(QueryRequest.Include.SCHEMA)) {
                g.writeFieldName("schema");
                SchemaRender.write(g, request.schemaFormat(), schema(), odfSchema());
                g.writeStringField("schemaFormat", request.schemaFormat().wireName());
            }
            g.writeEndObject();
            g.writeEndObject();
            return n;
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** The request as resolved: every dataset with its id and the block it was read at. */
    private void writeInput(JsonGenerator g) throws IOException {
        g.writeFieldName("input");
        g.writeStartObject();
        g.writeStringField("query", request.query());
        g.writeStringField("queryDialect", "SqlDuckDb");
        g.writeStringField("dataFormat", request.dataFormat().wireName());
        g.writeStringField("schemaFormat", request.schemaFormat().wireName());
        g.writeNumberField("skip", request.skip());
        if (request.limit() != null) g.writeNumberField("limit", request.limit());
        g.writeArrayFieldStart("datasets");
        for (QueryInput in : inputs) {
            g.writeStartObject();
            g.writeStringField("id", in.id().toDid());
            g.writeStringField("alias", in.table());
            g.writeStringField("blockHash", in.blockHash().toMultibase());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private long writeArrow(OutputStream out) throws IOException {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        // The writer closes its channel on close; the caller's stream stays open.
        OutputStream keepOpen = new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
        try (ArrowStreamWriter w = new ArrowStreamWriter(root, reader, keepOpen)) {
            w.start();
            while (reader.loadNextBatch()) {
                rows += root.getRowCount();
                w.writeBatch();
            }
            w.end();
        }
        finished = true;
        return rows;
    }

    private long drain(ResultWriters.BatchSink sink) throws IOException {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        while (reader.loadNextBatch()) {
            rows += root.getRowCount();
            sink.batch(root);
        }
        sink.finish();
        finished = true;
        return rows;
    }

    private static JsonGenerator json(OutputStream out) throws IOException {
        JsonGenerator g = ResultWriters.JSON.createGenerator(out);
        g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        return g;
    }

    private void consume() {
        if (consumed) throw new IllegalStateException("a query result can be read once");
        consumed = true;
    }

    /** An engine error while streaming (e.g. a runtime cast failure) is still the query's fault: 400 with its message. */
    private RuntimeException failure(IOException e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        if (msg.contains("Error:")) return new InvalidQueryException(redact.apply(QueryService.cleanMessage(msg)), e);
        return new UncheckedIOException(e);
    }

    @Override
    public void close() {
        boolean clean = finished;
        try {
            reader.close();
        } catch (IOException e) {
            clean = false; // the engine is released next regardless, but not for reuse
        }
        try {
            allocator.close();
        } finally {
            try {
                engine.release(clean);
            } catch (Exception ignored) {
                // an in-memory database has nothing to lose on close
            }
        }
    }
}
