package dev.sluice.data.read;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Batch plumbing shared by the readers: one {@link VectorSchemaRoot} whose vectors are cleared and refilled for each
 * batch, read-ahead in {@link #hasNext} so batches are never empty, and the guarantee that any failure becomes a
 * {@link BadInputException}.
 */
abstract class BaseReader implements RecordReader {
    protected final BufferAllocator allocator;
    private final boolean ownAllocator;
    protected final int batchRows;
    protected final InputStream in;
    protected VectorSchemaRoot root;
    protected long rows; // rows in batches already returned
    private int state;   // 0 need fill, 1 batch ready, 2 done
    private boolean closed;

    BaseReader(InputStream in, ReadOptions o) {
        this.in = in;
        this.allocator = o.allocator != null ? o.allocator : new RootAllocator();
        this.ownAllocator = o.allocator == null;
        this.batchRows = o.batchRows;
    }

    /** Creates the batch root; subclasses call it once the schema is known. */
    protected void init(Schema schema) {
        List<FieldVector> vs = new ArrayList<>();
        for (Field f : schema.getFields()) vs.add(f.createVector(allocator));
        root = new VectorSchemaRoot(schema, vs, 0);
    }

    @Override
    public Schema schema() {
        return root.getSchema();
    }

    @Override
    public long rowsRead() {
        return rows;
    }

    /** Reads what precedes the data (header, JSON envelope), determines the schema and calls {@link #init}. */
    protected abstract void start() throws IOException;

    /** Fills rows 0..n-1 of the (cleared) vectors with at most {@code max} rows; returns n, 0 at the end. */
    protected abstract int fill(int max) throws IOException;

    @Override
    public boolean hasNext() {
        if (state == 1) return true;
        if (state == 2) return false;
        try {
            prepare();
            int n = fill(batchRows);
            if (n == 0) {
                state = 2;
                clearVectors();
                return false;
            }
            for (FieldVector v : root.getFieldVectors()) v.setValueCount(n);
            root.setRowCount(n);
            state = 1;
            return true;
        } catch (Throwable e) {
            state = 2;
            throw wrap(e);
        }
    }

    @Override
    public VectorSchemaRoot next() {
        if (!hasNext()) throw new NoSuchElementException();
        state = 0;
        rows += root.getRowCount();
        return root;
    }

    static RuntimeException wrap(Throwable e) {
        if (e instanceof BadInputException b) return b;
        if (e instanceof OutOfMemoryError || e instanceof org.apache.arrow.memory.OutOfMemoryException) {
            return new BadInputException("input too large to read: out of memory", e);
        }
        if (e instanceof StackOverflowError) return new BadInputException("input nested too deeply", e);
        if (e instanceof Error err) throw err;
        if (e instanceof IOException) return new BadInputException("cannot read input: " + e.getMessage(), e);
        return new BadInputException("cannot read input: " + e, e);
    }

    private void prepare() {
        for (FieldVector v : root.getFieldVectors()) {
            if (v instanceof BaseVariableWidthVector vw && root.getRowCount() > 0
                    && vw.getOffsetBuffer().capacity() >= (root.getRowCount() + 1L) * 4) {
                // size the data buffer from the previous batch to avoid regrowing it every batch
                int used = vw.getOffsetBuffer().getInt((long) root.getRowCount() * 4);
                double density = Math.max(1.0, (double) used / root.getRowCount() * 1.1);
                v.clear();
                vw.setInitialCapacity(batchRows, density);
            } else {
                v.clear();
                v.setInitialCapacity(batchRows);
            }
            v.allocateNew();
        }
        root.setRowCount(0);
    }

    private void clearVectors() {
        if (root == null) return;
        for (FieldVector v : root.getFieldVectors()) v.clear();
        root.setRowCount(0);
    }

    /** Subclass resources (temp files, parsers). */
    protected void closeResources() throws IOException {}

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        state = 2;
        try {
            closeResources();
        } catch (IOException | RuntimeException ignored) {
            // nothing useful to do
        }
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing useful to do
        }
        if (root != null) root.close();
        if (ownAllocator) allocator.close();
    }
}
