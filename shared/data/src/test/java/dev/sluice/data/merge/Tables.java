package dev.sluice.data.merge;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.Text;

/**
 * Small tables for merge tests: schemas as "name:type" (string, int32, int64, float64, bool, date, timestamp =
 * ms/UTC, timestamp_us = µs/UTC), rows as lists of plain values. Timestamps may be written "2000-01-02" or ISO
 * instants; dates "2000-01-02".
 */
final class Tables {
    private Tables() {}

    static Schema schema(String... cols) {
        List<Field> fs = new ArrayList<>();
        for (String c : cols) {
            String[] p = c.split(":");
            ArrowType t = switch (p[1]) {
                case "string" -> ArrowType.Utf8.INSTANCE;
                case "int32" -> new ArrowType.Int(32, true);
                case "int64" -> new ArrowType.Int(64, true);
                case "float64" -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
                case "bool" -> ArrowType.Bool.INSTANCE;
                case "date" -> new ArrowType.Date(DateUnit.DAY);
                case "timestamp" -> new ArrowType.Timestamp(TimeUnit.MILLISECOND, "UTC");
                case "timestamp_us" -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
                default -> throw new IllegalArgumentException(p[1]);
            };
            fs.add(new Field(p[0], FieldType.nullable(t), null));
        }
        return new Schema(fs);
    }

    static List<Object> row(Object... values) {
        return Arrays.asList(values);
    }

    static VectorSchemaRoot batch(Schema s, BufferAllocator alloc, List<List<Object>> rows) {
        VectorSchemaRoot root = VectorSchemaRoot.create(s, alloc);
        root.allocateNew();
        List<FieldVector> vs = root.getFieldVectors();
        for (int r = 0; r < rows.size(); r++) {
            List<Object> row = rows.get(r);
            if (row.size() != vs.size()) throw new IllegalArgumentException("row " + row + " does not fit " + s);
            for (int c = 0; c < vs.size(); c++) set(vs.get(c), r, row.get(c));
        }
        root.setRowCount(rows.size());
        return root;
    }

    private static void set(FieldVector v, int i, Object x) {
        if (x == null) {
            v.setNull(i);
            return;
        }
        Object n = normalize(v.getField(), x);
        if (v instanceof VarCharVector s) s.setSafe(i, ((String) n).getBytes(StandardCharsets.UTF_8));
        else if (v instanceof IntVector iv) iv.setSafe(i, ((Long) n).intValue());
        else if (v instanceof BigIntVector b) b.setSafe(i, (Long) n);
        else if (v instanceof Float8Vector f) f.setSafe(i, (Double) n);
        else if (v instanceof BitVector b) b.setSafe(i, (Boolean) n ? 1 : 0);
        else if (v instanceof DateDayVector d) d.setSafe(i, (int) ((LocalDate) n).toEpochDay());
        else if (v instanceof TimeStampVector t) {
            Instant at = (Instant) n;
            long ms = at.toEpochMilli();
            t.setSafe(i, ((ArrowType.Timestamp) v.getField().getType()).getUnit() == TimeUnit.MICROSECOND ? ms * 1000 : ms);
        } else throw new IllegalArgumentException(v.getField().toString());
    }

    /** A cell in comparable form for the column's type: Long, Double, String, Boolean, LocalDate, Instant. */
    static Object normalize(Field f, Object x) {
        if (x == null) return null;
        ArrowType t = f.getType();
        if (t instanceof ArrowType.Timestamp ts) {
            if (x instanceof String s) return Instant.parse(s.contains("T") ? s : s + "T00:00:00Z");
            if (x instanceof Long l) return ts.getUnit() == TimeUnit.MICROSECOND ? Instant.ofEpochMilli(l / 1000) : Instant.ofEpochMilli(l);
            return x;
        }
        if (t instanceof ArrowType.Date) {
            if (x instanceof String s) return LocalDate.parse(s);
            if (x instanceof Integer d) return LocalDate.ofEpochDay(d);
            return x;
        }
        if (x instanceof Text s) return s.toString();
        if (x instanceof Integer || x instanceof Short || x instanceof Byte) return ((Number) x).longValue();
        if (x instanceof Float fl) return fl.doubleValue();
        return x;
    }

    /** Rows of a batch with cells {@link #normalize normalised}; an Int32 column named "op" as "+A"/"-R"/… */
    static List<List<Object>> rows(VectorSchemaRoot b) {
        List<List<Object>> out = new ArrayList<>();
        for (int r = 0; r < b.getRowCount(); r++) {
            List<Object> row = new ArrayList<>();
            for (FieldVector v : b.getFieldVectors()) {
                Object x = v.isNull(r) ? null : v.getObject(r);
                row.add(v.getName().equals("op") && x instanceof Integer op ? Op.label(op) : normalize(v.getField(), x));
            }
            out.add(row);
        }
        return out;
    }

    /** Expected output rows: first cell an op label, then data cells normalised by {@code data}'s types. */
    static List<List<Object>> expected(Schema data, List<List<Object>> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (List<Object> r : rows) {
            if (r.size() != data.getFields().size() + 1) throw new IllegalArgumentException("expected row " + r + " does not fit op + " + data);
            List<Object> n = new ArrayList<>();
            n.add(r.get(0));
            for (int c = 1; c < r.size(); c++) n.add(normalize(data.getFields().get(c - 1), r.get(c)));
            out.add(n);
        }
        return out;
    }
}
