package dev.sluice.data.read;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Streaming JSON reader over Jackson's {@link JsonParser}, for {@code NdJson} (a sequence of objects, normally one
 * per line) and {@code Json} (an array of objects; with {@code subPath} "a.b.c" the array at that key path of the
 * top-level object; a single top-level object without subPath is one record).
 *
 * <p>Fields are matched by name; keys not in the schema are skipped (as DataFusion does when a schema is given);
 * missing or null fields are null, or an error for non-nullable columns. Objects fill Struct columns, arrays List
 * columns. Strings are parsed into the column type (timestamps as RFC 3339 or the step's format); integers are taken
 * as is for numeric columns and as a count of the column's unit since the epoch for Timestamp (days for Date);
 * numbers and booleans given for a String column keep their JSON text. Without a schema, the types are inferred from
 * the first batch of records (integer → Int64, other numbers → Float64, booleans → Bool, strings → String,
 * objects → Struct, arrays → List; mixed scalars → String; all nullable).
 */
class JsonReader extends BaseReader {
    static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
            .build();

    private final boolean ndjson;
    private final String subPath;
    private final Schema target;
    private final Sink.Formats formats;
    private final String encoding;

    JsonParser main;
    JsonParser replay;             // records buffered for schema inference, read first
    private boolean singleObject;  // top-level object without subPath: one record
    private int enclosing;         // objects around the subPath array still to be closed
    private boolean mainDone;
    private Node[] top;
    Map<String, Node> topByName;
    private long stamp;
    private byte[] scratch = new byte[256];

    JsonReader(boolean ndjson, String subPath, String dateFormat, String timestampFormat, String encoding,
               InputStream in, Schema target, ReadOptions o) {
        super(in, o);
        this.ndjson = ndjson;
        this.subPath = subPath == null || subPath.isBlank() ? null : subPath;
        this.target = target;
        this.formats = Sink.Formats.of(dateFormat, timestampFormat);
        this.encoding = encoding;
    }

    // ---- envelope ----------------------------------------------------------------------------------------------

    @Override
    protected void start() throws IOException {
        try {
            main = FACTORY.createParser(Encodings.isUtf8(encoding) ? in : Encodings.toUtf8(in, encoding));
            if (!ndjson) {
                openEnvelope();
            } else {
                if (main.nextToken() == null) throw new BadInputException("empty input: no JSON records");
                peeked = true;
            }
            Schema schema = target != null ? target : infer();
            init(schema);
            List<FieldVector> vs = root.getFieldVectors();
            top = new Node[vs.size()];
            topByName = new HashMap<>();
            for (int i = 0; i < top.length; i++) {
                top[i] = node(vs.get(i), vs.get(i).getName());
                topByName.put(vs.get(i).getName(), top[i]);
            }
        } catch (JsonProcessingException e) {
            throw jsonError(main, e);
        }
    }

    /** Positions {@link #main} before the first record (Json: inside the array). */
    void openEnvelope() throws IOException {
        JsonToken t = main.nextToken();
        if (t == null) throw new BadInputException("empty input: no JSON value");
        if (subPath == null) {
            if (t == JsonToken.START_ARRAY) return;
            if (t == JsonToken.START_OBJECT) {
                singleObject = true;
                return;
            }
            throw new BadInputException("expected a JSON array of objects, found " + describe(t) + at(main));
        }
        String[] parts = subPath.split("\\.", -1);
        for (int k = 0; k < parts.length; k++) {
            if (t != JsonToken.START_OBJECT) {
                throw new BadInputException("subPath " + BadInputException.quote(subPath) + ": expected an object"
                        + (k == 0 ? " at the top level" : " at '" + String.join(".", java.util.Arrays.copyOf(parts, k)) + "'")
                        + ", found " + describe(t) + at(main));
            }
            enclosing++;
            boolean found = false;
            while ((t = main.nextToken()) == JsonToken.FIELD_NAME) {
                String name = main.currentName();
                t = main.nextToken();
                if (name.equals(parts[k])) {
                    found = true;
                    break;
                }
                main.skipChildren();
            }
            if (t == null) throw truncated(main);
            if (!found) {
                throw new BadInputException("subPath " + BadInputException.quote(subPath) + ": key '" + parts[k] + "' not found");
            }
        }
        if (t != JsonToken.START_ARRAY) {
            throw new BadInputException("subPath " + BadInputException.quote(subPath) + ": expected an array, found " + describe(t) + at(main));
        }
    }

    /** After the records: close the enclosing objects and insist on the end of input. */
    void closeEnvelope() throws IOException {
        for (; enclosing > 0; enclosing--) {
            JsonToken t;
            while ((t = main.nextToken()) == JsonToken.FIELD_NAME) {
                main.nextToken();
                main.skipChildren();
            }
            if (t == null) throw truncated(main);
        }
        JsonToken t = main.nextToken();
        if (t != null) throw new BadInputException("unexpected " + describe(t) + " after the JSON data" + at(main));
    }

    // ---- records -----------------------------------------------------------------------------------------------

    /** Next record's START_OBJECT from replay or main, or null at the end. */
    private JsonParser nextRecord() throws IOException {
        if (replay != null) {
            JsonToken t = replay.nextToken();
            if (t != null) return replay;
            replay.close();
            replay = null;
        }
        if (mainDone) return null;
        if (singleObject) {
            mainDone = true;
            if (main.currentToken() != JsonToken.START_OBJECT) return null;
            singleSeen = true;
            return main;
        }
        JsonToken t = advance();
        if (ndjson) {
            if (t == null) {
                mainDone = true;
                return null;
            }
        } else {
            if (t == null) throw truncated(main);
            if (t == JsonToken.END_ARRAY) {
                mainDone = true;
                closeEnvelope();
                return null;
            }
        }
        if (t != JsonToken.START_OBJECT) {
            throw new BadInputException(where(rows + pending + 1) + ": expected " + recordNoun() + ", found " + describe(t) + at(main));
        }
        return main;
    }

    private boolean singleSeen;
    private boolean peeked; // main is on a token already read (NdJson's first)
    private boolean inFill;

    private JsonToken advance() throws IOException {
        if (peeked) {
            peeked = false;
            return main.currentToken();
        }
        return main.nextToken();
    }
    private int pending; // rows filled in the current batch

    @Override
    protected int fill(int max) throws IOException {
        pending = 0;
        JsonParser p = null;
        inFill = true;
        try {
            while (pending < max) {
                p = nextRecord();
                if (p == null) break;
                readRecord(p, pending);
                pending++;
            }
            if (p == null && singleObject && singleSeen) {
                singleSeen = false;
                JsonToken t = main.nextToken();
                if (t != null) throw new BadInputException("unexpected " + describe(t) + " after the JSON object" + at(main));
            }
            return pending;
        } catch (JsonProcessingException e) {
            throw jsonError(p != null ? p : main, e);
        }
    }

    /** Reads one record; {@code p} is at its START_OBJECT. */
    void readRecord(JsonParser p, int row) throws IOException {
        long s = beginRecord();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            readField(p, name, s, row);
        }
        if (t == null) throw truncated(p);
        endRecord(s, row);
    }

    /** A new record: returns the stamp that marks the columns it sets. */
    final long beginRecord() {
        return ++stamp;
    }

    /** Writes the value {@code p} is at into the column {@code name} (skipped when the schema has no such column). */
    final void readField(JsonParser p, String name, long s, int row) throws IOException {
        Node n = topByName.get(name);
        if (n == null) {
            p.skipChildren();
            return;
        }
        n.stamp = s;
        n.write(p, row);
    }

    /** Columns the record did not set are null (or an error when not nullable). */
    final void endRecord(long s, int row) {
        for (Node n : top) {
            if (n.stamp != s) n.absent(row);
        }
    }

    // ---- value nodes -------------------------------------------------------------------------------------------

    private Node node(FieldVector v, String path) {
        if (v instanceof StructVector sv) {
            List<Node> ch = new ArrayList<>();
            for (FieldVector c : sv.getChildrenFromFields()) ch.add(node(c, path + "." + c.getName()));
            return new StructNode(sv, path, ch);
        }
        if (v instanceof ListVector lv) {
            return new ListNode(lv, path, node(lv.getDataVector(), path + "[]"));
        }
        Sink sink = Sink.of(v, formats);
        if (sink == null) throw new BadInputException("column \"" + path + "\": JSON reading of type " + v.getField().getType() + " is not supported");
        return new LeafNode(sink, path);
    }

    abstract class Node {
        final String path;
        final boolean nullable;
        long stamp;

        Node(FieldVector v, String path) {
            this.path = path;
            this.nullable = v.getField().isNullable();
        }

        abstract void write(JsonParser p, int i) throws IOException;

        abstract void setNull(int i);

        void nullValue(int i) {
            if (!nullable) throw new BadInputException(rowPrefix() + label(path) + ": null value (column is not nullable)");
            setNull(i);
        }

        void absent(int i) {
            if (!nullable) throw new BadInputException(rowPrefix() + label(path) + ": missing value (column is not nullable)");
            setNull(i);
        }

        BadInputException wrongShape(JsonParser p, JsonToken t, String want) {
            return new BadInputException(rowPrefix() + label(path) + ": expected " + want + ", found " + describe(t));
        }
    }

    private String rowPrefix() {
        return where(rows + pending + 1) + ", ";
    }

    /** Names record {@code n} (1-based) in messages. */
    String where(long n) {
        return "row " + n;
    }

    /** Names a column (or nested path) in messages. */
    String label(String path) {
        return "column \"" + path + "\"";
    }

    /** What every record must be, for messages. */
    String recordNoun() {
        return "a JSON object";
    }

    final class LeafNode extends Node {
        final Sink sink;

        LeafNode(Sink sink, String path) {
            super(sink.vector, path);
            this.sink = sink;
        }

        @Override
        void write(JsonParser p, int i) throws IOException {
            JsonToken t = p.currentToken();
            try {
                switch (t) {
                    case VALUE_NULL -> nullValue(i);
                    case VALUE_NUMBER_INT -> {
                        if (!sink.isText() && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                            sink.setLong(i, p.getLongValue());
                        } else {
                            text(p, i);
                        }
                    }
                    case VALUE_STRING, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> text(p, i);
                    default -> {
                        p.skipChildren();
                        throw wrongShape(p, t, "a " + sink.kind + " value");
                    }
                }
            } catch (Fail f) {
                String v = BadInputException.quote(p.getText());
                throw new BadInputException(rowPrefix() + label(path) + ": " + f.message(v));
            }
        }

        /** Sets row {@code i} from UTF-8 text (e.g. a GeoJSON geometry). */
        void writeUtf8(int i, byte[] b, int len) {
            try {
                sink.set(i, b, 0, len);
            } catch (Fail f) {
                String v = BadInputException.quote(new String(b, 0, Math.min(len, 400), java.nio.charset.StandardCharsets.UTF_8));
                throw new BadInputException(rowPrefix() + label(path) + ": " + f.message(v));
            }
        }

        private void text(JsonParser p, int i) throws IOException, Fail {
            char[] cs = p.getTextCharacters();
            int off = p.getTextOffset(), len = p.getTextLength();
            int n = utf8(cs, off, len);
            sink.set(i, scratch, 0, n);
        }

        @Override
        void setNull(int i) {
            sink.setNull(i);
        }
    }

    /** Encodes chars as UTF-8 into {@link #scratch}; returns the byte count. */
    private int utf8(char[] cs, int off, int len) throws Fail {
        if (scratch.length < len * 3) scratch = new byte[Math.max(len * 3, scratch.length * 2)];
        byte[] b = scratch;
        int w = 0;
        int end = off + len;
        for (int k = off; k < end; k++) {
            char c = cs[k];
            if (c < 0x80) {
                b[w++] = (byte) c;
            } else if (c < 0x800) {
                b[w++] = (byte) (0xC0 | (c >> 6));
                b[w++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && k + 1 < end && Character.isLowSurrogate(cs[k + 1])) {
                    int cp = Character.toCodePoint(c, cs[++k]);
                    b[w++] = (byte) (0xF0 | (cp >> 18));
                    b[w++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    b[w++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    b[w++] = (byte) (0x80 | (cp & 0x3F));
                } else {
                    throw Fail.reason("invalid Unicode (unpaired surrogate \\u" + Integer.toHexString(c) + ")");
                }
            } else {
                b[w++] = (byte) (0xE0 | (c >> 12));
                b[w++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[w++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return w;
    }

    private final class StructNode extends Node {
        final StructVector v;
        final Node[] children;
        final Map<String, Node> byName = new HashMap<>();

        StructNode(StructVector v, String path, List<Node> ch) {
            super(v, path);
            this.v = v;
            this.children = ch.toArray(new Node[0]);
            for (int k = 0; k < children.length; k++) byName.put(v.getChildrenFromFields().get(k).getName(), children[k]);
        }

        @Override
        void write(JsonParser p, int i) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                nullValue(i);
                return;
            }
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                throw wrongShape(p, t, "an object");
            }
            v.setIndexDefined(i);
            long s = ++JsonReader.this.stamp;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                Node n = byName.get(p.currentName());
                p.nextToken();
                if (n == null) {
                    p.skipChildren();
                    continue;
                }
                n.stamp = s;
                n.write(p, i);
            }
            if (t == null) throw truncated(p);
            for (Node n : children) if (n.stamp != s) n.absent(i);
        }

        @Override
        void setNull(int i) {
            v.setNull(i);
            for (Node n : children) n.setNull(i);
        }
    }

    private final class ListNode extends Node {
        final ListVector v;
        final Node element;

        ListNode(ListVector v, String path, Node element) {
            super(v, path);
            this.v = v;
            this.element = element;
        }

        @Override
        void write(JsonParser p, int i) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                nullValue(i);
                return;
            }
            if (t != JsonToken.START_ARRAY) {
                p.skipChildren();
                throw wrongShape(p, t, "an array");
            }
            int start = v.startNewValue(i);
            int k = 0;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) throw truncated(p);
                element.write(p, start + k);
                k++;
            }
            v.endValue(i, k);
        }

        @Override
        void setNull(int i) {
            v.setNull(i);
        }
    }

    // ---- inference ---------------------------------------------------------------------------------------------

    /** Buffers up to one batch of records, infers a schema from them and arranges for them to be read first. */
    private Schema infer() throws IOException {
        ByteArrayOutputStream buffered = new ByteArrayOutputStream();
        InferredType.Obj shape = new InferredType.Obj();
        try (var gen = FACTORY.createGenerator(buffered)) {
            for (int k = 0; k < batchRows; k++) {
                JsonParser p;
                if (singleObject) {
                    if (k > 0) break;
                    p = main;
                } else {
                    JsonToken t = advance();
                    if (t == null) {
                        if (!ndjson) throw truncated(main);
                        mainDone = true;
                        break;
                    }
                    if (!ndjson && t == JsonToken.END_ARRAY) {
                        mainDone = true;
                        closeEnvelope();
                        break;
                    }
                    if (t != JsonToken.START_OBJECT) {
                        throw new BadInputException(where(k + 1) + ": expected " + recordNoun() + ", found " + describe(t) + at(main));
                    }
                    p = main;
                }
                // copy the record and learn its shape in one pass
                learnRecord(p, shape, gen, k);
            }
        }
        if (singleObject) {
            mainDone = true;
            JsonToken t = main.nextToken();
            if (t != null) throw new BadInputException("unexpected " + describe(t) + " after the JSON object" + at(main));
        }
        if (ndjson && mainDone && buffered.size() == 0) throw new BadInputException("empty input: no JSON records");
        replay = FACTORY.createParser(buffered.toByteArray());
        return inferredSchema(shape);
    }

    /** Copies record {@code k} (0-based; {@code p} at its START_OBJECT) to {@code gen} as a flat object and learns its shape. */
    void learnRecord(JsonParser p, InferredType.Obj shape, JsonGenerator gen, int k) throws IOException {
        InferredType.learnObject(p, shape, gen);
    }

    Schema inferredSchema(InferredType.Obj shape) {
        return new Schema(shape.toFields());
    }

    // ---- errors ------------------------------------------------------------------------------------------------

    static String describe(JsonToken t) {
        if (t == null) return "end of input";
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : "'" + t.asString() + "'";
        };
    }

    static String at(JsonParser p) {
        JsonLocation l = p.currentTokenLocation();
        return " at line " + l.getLineNr() + ", column " + l.getColumnNr();
    }

    BadInputException truncated(JsonParser p) {
        JsonLocation l = p.currentLocation();
        return new BadInputException("truncated JSON: unexpected end of input at line " + l.getLineNr() + ", column " + l.getColumnNr());
    }

    private BadInputException jsonError(JsonParser p, JsonProcessingException e) {
        JsonLocation l = e.getLocation() != null ? e.getLocation() : p == null ? null : p.currentLocation();
        String where = l == null ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
        String m = e.getOriginalMessage();
        if (m == null) m = e.getClass().getSimpleName();
        int nl = m.indexOf('\n');
        if (nl >= 0) m = m.substring(0, nl);
        m = m.replace("[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); ", "[");
        if (m.length() > 200) m = m.substring(0, 200) + "...";
        String prefix = e instanceof JsonEOFException || m.contains("end-of-input") ? "truncated JSON" : "invalid JSON";
        String row = inFill ? where(rows + pending + 1) + ": " : "";
        return new BadInputException(row + prefix + where + ": " + m, e);
    }

    @Override
    protected void closeResources() throws IOException {
        if (replay != null) replay.close();
        if (main != null) main.close();
    }
}
