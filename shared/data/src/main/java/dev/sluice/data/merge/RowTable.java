package dev.sluice.data.merge;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Rows copied out of batches that do not outlive the merge (previous slices, caller's input), kept in growable
 * vectors of a fixed schema. A null source column leaves the cell null (a column the source batch lacks).
 */
final class RowTable implements AutoCloseable {
    private final List<FieldVector> vectors = new ArrayList<>();
    private int rows;

    RowTable(Schema schema, BufferAllocator allocator) {
        for (Field f : schema.getFields()) {
            FieldVector v = f.createVector(allocator);
            v.allocateNew();
            vectors.add(v);
        }
    }

    /** Copies row {@code row} of {@code source} (aligned with this table's columns); returns its index here. */
    int append(List<FieldVector> source, int row) {
        for (int c = 0; c < vectors.size(); c++) {
            FieldVector s = source.get(c);
            if (s != null) vectors.get(c).copyFromSafe(row, rows, s);
        }
        return rows++;
    }

    /** Fixes the value counts; call before reading. */
    RowTable seal() {
        for (FieldVector v : vectors) v.setValueCount(rows);
        return this;
    }

    List<FieldVector> vectors() {
        return vectors;
    }

    int rowCount() {
        return rows;
    }

    @Override
    public void close() {
        vectors.forEach(FieldVector::close);
    }
}
