package dev.sluice.data.read;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/** The JSON type lattice used to infer a schema from sample records: null &lt; bool | int &lt; float | string | object | list. */
final class InferredType {
    static final int NULL = 0, BOOL = 1, INT = 2, FLOAT = 3, STRING = 4, OBJ = 5, LIST = 6;

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
}
