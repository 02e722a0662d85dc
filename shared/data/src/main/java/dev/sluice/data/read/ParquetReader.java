package dev.sluice.data.read;

import dev.sluice.data.SliceReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Parquet input: the body is spooled to a temporary file (Parquet needs its footer first), read with
 * {@link SliceReader} and each column coerced to the target column of the same name (exact, else
 * case-insensitive): identical types are moved without copying; timestamps change unit; integers and floats are
 * range-checked; everything else goes through the value's text. Columns not in the target schema are ignored; a
 * target column missing from the file is null (an error if not nullable). Without a target schema the file's own
 * schema is used, timestamps as Timestamp(ms, "UTC").
 */
final class ParquetReader extends BaseReader {
    private final Schema target;
    private Path tmp;
    private SliceReader slice;
    private Conv[] convs;

    ParquetReader(InputStream in, Schema target, ReadOptions o) {
        super(in, o);
        this.target = target;
    }

    @Override
    protected void start() throws IOException {
        tmp = Files.createTempFile("sluice-ingest-", ".parquet");
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        long size = Files.size(tmp);
        if (size == 0) throw new BadInputException("empty input: no Parquet data");
        try {
            slice = SliceReader.open(tmp, allocator, batchRows);
        } catch (IOException | RuntimeException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new BadInputException("not a readable Parquet file (" + size + " bytes): " + firstLine(m), e);
        }
        Schema src = slice.schema();
        Schema schema = target;
        if (schema == null) {
            List<Field> fs = new ArrayList<>();
            for (Field f : src.getFields()) {
                fs.add(f.getType() instanceof ArrowType.Timestamp
                        ? new Field(f.getName(), new FieldType(f.isNullable(), new ArrowType.Timestamp(TimeUnit.MILLISECOND, "UTC"), null), null)
                        : f);
            }
            schema = new Schema(fs);
        }
        init(schema);
        List<FieldVector> vs = root.getFieldVectors();
        convs = new Conv[vs.size()];
        for (int i = 0; i < convs.length; i++) {
            FieldVector t = vs.get(i);
            int at = indexOf(src, t.getName());
            if (at < 0 && !t.getField().isNullable()) {
                throw new BadInputException("Parquet file has no column \"" + t.getName() + "\" (column is not nullable)");
            }
            convs[i] = new Conv(at, at < 0 ? null : src.getFields().get(at), t);
        }
    }

    private static String firstLine(String m) {
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static int indexOf(Schema s, String name) {
        List<Field> fs = s.getFields();
        for (int i = 0; i < fs.size(); i++) if (fs.get(i).getName().equals(name)) return i;
        for (int i = 0; i < fs.size(); i++) if (fs.get(i).getName().equalsIgnoreCase(name)) return i;
        return -1;
    }

    @Override
    protected int fill(int max) throws IOException {
        VectorSchemaRoot b;
        try {
            if (!slice.hasNext()) return 0;
            b = slice.next();
        } catch (RuntimeException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new BadInputException("corrupt Parquet data after row " + rows + ": " + firstLine(m), e);
        }
        int n = b.getRowCount();
        for (Conv c : convs) c.apply(b, n);
        return n;
    }

    /** Moves or converts one source column into its target vector. */
    private final class Conv {
        final int src;
        final FieldVector t;
        final boolean same;
        final Sink sink;
        final long[] scale; // timestamp: {multiplier, divisor}

        Conv(int src, Field from, FieldVector t) {
            this.src = src;
            this.t = t;
            this.same = from != null && sameType(from, t.getField());
            this.sink = same || from == null ? null : Sink.of(t, Sink.Formats.RFC3339);
            if (!same && from != null && sink == null) {
                throw new BadInputException("column \"" + t.getName() + "\": cannot convert Parquet " + from.getType() + " to " + t.getField().getType());
            }
            if (from != null && from.getType() instanceof ArrowType.Timestamp a && t.getField().getType() instanceof ArrowType.Timestamp b) {
                long fa = perSecond(a.getUnit()), fb = perSecond(b.getUnit());
                scale = fa >= fb ? new long[] {1, fa / fb} : new long[] {fb / fa, 1};
            } else {
                scale = null;
            }
        }

        void apply(VectorSchemaRoot b, int n) {
            if (src < 0) {
                for (int i = 0; i < n; i++) t.setNull(i);
                return;
            }
            FieldVector s = b.getVector(src);
            if (!t.getField().isNullable() && s.getNullCount() > 0) {
                for (int i = 0; i < n; i++) {
                    if (s.isNull(i)) throw new BadInputException("row " + (rows + i + 1) + ", column \"" + t.getName() + "\": missing value (column is not nullable)");
                }
            }
            if (same) {
                s.makeTransferPair(t).transfer();
                return;
            }
            for (int i = 0; i < n; i++) {
                if (s.isNull(i)) {
                    sink.setNull(i);
                    continue;
                }
                try {
                    convert(s, i);
                } catch (Fail f) {
                    String v = BadInputException.quote(String.valueOf(s.getObject(i)));
                    throw new BadInputException("row " + (rows + i + 1) + ", column \"" + t.getName() + "\": " + f.message(v));
                }
            }
        }

        private void convert(FieldVector s, int i) throws Fail {
            if (scale != null) {
                long v = ((TimeStampVector) s).get(i);
                try {
                    sink.setLong(i, scale[1] == 1 ? Math.multiplyExact(v, scale[0]) : Math.floorDiv(v, scale[1]));
                } catch (ArithmeticException e) {
                    throw Fail.as("as " + sink.kind + " (out of range)");
                }
                return;
            }
            if (s instanceof TimeStampVector ts) {
                long perSec = perSecond(((ArrowType.Timestamp) s.getField().getType()).getUnit());
                long v = ts.get(i);
                Instant at = Instant.ofEpochSecond(Math.floorDiv(v, perSec), Math.floorMod(v, perSec) * (1_000_000_000L / perSec));
                text(i, at.toString());
                return;
            }
            if (s instanceof BaseIntVector iv && !(s instanceof UInt8Vector) && !sink.isText() && !(sink instanceof Sink.TimestampSink)
                    && !(sink instanceof Sink.DateSink)) {
                sink.setLong(i, iv.getValueAsLong(i));
                return;
            }
            if (s instanceof DateDayVector d && (sink instanceof Sink.TimestampSink || sink instanceof Sink.DateSink)) {
                text(i, java.time.LocalDate.ofEpochDay(d.get(i)).toString());
                return;
            }
            if (s instanceof DateMilliVector d) {
                text(i, java.time.LocalDate.ofEpochDay(Math.floorDiv(d.get(i), 86_400_000L)).toString());
                return;
            }
            if (s instanceof FloatingPointVector f && !sink.isText()) {
                double x = f.getValueAsDouble(i);
                text(i, Double.isFinite(x) && x == Math.rint(x) && Math.abs(x) < 9e18 ? Long.toString((long) x) : Double.toString(x));
                return;
            }
            if (s instanceof DecimalVector d) {
                text(i, d.getObject(i).toPlainString());
                return;
            }
            if (s instanceof BitVector bv) {
                text(i, bv.get(i) != 0 ? "true" : "false");
                return;
            }
            if (s instanceof VarCharVector vc) {
                byte[] b = vc.get(i);
                sink.set(i, b, 0, b.length);
                return;
            }
            if (s.getField().getType() instanceof ArrowType.List || s.getField().getType() instanceof ArrowType.Struct) {
                throw Fail.reason("cannot convert " + s.getField().getType() + " to " + sink.kind);
            }
            text(i, String.valueOf(s.getObject(i)));
        }

        private void text(int i, String v) throws Fail {
            byte[] b = v.getBytes(StandardCharsets.UTF_8);
            sink.set(i, b, 0, b.length);
        }
    }

    private static long perSecond(TimeUnit u) {
        return switch (u) {
            case SECOND -> 1;
            case MILLISECOND -> 1_000;
            case MICROSECOND -> 1_000_000;
            case NANOSECOND -> 1_000_000_000;
        };
    }

    /** Same Arrow types (child names ignored); nullability may differ. */
    private static boolean sameType(Field a, Field b) {
        if (!a.getType().equals(b.getType())) return false;
        if (a.getChildren().size() != b.getChildren().size()) return false;
        for (int i = 0; i < a.getChildren().size(); i++) {
            Field x = a.getChildren().get(i), y = b.getChildren().get(i);
            if (a.getType() instanceof ArrowType.Struct && !x.getName().equals(y.getName())) return false;
            if (!sameType(x, y)) return false;
            if (x.isNullable() && !y.isNullable()) return false;
        }
        return true;
    }

    @Override
    protected void closeResources() throws IOException {
        try {
            if (slice != null) slice.close();
        } finally {
            if (tmp != null) Files.deleteIfExists(tmp);
        }
    }
}
