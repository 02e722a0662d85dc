package dev.sluice.data.read;

import dev.sluice.data.OdfArrow;
import dev.sluice.odf.DataType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Arrays;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.DurationVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.LargeVarBinaryVector;
import org.apache.arrow.vector.LargeVarCharVector;
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
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Writes textual values (UTF-8 bytes) into one leaf Arrow vector, converting to the vector's type. Created once per
 * column; the vector object stays the same across batches (it is cleared and reallocated, not replaced).
 */
abstract class Sink {
    final FieldVector vector;
    final String name;
    final String kind;
    final boolean nullable;
    final Fail fail;

    Sink(FieldVector vector) {
        this.vector = vector;
        this.name = vector.getName();
        DataType t = OdfArrow.dataType(vector.getField());
        if (t instanceof DataType.Option o) t = o.inner();
        this.kind = describe(t);
        this.nullable = vector.getField().isNullable();
        this.fail = Fail.as("as " + kind);
    }

    static String describe(DataType t) {
        if (t instanceof DataType.Decimal d) return "Decimal(" + d.precision() + "," + d.scale() + ")";
        return t.kind();
    }

    /** Sets row/slot {@code i} from the text b[off, off+len). */
    abstract void set(int i, byte[] b, int off, int len) throws Fail;

    /** Sets from an integer (JSON number, Parquet int): by default through its text. */
    void setLong(int i, long v) throws Fail {
        byte[] t = Long.toString(v).getBytes(StandardCharsets.ISO_8859_1);
        set(i, t, 0, t.length);
    }

    void setNull(int i) {
        vector.setNull(i);
    }

    /** Text values are kept as is (quoted empty CSV fields stay empty strings rather than null). */
    boolean isText() {
        return false;
    }

    /** A reader has filled rows [0, n) of the batch (a staged sink copies its values into the vector now). */
    void endBatch(int n) {}

    /**
     * Like {@link #of(FieldVector, Formats)}, but the common types (strings, 32/64-bit integers, doubles, timestamps)
     * gather a batch's values on the heap and copy them into the vector at {@link #endBatch}: per-value Arrow writes
     * cost bounds and reference-count checks. Rows must be set in ascending order, each at most once (as a CSV reader
     * does); rows not set are null.
     */
    static Sink staged(FieldVector v, Formats fmt) {
        if (v instanceof VarCharVector) return new Utf8Sink(v) {
            final VarStage stage = new VarStage((VarCharVector) v);

            @Override
            void put(int i, byte[] b, int off, int len) {
                stage.put(i, b, off, len);
            }

            @Override
            void setNull(int i) {
                stage.skipTo(i + 1);
            }

            @Override
            void endBatch(int n) {
                stage.flush(n);
            }
        };
        if (v instanceof BigIntVector || v instanceof IntVector) {
            boolean wide = v instanceof BigIntVector;
            return new IntSink(v, wide ? Long.MIN_VALUE : Integer.MIN_VALUE, wide ? Long.MAX_VALUE : Integer.MAX_VALUE) {
                final FixedStage stage = new FixedStage((BaseFixedWidthVector) v, wide ? 8 : 4);

                @Override
                void put(int i, long val) {
                    stage.put(i, val);
                }

                @Override
                void setNull(int i) {
                    stage.skipTo(i + 1);
                }

                @Override
                void endBatch(int n) {
                    stage.flush(n);
                }
            };
        }
        if (v instanceof Float8Vector) return new Sink(v) {
            final FixedStage stage = new FixedStage((BaseFixedWidthVector) v, 8);

            @Override
            void set(int i, byte[] b, int off, int len) throws Fail {
                stage.put(i, Double.doubleToRawLongBits(Parse.float64(b, off, len, fail)));
            }

            @Override
            void setLong(int i, long val) {
                stage.put(i, Double.doubleToRawLongBits((double) val));
            }

            @Override
            void setNull(int i) {
                stage.skipTo(i + 1);
            }

            @Override
            void endBatch(int n) {
                stage.flush(n);
            }
        };
        if (v instanceof TimeStampVector x) return new TimestampSink(x, fmt.timestamp, new FixedStage(x, 8));
        return of(v, fmt);
    }

    static Sink of(FieldVector v, Formats fmt) {
        ArrowType t = v.getField().getType();
        if (v instanceof VarCharVector s) return new Utf8Sink(v) {
            @Override
            void put(int i, byte[] b, int off, int len) {
                s.setSafe(i, b, off, len);
            }
        };
        if (v instanceof LargeVarCharVector s) return new Utf8Sink(v) {
            @Override
            void put(int i, byte[] b, int off, int len) {
                s.setSafe(i, b, off, len);
            }
        };
        if (v instanceof BigIntVector x) return new IntSink(v, Long.MIN_VALUE, Long.MAX_VALUE) {
            @Override
            void put(int i, long val) {
                x.setSafe(i, val);
            }
        };
        if (v instanceof IntVector x) return new IntSink(v, Integer.MIN_VALUE, Integer.MAX_VALUE) {
            @Override
            void put(int i, long val) {
                x.setSafe(i, (int) val);
            }
        };
        if (v instanceof SmallIntVector x) return new IntSink(v, Short.MIN_VALUE, Short.MAX_VALUE) {
            @Override
            void put(int i, long val) {
                x.setSafe(i, (short) val);
            }
        };
        if (v instanceof TinyIntVector x) return new IntSink(v, Byte.MIN_VALUE, Byte.MAX_VALUE) {
            @Override
            void put(int i, long val) {
                x.setSafe(i, (byte) val);
            }
        };
        if (v instanceof UInt1Vector x) return new IntSink(v, 0, 255) {
            @Override
            void put(int i, long val) {
                x.setSafe(i, (int) val);
            }
        };
        if (v instanceof UInt2Vector x) return new IntSink(v, 0, 65535) {
            @Override
            void put(int i, long val) {
                x.setSafe(i, (char) val);
            }
        };
        if (v instanceof UInt4Vector x) return new IntSink(v, 0, 0xFFFF_FFFFL) {
            @Override
            void put(int i, long val) {
                x.setSafe(i, (int) val);
            }
        };
        if (v instanceof UInt8Vector x) return new Sink(v) {
            @Override
            void set(int i, byte[] b, int off, int len) throws Fail {
                x.setSafe(i, Parse.uint64(b, off, len, fail));
            }

            @Override
            void setLong(int i, long val) throws Fail {
                if (val < 0) throw fail;
                x.setSafe(i, val);
            }
        };
        if (v instanceof Float8Vector x) return new Sink(v) {
            @Override
            void set(int i, byte[] b, int off, int len) throws Fail {
                x.setSafe(i, Parse.float64(b, off, len, fail));
            }

            @Override
            void setLong(int i, long val) {
                x.setSafe(i, (double) val);
            }
        };
        if (v instanceof Float4Vector x) return new Sink(v) {
            @Override
            void set(int i, byte[] b, int off, int len) throws Fail {
                x.setSafe(i, (float) Parse.float64(b, off, len, fail));
            }

            @Override
            void setLong(int i, long val) {
                x.setSafe(i, (float) val);
            }
        };
        if (v instanceof BitVector x) return new Sink(v) {
            @Override
            void set(int i, byte[] b, int off, int len) throws Fail {
                x.setSafe(i, Parse.bool(b, off, len, fail) ? 1 : 0);
            }
        };
        if (v instanceof TimeStampVector x) return new TimestampSink(x, fmt.timestamp, null);
        if (v instanceof DateDayVector x) return new DateSink(v, fmt.date) {
            @Override
            void put(int i, int day) {
                x.setSafe(i, day);
            }
        };
        if (v instanceof DateMilliVector x) return new DateSink(v, fmt.date) {
            @Override
            void put(int i, int day) {
                x.setSafe(i, day * 86_400_000L);
            }
        };
        if (v instanceof DecimalVector x) return new DecimalSink(v, ((ArrowType.Decimal) t)) {
            @Override
            void put(int i, BigDecimal d) {
                x.setSafe(i, d);
            }
        };
        if (v instanceof Decimal256Vector x) return new DecimalSink(v, ((ArrowType.Decimal) t)) {
            @Override
            void put(int i, BigDecimal d) {
                x.setSafe(i, d);
            }
        };
        if (v instanceof TimeSecVector x) return new TimeSink(v, 1_000_000_000L) {
            @Override
            void put(int i, long val) {
                x.setSafe(i, (int) val);
            }
        };
        if (v instanceof TimeMilliVector x) return new TimeSink(v, 1_000_000L) {
            @Override
            void put(int i, long val) {
                x.setSafe(i, (int) val);
            }
        };
        if (v instanceof TimeMicroVector x) return new TimeSink(v, 1_000L) {
            @Override
            void put(int i, long val) {
                x.setSafe(i, val);
            }
        };
        if (v instanceof TimeNanoVector x) return new TimeSink(v, 1L) {
            @Override
            void put(int i, long val) {
                x.setSafe(i, val);
            }
        };
        if (v instanceof DurationVector x) return new Sink(v) {
            @Override
            void set(int i, byte[] b, int off, int len) throws Fail {
                x.setSafe(i, Parse.int64(b, off, len, fail));
            }
        };
        if (v instanceof VarBinaryVector x) return new Sink(v) {
            @Override
            void set(int i, byte[] b, int off, int len) {
                x.setSafe(i, b, off, len);
            }

            @Override
            boolean isText() {
                return true;
            }
        };
        if (v instanceof LargeVarBinaryVector x) return new Sink(v) {
            @Override
            void set(int i, byte[] b, int off, int len) {
                x.setSafe(i, b, off, len);
            }

            @Override
            boolean isText() {
                return true;
            }
        };
        if (v instanceof FixedSizeBinaryVector x) return new Sink(v) {
            @Override
            void set(int i, byte[] b, int off, int len) throws Fail {
                if (len != x.getByteWidth()) throw Fail.as("as " + kind + "(" + x.getByteWidth() + ") (length " + len + ")");
                byte[] c = new byte[len];
                System.arraycopy(b, off, c, 0, len);
                x.setSafe(i, c);
            }
        };
        if (v instanceof NullVector) return new Sink(v) {
            @Override
            void set(int i, byte[] b, int off, int len) throws Fail {
                throw Fail.as("as Null (only null values fit)");
            }

            @Override
            void setNull(int i) {}
        };
        return null;
    }

    // ---- kinds -------------------------------------------------------------------------------------------------

    abstract static class Utf8Sink extends Sink {
        Utf8Sink(FieldVector v) {
            super(v);
        }

        abstract void put(int i, byte[] b, int off, int len);

        @Override
        void set(int i, byte[] b, int off, int len) throws Fail {
            int bad = Parse.invalidUtf8(b, off, len);
            if (bad >= 0) throw badUtf8(bad - off, b[bad]);
            put(i, b, off, len);
        }

        @Override
        boolean isText() {
            return true;
        }
    }

    /** Fail for an invalid UTF-8 byte at {@code pos} within the value. */
    static Fail badUtf8(int pos, byte bad) {
        Fail f = Fail.reason(String.format("invalid UTF-8 (byte 0x%02X at position %d of the value)", bad & 0xFF, pos));
        return f;
    }

    abstract static class IntSink extends Sink {
        final long min, max;

        IntSink(FieldVector v, long min, long max) {
            super(v);
            this.min = min;
            this.max = max;
        }

        abstract void put(int i, long v);

        @Override
        final void set(int i, byte[] b, int off, int len) throws Fail {
            long x = Parse.int64(b, off, len, fail);
            if (x < min || x > max) throw Fail.as("as " + kind + " (out of range)");
            put(i, x);
        }

        @Override
        final void setLong(int i, long x) throws Fail {
            if (x < min || x > max) {
                throw Fail.reason("cannot parse '" + x + "' as " + kind + " (out of range)");
            }
            put(i, x);
        }
    }

    static final class TimestampSink extends Sink {
        final TimeStampVector x;
        final long perSecond;
        final long nanosPerUnit;
        final DateTimeFormatter format;
        final long[] tmp = new long[2];
        final Parse.LastDate lastDate = new Parse.LastDate();
        final FixedStage stage; // null: straight into the vector

        TimestampSink(TimeStampVector x, DateTimeFormatter format, FixedStage stage) {
            super(x);
            this.x = x;
            this.format = format;
            this.stage = stage;
            switch (((ArrowType.Timestamp) x.getField().getType()).getUnit()) {
                case SECOND -> perSecond = 1;
                case MILLISECOND -> perSecond = 1000;
                case MICROSECOND -> perSecond = 1_000_000;
                default -> perSecond = 1_000_000_000;
            }
            nanosPerUnit = 1_000_000_000L / perSecond;
        }

        @Override
        void set(int i, byte[] b, int off, int len) throws Fail {
            if (format == null) {
                Parse.timestamp(b, off, len, tmp, fail, lastDate);
            } else {
                Instant t = Formats.parseInstant(format, b, off, len, fail);
                tmp[0] = t.getEpochSecond();
                tmp[1] = t.getNano();
            }
            long v;
            try {
                v = Math.multiplyExact(tmp[0], perSecond);
                if (tmp[1] != 0) v = Math.addExact(v, tmp[1] / nanosPerUnit);
            } catch (ArithmeticException e) {
                throw Fail.as("as " + kind + " (out of range)");
            }
            if (stage != null) stage.put(i, v);
            else x.setSafe(i, v);
        }

        /** An integer is taken as a value in the column's unit since the epoch. */
        @Override
        void setLong(int i, long val) {
            if (stage != null) stage.put(i, val);
            else x.setSafe(i, val);
        }

        @Override
        void setNull(int i) {
            if (stage != null) stage.skipTo(i + 1);
            else super.setNull(i);
        }

        @Override
        void endBatch(int n) {
            if (stage != null) stage.flush(n);
        }
    }

    abstract static class DateSink extends Sink {
        final DateTimeFormatter format;
        final long[] tmp = new long[2];

        DateSink(FieldVector v, DateTimeFormatter format) {
            super(v);
            this.format = format;
        }

        abstract void put(int i, int day);

        @Override
        void set(int i, byte[] b, int off, int len) throws Fail {
            int day;
            if (format == null) {
                day = Parse.date(b, off, len, tmp, fail);
            } else {
                day = Formats.parseDate(format, b, off, len, fail);
            }
            put(i, day);
        }

        /** An integer is days since the epoch. */
        @Override
        void setLong(int i, long val) throws Fail {
            if (val < Integer.MIN_VALUE || val > Integer.MAX_VALUE) throw Fail.reason("cannot parse '" + val + "' as Date (out of range)");
            put(i, (int) val);
        }
    }

    abstract static class TimeSink extends Sink {
        final long nanosPerUnit;

        TimeSink(FieldVector v, long nanosPerUnit) {
            super(v);
            this.nanosPerUnit = nanosPerUnit;
        }

        abstract void put(int i, long v);

        @Override
        void set(int i, byte[] b, int off, int len) throws Fail {
            put(i, Parse.timeOfDay(b, off, len, fail) / nanosPerUnit);
        }
    }

    abstract static class DecimalSink extends Sink {
        final int precision, scale;

        DecimalSink(FieldVector v, ArrowType.Decimal t) {
            super(v);
            this.precision = t.getPrecision();
            this.scale = t.getScale();
        }

        abstract void put(int i, BigDecimal d);

        @Override
        void set(int i, byte[] b, int off, int len) throws Fail {
            int s = off, e = off + len;
            while (s < e && Parse.isSpace(b[s])) s++;
            while (e > s && Parse.isSpace(b[e - 1])) e--;
            for (int k = s; k < e; k++) {
                byte c = b[k];
                if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) throw fail;
            }
            if (s == e || e - s > 200) throw fail;
            BigDecimal d;
            try {
                d = new BigDecimal(new String(b, s, e - s, StandardCharsets.ISO_8859_1));
            } catch (NumberFormatException ex) {
                throw fail;
            }
            setDecimal(i, d);
        }

        void setDecimal(int i, BigDecimal d) throws Fail {
            try {
                d = d.setScale(scale, RoundingMode.UNNECESSARY);
            } catch (ArithmeticException ex) {
                throw Fail.as("as " + kind + " (more than " + scale + " fraction digits)");
            }
            if (d.precision() > precision) throw Fail.as("as " + kind + " (more than " + precision + " digits)");
            put(i, d);
        }

        @Override
        void setLong(int i, long v) throws Fail {
            setDecimal(i, BigDecimal.valueOf(v));
        }
    }

    // ---- custom date/time formats ------------------------------------------------------------------------------

    /** Date and timestamp formats of a read step: null formatter = RFC 3339 fast path. */
    static final class Formats {
        final DateTimeFormatter date;
        final DateTimeFormatter timestamp;

        static final Formats RFC3339 = new Formats(null, null);

        Formats(DateTimeFormatter date, DateTimeFormatter timestamp) {
            this.date = date;
            this.timestamp = timestamp;
        }

        static Formats of(String dateFormat, String timestampFormat) {
            return new Formats(formatter(dateFormat, "dateFormat"), formatter(timestampFormat, "timestampFormat"));
        }

        /**
         * null / "rfc3339" / "iso8601" → built-in; a pattern with {@code %} is read as strftime (%Y %m %d %H %M %S %f
         * %z %:z %b %y %j %e %T %F %%); anything else as a Java {@link DateTimeFormatter} pattern.
         */
        static DateTimeFormatter formatter(String f, String option) {
            if (f == null || f.isEmpty() || f.equalsIgnoreCase("rfc3339") || f.equalsIgnoreCase("iso8601") || f.equalsIgnoreCase("rfc-3339")) {
                return null;
            }
            String p = f.indexOf('%') >= 0 ? strftime(f) : f;
            try {
                return DateTimeFormatter.ofPattern(p, java.util.Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(option + " " + BadInputException.quote(f) + " is not a valid date/time pattern: " + e.getMessage());
            }
        }

        private static String strftime(String f) {
            StringBuilder b = new StringBuilder();
            StringBuilder lit = new StringBuilder();
            for (int i = 0; i < f.length(); i++) {
                char c = f.charAt(i);
                if (c != '%' || i + 1 == f.length()) {
                    lit.append(c);
                    continue;
                }
                char d = f.charAt(++i);
                String r;
                switch (d) {
                    case 'Y' -> r = "uuuu";
                    case 'y' -> r = "uu";
                    case 'm' -> r = "MM";
                    case 'd' -> r = "dd";
                    case 'e' -> r = "d";
                    case 'H' -> r = "HH";
                    case 'M' -> r = "mm";
                    case 'S' -> r = "ss";
                    case 'f' -> r = "SSSSSSSSS";
                    case 'z' -> r = "xx";
                    case 'b' -> r = "MMM";
                    case 'j' -> r = "DDD";
                    case 'T' -> r = "HH:mm:ss";
                    case 'F' -> r = "uuuu-MM-dd";
                    case ':' -> {
                        if (i + 1 < f.length() && f.charAt(i + 1) == 'z') {
                            i++;
                            r = "xxx";
                        } else {
                            throw new BadInputException("unsupported strftime directive %: in " + BadInputException.quote(f));
                        }
                    }
                    case '.' -> {
                        if (i + 1 < f.length() && f.charAt(i + 1) == 'f') {
                            i++;
                            r = null;
                            flush(b, lit);
                            b.append("[.SSSSSSSSS]");
                            continue;
                        }
                        throw new BadInputException("unsupported strftime directive %. in " + BadInputException.quote(f));
                    }
                    case '%' -> {
                        lit.append('%');
                        continue;
                    }
                    default -> throw new BadInputException("unsupported strftime directive %" + d + " in " + BadInputException.quote(f));
                }
                flush(b, lit);
                b.append(r);
            }
            flush(b, lit);
            return b.toString();
        }

        private static void flush(StringBuilder b, StringBuilder lit) {
            if (lit.length() == 0) return;
            b.append('\'').append(lit.toString().replace("'", "''")).append('\'');
            lit.setLength(0);
        }

        static Instant parseInstant(DateTimeFormatter f, byte[] b, int off, int len, Fail fail) throws Fail {
            String s = new String(b, off, len, StandardCharsets.UTF_8).strip();
            try {
                TemporalAccessor t = f.parse(s);
                LocalDate d = LocalDate.from(t);
                LocalTime tm = t.isSupported(ChronoField.HOUR_OF_DAY) ? LocalTime.from(t) : LocalTime.MIDNIGHT;
                ZoneOffset off0 = t.isSupported(ChronoField.OFFSET_SECONDS) ? ZoneOffset.ofTotalSeconds(t.get(ChronoField.OFFSET_SECONDS)) : ZoneOffset.UTC;
                return LocalDateTime.of(d, tm).toInstant(off0);
            } catch (java.time.DateTimeException e) {
                throw fail;
            }
        }

        static int parseDate(DateTimeFormatter f, byte[] b, int off, int len, Fail fail) throws Fail {
            String s = new String(b, off, len, StandardCharsets.UTF_8).strip();
            try {
                return Math.toIntExact(LocalDate.from(f.parse(s)).toEpochDay());
            } catch (java.time.DateTimeException | ArithmeticException e) {
                throw fail;
            }
        }
    }

    // ---- staging -----------------------------------------------------------------------------------------------

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** One batch of a 4- or 8-byte column on the heap, in Arrow's layout (little-endian values, validity bits). */
    static final class FixedStage {
        private final BaseFixedWidthVector vector;
        private final int width;
        private byte[] data = new byte[0];
        private byte[] valid = new byte[0];
        private int rows; // rows [0, rows) are staged; rows skipped are null with zero bytes

        FixedStage(BaseFixedWidthVector vector, int width) {
            this.vector = vector;
            this.width = width;
        }

        void put(int i, long x) {
            if (i != rows) skipTo(i);
            ensure(i + 1);
            if (width == 8) LONG.set(data, i * 8, x);
            else INT.set(data, i * 4, (int) x);
            valid[i >>> 3] |= (byte) (1 << (i & 7));
            rows = i + 1;
        }

        /** Rows up to {@code n} not set so far are null. */
        void skipTo(int n) {
            if (n <= rows) return;
            ensure(n);
            Arrays.fill(data, rows * width, n * width, (byte) 0);
            rows = n;
        }

        void flush(int n) {
            skipTo(n);
            if (vector.getValueCapacity() < n) vector.allocateNew(n);
            int validBytes = (n + 7) >>> 3;
            vector.getDataBuffer().setBytes(0, data, 0, (long) n * width);
            vector.getValidityBuffer().setBytes(0, valid, 0, validBytes);
            Arrays.fill(valid, 0, validBytes, (byte) 0);
            rows = 0;
        }

        private void ensure(int n) {
            if (data.length < n * width) data = Arrays.copyOf(data, Math.max(n * width, data.length * 2));
            if (valid.length < ((n + 7) >>> 3)) valid = Arrays.copyOf(valid, Math.max((n + 7) >>> 3, valid.length * 2));
        }
    }

    /** One batch of a string column on the heap, in Arrow's layout (bytes, 32-bit offsets, validity bits). */
    static final class VarStage {
        private final VarCharVector vector;
        private byte[] data = new byte[1 << 16];
        private int dataLen;
        private byte[] offsets = new byte[4]; // offset of row k at 4k; offset 0 stays 0
        private byte[] valid = new byte[0];
        private int rows;

        VarStage(VarCharVector vector) {
            this.vector = vector;
        }

        void put(int i, byte[] b, int off, int len) {
            if (i != rows) skipTo(i);
            ensureRows(i + 1);
            if (data.length - dataLen < len) data = Arrays.copyOf(data, Math.max(dataLen + len, data.length * 2));
            System.arraycopy(b, off, data, dataLen, len);
            dataLen += len;
            INT.set(offsets, (i + 1) * 4, dataLen);
            valid[i >>> 3] |= (byte) (1 << (i & 7));
            rows = i + 1;
        }

        /** Rows up to {@code n} not set so far are null (empty). */
        void skipTo(int n) {
            if (n <= rows) return;
            ensureRows(n);
            for (int k = rows; k < n; k++) INT.set(offsets, (k + 1) * 4, dataLen);
            rows = n;
        }

        void flush(int n) {
            skipTo(n);
            int validBytes = (n + 7) >>> 3;
            vector.allocateNew(Math.max(dataLen, 1), n);
            vector.getDataBuffer().setBytes(0, data, 0, dataLen);
            vector.getOffsetBuffer().setBytes(0, offsets, 0, (n + 1L) * 4);
            vector.getValidityBuffer().setBytes(0, valid, 0, validBytes);
            vector.setLastSet(n - 1);
            Arrays.fill(valid, 0, validBytes, (byte) 0);
            dataLen = 0;
            rows = 0;
        }

        private void ensureRows(int n) {
            if (offsets.length < (n + 1) * 4) offsets = Arrays.copyOf(offsets, Math.max((n + 1) * 4, offsets.length * 2));
            if (valid.length < ((n + 7) >>> 3)) valid = Arrays.copyOf(valid, Math.max((n + 7) >>> 3, valid.length * 2));
        }
    }
}
