package dev.sluice.data.merge;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.apache.arrow.vector.FieldVector;

/** Primary-key values of one row; value equality, and the order kamu sorts merge output by. */
final class Key {
    static final Comparator<Key> ORDER = (x, y) -> {
        for (int i = 0; i < x.values.length; i++) {
            int c = Columns.compareValues(x.values[i], y.values[i]);
            if (c != 0) return c;
        }
        return 0;
    };

    private final Object[] values;
    private final int hash;

    private Key(Object[] values) {
        this.values = values;
        this.hash = Arrays.hashCode(values);
    }

    /**
     * Key of row {@code row}; {@code pk[i]} indexes {@code vectors}. A null key value is an error (kamu rejects
     * them too): {@code where} describes the row for the message, e.g. "row 3 of the new data".
     */
    static Key of(List<FieldVector> vectors, int[] pk, int row, List<String> pkNames, Supplier<String> where) {
        Object[] vs = new Object[pk.length];
        for (int i = 0; i < pk.length; i++) {
            FieldVector v = vectors.get(pk[i]);
            if (v.isNull(row)) throw new MergeException("null in primary key column '" + pkNames.get(i) + "' at " + where.get());
            vs[i] = Columns.keyValue(v, row);
        }
        return new Key(vs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key k && hash == k.hash && Arrays.equals(values, k.values);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return Arrays.toString(values);
    }
}
