package dev.sluice.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.NullVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeMilliVector;
import org.apache.arrow.vector.TimeNanoVector;
import org.apache.arrow.vector.TimeSecVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.LargeVarBinaryVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Arrow cell → JSON / text, as kamu renders them: 64-bit integers and decimals as JSON numbers, timestamps as RFC 3339
 * ({@code 2000-01-01T00:00:00Z} for zoned, no {@code Z} for naive; fraction only when non-zero), dates
 * {@code 2000-01-02}, binary as lower-case hex, lists as arrays, structs and maps as objects.
 */
final class Values {
    private static final JsonFactory JSON = new JsonFactory();

    private Values() {}

    static void writeJson(JsonGenerator g, FieldVector v, int i) throws IOException {
        if (v.isNull(i) || v instanceof NullVector) {
            g.writeNull();
            return;
        }
        if (v instanceof BigIntVector x) g.writeNumber(x.get(i));
        else if (v instanceof IntVector x) g.writeNumber(x.get(i));
        else if (v instanceof SmallIntVector x) g.writeNumber(x.get(i));
        else if (v instanceof TinyIntVector x) g.writeNumber(x.get(i));
        else if (v instanceof UInt8Vector x) {
            long l = x.get(i);
            if (l >= 0) g.writeNumber(l);
            else g.writeNumber(new BigInteger(Long.toUnsignedString(l)));
        } else if (v instanceof UInt4Vector x) g.writeNumber(Integer.toUnsignedLong(x.get(i)));
        else if (v instanceof UInt2Vector x) g.writeNumber((int) x.get(i));
        else if (v instanceof UInt1Vector x) g.writeNumber(Byte.toUnsignedInt(x.get(i)));
        else if (v instanceof Float8Vector x) g.writeNumber(x.get(i));
        else if (v instanceof Float4Vector x) g.writeNumber(x.get(i));
        else if (v instanceof BitVector x) g.writeBoolean(x.get(i) != 0);
        else if (v instanceof DecimalVector x) g.writeNumber(x.getObject(i));
        else if (v instanceof Decimal256Vector x) g.writeNumber(x.getObject(i));
        else if (v instanceof MapVector m) writeMap(g, m, i);
        else if (v instanceof ListVector l) {
            g.writeStartArray();
            FieldVector data = l.getDataVector();
            for (int j = l.getElementStartIndex(i); j < l.getElementEndIndex(i); j++) writeJson(g, data, j);
            g.writeEndArray();
        } else if (v instanceof LargeListVector l) {
            g.writeStartArray();
            FieldVector data = l.getDataVector();
            for (long j = l.getElementStartIndex(i); j < l.getElementEndIndex(i); j++) writeJson(g, data, (int) j);
            g.writeEndArray();
        } else if (v instanceof FixedSizeListVector l) {
            g.writeStartArray();
            FieldVector data = l.getDataVector();
            int n = l.getListSize();
            for (int j = i * n; j < (i + 1) * n; j++) writeJson(g, data, j);
            g.writeEndArray();
        } else if (v instanceof StructVector s) {
            g.writeStartObject();
            for (FieldVector c : s.getChildrenFromFields()) {
                g.writeFieldName(c.getName());
                writeJson(g, c, i);
            }
            g.writeEndObject();
        } else {
            g.writeString(scalarText(v, i));
        }
    }

    /** Maps as JSON objects (keys rendered as text), as arrow-json writes them. */
    private static void writeMap(JsonGenerator g, MapVector m, int i) throws IOException {
        StructVector entries = (StructVector) m.getDataVector();
        List<FieldVector> kv = entries.getChildrenFromFields();
        g.writeStartObject();
        for (int j = m.getElementStartIndex(i); j < m.getElementEndIndex(i); j++) {
            g.writeFieldName(kv.get(0).isNull(j) ? "null" : scalarTextOrJson(kv.get(0), j));
            writeJson(g, kv.get(1), j);
        }
        g.writeEndObject();
    }

    /** Text of a non-null cell for CSV: scalars as text, nested values as JSON. Null → null. */
    static String text(FieldVector v, int i) {
        if (v.isNull(i) || v instanceof NullVector) return null;
        return scalarTextOrJson(v, i);
    }

    private static String scalarTextOrJson(FieldVector v, int i) {
        if (v instanceof ListVector || v instanceof LargeListVector || v instanceof FixedSizeListVector || v instanceof StructVector) {
            StringWriter w = new StringWriter();
            try (JsonGenerator g = JSON.createGenerator(w)) {
                writeJson(g, v, i);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return w.toString();
        }
        if (v instanceof BaseIntVector || v instanceof Float8Vector || v instanceof Float4Vector) {
            if (v instanceof UInt8Vector x) return Long.toUnsignedString(x.get(i));
            if (v instanceof UInt4Vector x) return Integer.toUnsignedString(x.get(i));
            if (v instanceof UInt1Vector x) return Integer.toString(Byte.toUnsignedInt(x.get(i)));
            return String.valueOf(v.getObject(i));
        }
        if (v instanceof DecimalVector x) return x.getObject(i).toPlainString();
        if (v instanceof Decimal256Vector x) return x.getObject(i).toPlainString();
        if (v instanceof BitVector x) return x.get(i) != 0 ? "true" : "false";
        return scalarText(v, i);
    }

    private static String scalarText(FieldVector v, int i) {
        ArrowType t = v.getField().getType();
        if (v instanceof TimeStampVector ts) {
            ArrowType.Timestamp tt = (ArrowType.Timestamp) t;
            Instant instant = instant(ts.get(i), tt.getUnit());
            return tt.getTimezone() == null ? naive(LocalDateTime.ofInstant(instant, ZoneOffset.UTC)) : instant.toString();
        }
        if (v instanceof DateDayVector d) return LocalDate.ofEpochDay(d.get(i)).toString();
        if (v instanceof DateMilliVector d) return LocalDate.ofEpochDay(Math.floorDiv(d.get(i), 86_400_000L)).toString();
        if (v instanceof TimeMicroVector x) return time(LocalTime.ofNanoOfDay(x.get(i) * 1_000L));
        if (v instanceof TimeMilliVector x) return time(LocalTime.ofNanoOfDay(x.get(i) * 1_000_000L));
        if (v instanceof TimeNanoVector x) return time(LocalTime.ofNanoOfDay(x.get(i)));
        if (v instanceof TimeSecVector x) return time(LocalTime.ofSecondOfDay(x.get(i)));
        if (v instanceof VarBinaryVector b) return HexFormat.of().formatHex(b.get(i));
        if (v instanceof LargeVarBinaryVector b) return HexFormat.of().formatHex(b.get(i));
        if (v instanceof FixedSizeBinaryVector b) return HexFormat.of().formatHex(b.get(i));
        Object o = v.getObject(i);
        if (o instanceof BigDecimal bd) return bd.toPlainString();
        return String.valueOf(o); // strings (Text), intervals/durations (ISO-8601), anything else
    }

    static Instant instant(long value, TimeUnit unit) {
        return switch (unit) {
            case SECOND -> Instant.ofEpochSecond(value);
            case MILLISECOND -> Instant.ofEpochMilli(value);
            case MICROSECOND -> Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000L), Math.floorMod(value, 1_000_000L) * 1_000L);
            case NANOSECOND -> Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000_000L), Math.floorMod(value, 1_000_000_000L));
        };
    }

    /** Like {@link Instant#toString()} without the zone: seconds always shown, fraction in 3/6/9 digits. */
    private static String naive(LocalDateTime t) {
        String s = Instant.ofEpochSecond(t.toEpochSecond(ZoneOffset.UTC), t.getNano()).toString();
        return s.substring(0, s.length() - 1);
    }

    private static String time(LocalTime t) {
        String s = naive(LocalDateTime.of(LocalDate.EPOCH, t));
        return s.substring(s.indexOf('T') + 1);
    }
}
