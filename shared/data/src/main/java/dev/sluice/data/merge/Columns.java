package dev.sluice.data.merge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.Text;

/** Column plumbing shared by the strategies: name lookup, type checks, normalisation, key values. */
final class Columns {
    static final ArrowType TS_MS_UTC = new ArrowType.Timestamp(TimeUnit.MILLISECOND, "UTC");

    private Columns() {}

    static int indexOf(Schema s, String name) {
        List<Field> fs = s.getFields();
        for (int i = 0; i < fs.size(); i++) if (fs.get(i).getName().equals(name)) return i;
        return -1;
    }

    /** Indexes of {@code names} in {@code s}; a missing one is an error naming all missing columns. */
    static int[] require(Schema s, List<String> names, String what, String where) {
        int[] idx = new int[names.size()];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < idx.length; i++) {
            idx[i] = indexOf(s, names.get(i));
            if (idx[i] < 0) missing.add(names.get(i));
        }
        if (!missing.isEmpty()) {
            throw new MergeException(what + " column(s) " + missing + " not found in " + where + "; columns are "
                    + s.getFields().stream().map(Field::getName).toList());
        }
        return idx;
    }

    /**
     * The type the slice writer stores (and a reader gets back): timestamps as Timestamp(ms, "UTC"), Date64 as
     * Date32. Normalising new input up front lets it be compared with and copied to/from existing data.
     */
    static Field normalize(Field f) {
        ArrowType t = f.getType();
        if (t instanceof ArrowType.Timestamp && !TS_MS_UTC.equals(t)) {
            return new Field(f.getName(), new FieldType(f.isNullable(), TS_MS_UTC, null, f.getMetadata()), null);
        }
        if (t instanceof ArrowType.Date d && d.getUnit() == DateUnit.MILLISECOND) {
            return new Field(f.getName(), new FieldType(f.isNullable(), new ArrowType.Date(DateUnit.DAY), null, f.getMetadata()), null);
        }
        return f;
    }

    /** {@code v} in its {@link #normalize normalised} type: itself, or a new vector added to {@code owned}. */
    static FieldVector normalize(FieldVector v, BufferAllocator allocator, List<FieldVector> owned) {
        Field nf = normalize(v.getField());
        if (nf == v.getField()) return v;
        int n = v.getValueCount();
        if (v instanceof TimeStampVector ts) {
            TimeStampMilliTZVector out = new TimeStampMilliTZVector(nf, allocator);
            owned.add(out);
            out.allocateNew(n);
            TimeUnit unit = ((ArrowType.Timestamp) v.getField().getType()).getUnit();
            for (int i = 0; i < n; i++) {
                if (ts.isNull(i)) continue;
                long x = ts.get(i);
                out.set(i, switch (unit) {
                    case SECOND -> Math.multiplyExact(x, 1000L);
                    case MILLISECOND -> x;
                    case MICROSECOND -> Math.floorDiv(x, 1000L);
                    case NANOSECOND -> Math.floorDiv(x, 1_000_000L);
                });
            }
            out.setValueCount(n);
            return out;
        }
        DateMilliVector d = (DateMilliVector) v;
        DateDayVector out = new DateDayVector(nf, allocator);
        owned.add(out);
        out.allocateNew(n);
        for (int i = 0; i < n; i++) if (!d.isNull(i)) out.set(i, Math.toIntExact(Math.floorDiv(d.get(i), 86_400_000L)));
        out.setValueCount(n);
        return out;
    }

    /** Same Arrow type, recursively (nullability and list item names ignored; struct member names count). */
    static boolean sameType(Field a, Field b) {
        if (!a.getType().equals(b.getType())) return false;
        List<Field> ca = a.getChildren();
        List<Field> cb = b.getChildren();
        if (ca.size() != cb.size()) return false;
        boolean struct = a.getType() instanceof ArrowType.Struct;
        for (int i = 0; i < ca.size(); i++) {
            if (struct && !ca.get(i).getName().equals(cb.get(i).getName())) return false;
            if (!sameType(ca.get(i), cb.get(i))) return false;
        }
        return true;
    }

    /**
     * A value usable in a hash key and for ordering: strings as String, binary as {@link Bytes}, everything
     * else as Arrow's Java object (Long, Integer, Double, BigDecimal, …), which has value equality.
     */
    static Object keyValue(FieldVector v, int i) {
        Object o = v.getObject(i);
        if (o instanceof Text t) return t.toString();
        if (o instanceof byte[] b) return new Bytes(b);
        return o;
    }

    /** Total order on key values of one column; strings by code point (= UTF-8 byte order, as DataFusion sorts). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compareValues(Object a, Object b) {
        if (a instanceof String x && b instanceof String y) return compareCodePoints(x, y);
        if (a instanceof Bytes x && b instanceof Bytes y) return Arrays.compareUnsigned(x.b(), y.b());
        if (a instanceof Comparable x && a.getClass() == b.getClass()) return x.compareTo(b);
        return a.toString().compareTo(b.toString()); // nested types: any stable order will do
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /** byte[] with value equality. */
    record Bytes(byte[] b) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes other && Arrays.equals(b, other.b);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(b);
        }

        @Override
        public String toString() {
            return java.util.HexFormat.of().formatHex(b);
        }
    }
}
