package dev.sluice.data.read;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * Schema inference from sample records. JSON values: the type lattice null &lt; bool | int &lt; float | string | object |
 * list (mixed scalars → string). CSV text ({@link Text}): the narrowest of bool, int, float, date, timestamp that parses
 * every sampled value, else string.
 */
final class InferredType {
    static final int NULL = 0, BOOL = 1, INT = 2, FLOAT = 3, STRING = 4, OBJ = 5, LIST = 6, DATE = 7, TIMESTAMP = 8;

    int kind;
    final Map<String, InferredType> fields = new LinkedHashMap<>();
    InferredType elem;

    static final class Obj {
        final InferredType t = new InferredType();

        Obj() {
            t.kind = OBJ;
        }

        List<Field> toFields() {
            List<Field> out = new ArrayList<>();
            for (var e : t.fields.entrySet()) out.add(e.getValue().toField(e.getKey()));
            return out;
        }
    }

    private void merge(int k) {
        if (k == NULL || kind == k || kind == STRING) return;
        if (kind == NULL) kind = k;
        else if ((kind == INT && k == FLOAT) || (kind == FLOAT && k == INT)) kind = FLOAT;
        else kind = STRING; // mixed
    }

    /** p is at START_OBJECT of a record: copies it to gen and learns its shape into obj. */
    static void learnObject(JsonParser p, Obj obj, JsonGenerator gen) throws IOException {
        learn(p, obj.t, gen);
    }

    /** p is at the value of member {@code name} of a record being written to gen: copies it and learns its type. */
    static void learnField(JsonParser p, Obj obj, String name, JsonGenerator gen) throws IOException {
        gen.writeFieldName(name);
        learn(p, obj.t.fields.computeIfAbsent(name, k -> new InferredType()), gen);
    }

    private static void learn(JsonParser p, InferredType t, JsonGenerator gen) throws IOException {
        JsonToken tok = p.currentToken();
        switch (tok) {
            case START_OBJECT -> {
                t.merge(OBJ);
                gen.writeStartObject();
                JsonToken x;
                while ((x = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    gen.writeFieldName(name);
                    p.nextToken();
                    InferredType c = t.kind == OBJ ? t.fields.computeIfAbsent(name, k -> new InferredType()) : new InferredType();
                    learn(p, c, gen);
                }
                if (x == null) throw new BadInputException("truncated JSON: unexpected end of input at line "
                        + p.currentLocation().getLineNr() + ", column " + p.currentLocation().getColumnNr());
                gen.writeEndObject();
            }
            case START_ARRAY -> {
                t.merge(LIST);
                gen.writeStartArray();
                InferredType e = t.kind == LIST ? (t.elem == null ? t.elem = new InferredType() : t.elem) : new InferredType();
                JsonToken x;
                while ((x = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (x == null) throw new BadInputException("truncated JSON: unexpected end of input at line "
                            + p.currentLocation().getLineNr() + ", column " + p.currentLocation().getColumnNr());
                    learn(p, e, gen);
                }
                gen.writeEndArray();
            }
            case VALUE_STRING -> {
                t.merge(STRING);
                gen.writeString(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            }
            case VALUE_NUMBER_INT -> {
                t.merge(p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? FLOAT : INT);
                gen.writeNumber(p.getText());
            }
            case VALUE_NUMBER_FLOAT -> {
                t.merge(FLOAT);
                gen.writeNumber(p.getText());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                t.merge(BOOL);
                gen.writeBoolean(tok == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> gen.writeNull();
            default -> throw new BadInputException("unexpected JSON token " + tok);
        }
    }

    Field toField(String name) {
        return switch (kind) {
            case BOOL -> new Field(name, FieldType.nullable(ArrowType.Bool.INSTANCE), null);
            case INT -> new Field(name, FieldType.nullable(new ArrowType.Int(64, true)), null);
            case FLOAT -> new Field(name, FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), null);
            case DATE -> new Field(name, FieldType.nullable(new ArrowType.Date(DateUnit.DAY)), null);
            case TIMESTAMP -> new Field(name, FieldType.nullable(new ArrowType.Timestamp(TimeUnit.MILLISECOND, "UTC")), null);
            case OBJ -> {
                List<Field> ch = new ArrayList<>();
                for (var e : fields.entrySet()) ch.add(e.getValue().toField(e.getKey()));
                yield new Field(name, FieldType.nullable(ArrowType.Struct.INSTANCE), ch);
            }
            case LIST -> new Field(name, FieldType.nullable(ArrowType.List.INSTANCE),
                    List.of((elem == null ? new InferredType() : elem).toField("item")));
            default -> new Field(name, FieldType.nullable(ArrowType.Utf8.INSTANCE), null);
        };
    }

    /**
     * The type of one CSV column, learned from its sampled non-null values as text: every value narrows the set of
     * types it parses as (strictly: an int has no fraction, a float has a digit, a date is just a date); the column is
     * the narrowest type left — bool, int (Int64), float (Float64), date, timestamp (ms, UTC) — or string. Date and
     * timestamp use the read step's formats, so every sampled value reads back in the inferred type.
     */
    static final class Text {
        private static final int B_BOOL = 1, B_INT = 2, B_FLOAT = 4, B_DATE = 8, B_TS = 16, ALL = 31;
        private static final Fail NO = Fail.as("");
        private final Sink.Formats formats;
        private final long[] tmp = new long[2];
        private int possible = ALL;
        private boolean seen;

        Text(Sink.Formats formats) {
            this.formats = formats;
        }

        /** One non-null value b[off, off+len). */
        void learn(byte[] b, int off, int len) {
            seen = true;
            if (possible != 0) possible &= candidates(b, off, len);
        }

        private int candidates(byte[] b, int off, int len) {
            int s = off, e = off + len;
            while (s < e && Parse.isSpace(b[s])) s++;
            while (e > s && Parse.isSpace(b[e - 1])) e--;
            if (s == e) return 0;
            final int st = s, n = e - s;
            int m = 0;
            try {
                Parse.bool(b, st, n, NO);
                return B_BOOL;
            } catch (Fail ignored) {
                // not a boolean
            }
            byte c0 = b[st] == '-' || b[st] == '+' ? (n > 1 ? b[st + 1] : 0) : b[st];
            if ((c0 >= '0' && c0 <= '9') || c0 == '.') {
                boolean integral = true;
                for (int k = st; k < e && integral; k++) integral = (b[k] >= '0' && b[k] <= '9') || (k == st && (b[k] == '-' || b[k] == '+'));
                if (integral) {
                    try {
                        Parse.int64(b, st, n, NO);
                        m |= B_INT;
                    } catch (Fail ignored) {
                        // out of range: a float
                    }
                }
                try {
                    Parse.float64(b, st, n, NO);
                    m |= B_FLOAT;
                } catch (Fail ignored) {
                    // not a number
                }
            }
            if (formats.date == null ? n == 10 && ok(() -> Parse.date(b, st, n, tmp, NO)) : ok(() -> Sink.Formats.parseDate(formats.date, b, st, n, NO))) {
                m |= B_DATE;
            }
            if (formats.timestamp == null ? ok(() -> Parse.timestamp(b, st, n, tmp, NO)) : ok(() -> Sink.Formats.parseInstant(formats.timestamp, b, st, n, NO))) {
                m |= B_TS;
            }
            return m;
        }

        private interface Attempt {
            void run() throws Fail;
        }

        private static boolean ok(Attempt a) {
            try {
                a.run();
                return true;
            } catch (Fail | RuntimeException f) {
                return false;
            }
        }

        /** The inferred kind: one of BOOL, INT, FLOAT, DATE, TIMESTAMP, STRING (also for a column of nulls only). */
        int kind() {
            if (!seen) return STRING;
            if ((possible & B_BOOL) != 0) return BOOL;
            if ((possible & B_INT) != 0) return INT;
            if ((possible & B_FLOAT) != 0) return FLOAT;
            if ((possible & B_DATE) != 0) return DATE;
            if ((possible & B_TS) != 0) return TIMESTAMP;
            return STRING;
        }

        Field toField(String name) {
            InferredType t = new InferredType();
            t.kind = kind();
            return t.toField(name);
        }
    }
}
