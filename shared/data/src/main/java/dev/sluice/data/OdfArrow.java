package dev.sluice.data;

import dev.sluice.odf.DataField;
import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Mapping between the ODF logical schema ({@link DataSchema}, RFC-016), the legacy DDL column list
 * ({@code ["match_time TIMESTAMP", "score BIGINT"]}) and Arrow schemas.
 *
 * <ul>
 *   <li>{@code Option(inner)} ↔ a nullable field; every other ODF type is non-nullable.
 *   <li>Timestamp with no unit/zone → {@code Timestamp(ms, "UTC")} (the ODF defaults); Date → Date32; String → Utf8;
 *       List → List with an {@code item} child; Struct → Struct; Map → Map with {@code entries{key, value}}.
 *   <li>DDL columns are nullable (as kamu's DDL-derived schemas are) unless followed by {@code NOT NULL}.
 * </ul>
 *
 * Invalid schemas throw {@link IllegalArgumentException} with a one-line message.
 */
public final class OdfArrow {
    private OdfArrow() {}

    // ---- ODF → Arrow ---------------------------------------------------------------------------------------------

    public static Schema toArrow(DataSchema schema) {
        List<Field> fs = new ArrayList<>(schema.fields().size());
        for (DataField f : schema.fields()) fs.add(toArrow(f));
        return new Schema(fs);
    }

    public static Field toArrow(DataField f) {
        return toArrow(f.name(), f.type());
    }

    public static Field toArrow(String name, DataType t) {
        boolean nullable = false;
        while (t instanceof DataType.Option o) {
            nullable = true;
            t = o.inner();
        }
        if (t == null) throw new IllegalArgumentException("column '" + name + "' has no type");
        if (t instanceof DataType.List l) {
            Field item = toArrow("item", l.itemType());
            ArrowType at = l.fixedLength() != null ? new ArrowType.FixedSizeList(Math.toIntExact(l.fixedLength())) : ArrowType.List.INSTANCE;
            return new Field(name, new FieldType(nullable, at, null), List.of(item));
        }
        if (t instanceof DataType.Struct s) {
            List<Field> ch = new ArrayList<>();
            for (DataField c : s.fields()) ch.add(toArrow(c));
            return new Field(name, new FieldType(nullable, ArrowType.Struct.INSTANCE, null), ch);
        }
        if (t instanceof DataType.Map m) {
            Field key = toArrow("key", m.keyType());
            if (key.isNullable()) key = new Field("key", new FieldType(false, key.getType(), null), key.getChildren());
            Field entries = new Field("entries", new FieldType(false, ArrowType.Struct.INSTANCE, null),
                    List.of(key, toArrow("value", m.valueType())));
            return new Field(name, new FieldType(nullable, new ArrowType.Map(Boolean.TRUE.equals(m.keysSorted())), null), List.of(entries));
        }
        if (t instanceof DataType.Null) return new Field(name, new FieldType(true, ArrowType.Null.INSTANCE, null), null);
        return new Field(name, new FieldType(nullable, primitive(t), null), null);
    }

    private static ArrowType primitive(DataType t) {
        if (t instanceof DataType.Binary b) {
            return b.fixedLength() != null ? new ArrowType.FixedSizeBinary(Math.toIntExact(b.fixedLength())) : ArrowType.Binary.INSTANCE;
        }
        if (t instanceof DataType.Bool) return ArrowType.Bool.INSTANCE;
        if (t instanceof DataType.Date) return new ArrowType.Date(DateUnit.DAY);
        if (t instanceof DataType.Decimal d) return new ArrowType.Decimal(d.precision(), d.scale(), d.precision() > 38 ? 256 : 128);
        if (t instanceof DataType.Duration d) return new ArrowType.Duration(unit(d.unit()));
        if (t instanceof DataType.Float16) return new ArrowType.FloatingPoint(FloatingPointPrecision.HALF);
        if (t instanceof DataType.Float32) return new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
        if (t instanceof DataType.Float64) return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
        if (t instanceof DataType.Int8) return new ArrowType.Int(8, true);
        if (t instanceof DataType.Int16) return new ArrowType.Int(16, true);
        if (t instanceof DataType.Int32) return new ArrowType.Int(32, true);
        if (t instanceof DataType.Int64) return new ArrowType.Int(64, true);
        if (t instanceof DataType.UInt8) return new ArrowType.Int(8, false);
        if (t instanceof DataType.UInt16) return new ArrowType.Int(16, false);
        if (t instanceof DataType.UInt32) return new ArrowType.Int(32, false);
        if (t instanceof DataType.UInt64) return new ArrowType.Int(64, false);
        if (t instanceof DataType.String) return ArrowType.Utf8.INSTANCE;
        if (t instanceof DataType.Time tm) {
            TimeUnit u = unit(tm.unit());
            return new ArrowType.Time(u, u == TimeUnit.SECOND || u == TimeUnit.MILLISECOND ? 32 : 64);
        }
        if (t instanceof DataType.Timestamp ts) return new ArrowType.Timestamp(unit(ts.unit()), ts.timezone() == null ? "UTC" : ts.timezone());
        throw new IllegalArgumentException("unsupported ODF type " + t.kind());
    }

    private static TimeUnit unit(dev.sluice.odf.TimeUnit u) {
        if (u == null) return TimeUnit.MILLISECOND;
        return switch (u) {
            case Second -> TimeUnit.SECOND;
            case Millisecond -> TimeUnit.MILLISECOND;
            case Microsecond -> TimeUnit.MICROSECOND;
            case Nanosecond -> TimeUnit.NANOSECOND;
        };
    }

    private static dev.sluice.odf.TimeUnit unit(TimeUnit u) {
        return switch (u) {
            case SECOND -> dev.sluice.odf.TimeUnit.Second;
            case MILLISECOND -> dev.sluice.odf.TimeUnit.Millisecond;
            case MICROSECOND -> dev.sluice.odf.TimeUnit.Microsecond;
            case NANOSECOND -> dev.sluice.odf.TimeUnit.Nanosecond;
        };
    }

    // ---- Arrow → ODF ---------------------------------------------------------------------------------------------

    public static DataSchema fromArrow(Schema schema) {
        List<DataField> fs = new ArrayList<>(schema.getFields().size());
        for (Field f : schema.getFields()) fs.add(fromArrow(f));
        return new DataSchema(fs, null);
    }

    public static DataField fromArrow(Field f) {
        return new DataField(f.getName(), dataType(f), null);
    }

    /** The ODF type of an Arrow field, wrapped in Option when the field is nullable. */
    public static DataType dataType(Field f) {
        ArrowType t = f.getType();
        DataType d = switch (t.getTypeID()) {
            case Null -> new DataType.Null();
            case Bool -> new DataType.Bool();
            case Int -> {
                ArrowType.Int i = (ArrowType.Int) t;
                yield switch (i.getBitWidth()) {
                    case 8 -> i.getIsSigned() ? new DataType.Int8() : new DataType.UInt8();
                    case 16 -> i.getIsSigned() ? new DataType.Int16() : new DataType.UInt16();
                    case 32 -> i.getIsSigned() ? new DataType.Int32() : new DataType.UInt32();
                    default -> i.getIsSigned() ? new DataType.Int64() : new DataType.UInt64();
                };
            }
            case FloatingPoint -> switch (((ArrowType.FloatingPoint) t).getPrecision()) {
                case HALF -> new DataType.Float16();
                case SINGLE -> new DataType.Float32();
                case DOUBLE -> new DataType.Float64();
            };
            case Utf8, LargeUtf8, Utf8View -> new DataType.String();
            case Binary, LargeBinary, BinaryView -> new DataType.Binary(null);
            case FixedSizeBinary -> new DataType.Binary((long) ((ArrowType.FixedSizeBinary) t).getByteWidth());
            case Decimal -> new DataType.Decimal(((ArrowType.Decimal) t).getPrecision(), ((ArrowType.Decimal) t).getScale());
            case Date -> new DataType.Date();
            case Time -> new DataType.Time(unit(((ArrowType.Time) t).getUnit()));
            case Timestamp -> new DataType.Timestamp(unit(((ArrowType.Timestamp) t).getUnit()), ((ArrowType.Timestamp) t).getTimezone());
            case Duration -> new DataType.Duration(unit(((ArrowType.Duration) t).getUnit()));
            case List, LargeList, ListView, LargeListView -> new DataType.List(dataType(f.getChildren().get(0)), null);
            case FixedSizeList -> new DataType.List(dataType(f.getChildren().get(0)), (long) ((ArrowType.FixedSizeList) t).getListSize());
            case Struct -> {
                List<DataField> ch = new ArrayList<>();
                for (Field c : f.getChildren()) ch.add(fromArrow(c));
                yield new DataType.Struct(ch);
            }
            case Map -> {
                Field entries = f.getChildren().get(0);
                yield new DataType.Map(dataType(entries.getChildren().get(0)), dataType(entries.getChildren().get(1)),
                        ((ArrowType.Map) t).getKeysSorted());
            }
            default -> throw new IllegalArgumentException("column '" + f.getName() + "': Arrow type " + t + " has no ODF equivalent");
        };
        return f.isNullable() && !(d instanceof DataType.Null) ? new DataType.Option(d) : d;
    }

    // ---- legacy DDL ----------------------------------------------------------------------------------------------

    /**
     * Parses the legacy DDL column list ({@code read.ddlSchema} / pre-0.37 {@code read.schema}). Each entry is one or
     * more comma-separated columns: {@code name TYPE}, {@code name: TYPE} or {@code `quoted name` TYPE}, optionally
     * followed by {@code NOT NULL}. Types: BOOLEAN, TINYINT, SMALLINT, INT/INTEGER, BIGINT, FLOAT/REAL, DOUBLE,
     * DECIMAL(p,s), STRING/VARCHAR(n)/TEXT/CHAR(n), UUID (as String), BINARY, DATE, TIME(p), TIMESTAMP(p),
     * ARRAY&lt;T&gt;, STRUCT&lt;name: T, ...&gt;, MAP&lt;K, V&gt;. Columns are nullable.
     */
    public static DataSchema parseDdl(List<String> ddl) {
        List<DataField> fs = new ArrayList<>();
        for (String s : ddl) {
            if (s == null) throw new IllegalArgumentException("null DDL column");
            Ddl p = new Ddl(s);
            p.skipWs();
            if (p.eof()) continue;
            do {
                fs.add(p.column(true));
                p.skipWs();
            } while (p.accept(','));
            if (!p.eof()) throw p.error("unexpected '" + p.rest() + "'");
        }
        return new DataSchema(fs, null);
    }

    /** Parses one DDL type, e.g. {@code DECIMAL(10,2)} (not wrapped in Option). */
    public static DataType parseDdlType(String type) {
        Ddl p = new Ddl(type);
        DataType t = p.type();
        p.skipWs();
        if (!p.eof()) throw p.error("unexpected '" + p.rest() + "'");
        return t;
    }

    private static final class Ddl {
        final String s;
        int i;

        Ddl(String s) {
            this.s = s;
        }

        boolean eof() {
            return i >= s.length();
        }

        String rest() {
            return s.substring(i);
        }

        void skipWs() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        boolean accept(char c) {
            skipWs();
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        void expect(char c) {
            if (!accept(c)) throw error("expected '" + c + "'");
        }

        IllegalArgumentException error(String msg) {
            return new IllegalArgumentException("bad DDL column '" + s + "' at " + i + ": " + msg);
        }

        String name() {
            skipWs();
            if (eof()) throw error("expected a column name");
            char q = s.charAt(i);
            if (q == '`' || q == '"') {
                StringBuilder b = new StringBuilder();
                i++;
                while (true) {
                    if (eof()) throw error("unterminated quoted name");
                    char c = s.charAt(i++);
                    if (c == q) {
                        if (i < s.length() && s.charAt(i) == q) {
                            b.append(q);
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        b.append(c);
                    }
                }
                return b.toString();
            }
            int st = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '$' || s.charAt(i) == '.')) i++;
            if (st == i) throw error("expected a column name");
            return s.substring(st, i);
        }

        String word() {
            skipWs();
            int st = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
            if (st == i) throw error("expected a type");
            return s.substring(st, i).toUpperCase(Locale.ROOT);
        }

        int number() {
            skipWs();
            int st = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
            if (st == i) throw error("expected a number");
            return Integer.parseInt(s.substring(st, Math.min(i, st + 9)));
        }

        DataField column(boolean nullable) {
            String n = name();
            accept(':');
            DataType t = type();
            skipWs();
            int save = i;
            if (!eof() && Character.isLetter(s.charAt(i))) {
                String w = word();
                if (w.equals("NOT") && word().equals("NULL")) {
                    nullable = false;
                } else if (!w.equals("NULL")) {
                    i = save;
                }
            }
            return new DataField(n, nullable ? new DataType.Option(t) : t, null);
        }

        DataType type() {
            String w = word();
            return switch (w) {
                case "BOOLEAN", "BOOL" -> new DataType.Bool();
                case "TINYINT", "BYTE", "INT8" -> new DataType.Int8();
                case "SMALLINT", "SHORT", "INT16" -> new DataType.Int16();
                case "INT", "INTEGER", "INT32" -> new DataType.Int32();
                case "BIGINT", "LONG", "INT64" -> new DataType.Int64();
                case "FLOAT", "REAL", "FLOAT32" -> new DataType.Float32();
                case "DOUBLE", "FLOAT64" -> {
                    skipWs();
                    int save = i;
                    if (!eof() && Character.isLetter(s.charAt(i)) && !word().equals("PRECISION")) i = save;
                    yield new DataType.Float64();
                }
                case "DECIMAL", "DEC", "NUMERIC" -> {
                    int p = 10, sc = 0;
                    if (accept('(')) {
                        p = number();
                        if (accept(',')) sc = number();
                        expect(')');
                    }
                    if (p < 1 || p > 76 || sc > p) throw error("invalid DECIMAL(" + p + "," + sc + ")");
                    yield new DataType.Decimal(p, sc);
                }
                case "STRING", "TEXT", "VARCHAR", "CHAR", "UUID" -> {
                    if (accept('(')) {
                        number();
                        expect(')');
                    }
                    yield new DataType.String();
                }
                case "BINARY", "BYTES", "BLOB", "VARBINARY" -> new DataType.Binary(null);
                case "DATE" -> new DataType.Date();
                case "TIME" -> new DataType.Time(precision(dev.sluice.odf.TimeUnit.Millisecond));
                case "TIMESTAMP", "DATETIME" -> {
                    dev.sluice.odf.TimeUnit u = precision(dev.sluice.odf.TimeUnit.Millisecond);
                    yield new DataType.Timestamp(u, "UTC");
                }
                case "ARRAY" -> {
                    expect('<');
                    DataType item = type();
                    expect('>');
                    yield new DataType.List(new DataType.Option(item), null);
                }
                case "MAP" -> {
                    expect('<');
                    DataType k = type();
                    expect(',');
                    DataType v = type();
                    expect('>');
                    yield new DataType.Map(k, new DataType.Option(v), null);
                }
                case "STRUCT" -> {
                    expect('<');
                    List<DataField> fs = new ArrayList<>();
                    if (!accept('>')) {
                        do {
                            fs.add(column(true));
                        } while (accept(','));
                        expect('>');
                    }
                    yield new DataType.Struct(fs);
                }
                default -> throw error("unknown type " + w);
            };
        }

        dev.sluice.odf.TimeUnit precision(dev.sluice.odf.TimeUnit dflt) {
            if (!accept('(')) return dflt;
            int p = number();
            expect(')');
            if (p == 0) return dev.sluice.odf.TimeUnit.Second;
            if (p <= 3) return dev.sluice.odf.TimeUnit.Millisecond;
            if (p <= 6) return dev.sluice.odf.TimeUnit.Microsecond;
            if (p <= 9) return dev.sluice.odf.TimeUnit.Nanosecond;
            throw error("precision " + p + " > 9");
        }
    }
}
