package dev.sluice.data.merge;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** Accumulates output rows (op + copied data row) into batches of the result schema. */
final class ResultBuilder implements AutoCloseable {
    static final int BATCH_ROWS = 8192;

    private final Schema schema;
    private final BufferAllocator allocator;
    private final List<VectorSchemaRoot> done = new ArrayList<>();
    private final long[] counts = new long[4];
    private List<FieldVector> cur;
    private int curRows;

    ResultBuilder(Schema dataSchema, String opColumn, BufferAllocator allocator) {
        List<Field> fs = new ArrayList<>();
        fs.add(Field.notNullable(opColumn, new ArrowType.Int(32, true)));
        fs.addAll(dataSchema.getFields());
        this.schema = new Schema(fs);
        this.allocator = allocator;
    }

    /** Appends a row with the given op, copying data from {@code source} (aligned with the data columns). */
    void add(int op, List<FieldVector> source, int row) {
        if (cur == null || curRows == BATCH_ROWS) {
            flush();
            cur = new ArrayList<>();
            for (Field f : schema.getFields()) {
                FieldVector v = f.createVector(allocator);
                v.allocateNew();
                cur.add(v);
            }
        }
        ((IntVector) cur.get(0)).setSafe(curRows, op);
        for (int c = 0; c < source.size(); c++) {
            FieldVector s = source.get(c);
            if (s != null) cur.get(c + 1).copyFromSafe(row, curRows, s);
        }
        curRows++;
        counts[op]++;
    }

    private void flush() {
        if (cur == null) return;
        for (FieldVector v : cur) v.setValueCount(curRows);
        done.add(new VectorSchemaRoot(schema, cur, curRows));
        cur = null;
        curRows = 0;
    }

    MergeResult finish() {
        flush();
        MergeResult r = new MergeResult(schema, done, counts);
        done.clear();
        return r;
    }

    /** Releases unfinished output (on failure). */
    @Override
    public void close() {
        if (cur != null) cur.forEach(FieldVector::close);
        done.forEach(VectorSchemaRoot::close);
        cur = null;
        done.clear();
    }
}
