package dev.sluice.data.read;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * GeoJSON (RFC 7946) on the {@link JsonReader} machinery: {@code GeoJson} is one FeatureCollection document whose
 * {@code features} array is streamed feature by feature (never loaded whole); {@code NdGeoJson} is a sequence of
 * Feature objects, one per line. One row per feature, as kamu's DataFusion ingest does: the members of
 * {@code properties} are the columns (coerced to the schema like JSON; unknown ones skipped, missing ones null), and
 * the {@code geometry} member becomes the String column {@value #GEOMETRY} holding the geometry as compact GeoJSON
 * text (members and numbers exactly as written). A {@code null} geometry (an unlocated feature) and {@code null}
 * properties are allowed; a property named {@code geometry} is shadowed by the geometry, and a feature's {@code id},
 * {@code bbox} and foreign members are not read.
 *
 * <p>Without a schema, column types are inferred from the first batch of features as for JSON, with
 * {@value #GEOMETRY} a nullable String last. Errors name the feature (1-based, in input order) and the line it starts
 * on, e.g. {@code feature 3 (line 12), property "pop": cannot parse 'abc' as Int64}.
 */
final class GeoJsonReader extends JsonReader {
    static final String GEOMETRY = "geometry";
    private static final Set<String> GEOMETRY_TYPES = Set.of("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
            "MultiPolygon", "GeometryCollection");

    private final boolean nd;
    private final int maxGeometryBytes;
    private final Bytes geometryText = new Bytes();
    private LeafNode geometryColumn;

    private boolean collectionTypeSeen;
    private long feature;                                // 1-based number of the feature being read
    private int line = -1;                               // line it starts on, -1 unknown
    private int[] replayLines = new int[64];             // lines of the features buffered for inference
    private int replayed, buffered;

    GeoJsonReader(boolean nd, InputStream in, Schema target, ReadOptions o) {
        super(nd, null, null, null, null, in, target, o);
        this.nd = nd;
        this.maxGeometryBytes = o.maxRecordBytes;
    }

    @Override
    protected void start() throws IOException {
        super.start();
        Field g = root.getSchema().getFields().stream().filter(f -> f.getName().equals(GEOMETRY)).findFirst().orElse(null);
        if (g != null) {
            if (!(g.getType() instanceof ArrowType.Utf8 || g.getType() instanceof ArrowType.LargeUtf8)) {
                throw new BadInputException("column \"" + GEOMETRY + "\" must be a String to hold the GeoJSON geometry, but the schema has "
                        + Sink.describe(dev.sluice.data.OdfArrow.dataType(g) instanceof dev.sluice.odf.DataType.Option o ? o.inner() : dev.sluice.data.OdfArrow.dataType(g)));
            }
            geometryColumn = (LeafNode) topByName.get(GEOMETRY);
        }
    }

    // ---- envelope (GeoJson only) -------------------------------------------------------------------------------

    @Override
    void openEnvelope() throws IOException {
        JsonToken t = main.nextToken();
        if (t == null) throw new BadInputException("empty input: no GeoJSON value");
        if (t != JsonToken.START_OBJECT) {
            throw new BadInputException("expected a GeoJSON FeatureCollection object, found " + describe(t) + at(main));
        }
        while ((t = main.nextToken()) == JsonToken.FIELD_NAME) {
            String name = main.currentName();
            t = main.nextToken();
            if (name.equals("type")) {
                collectionType(t);
            } else if (name.equals("features")) {
                if (t != JsonToken.START_ARRAY) {
                    throw new BadInputException("GeoJSON \"features\" must be an array, found " + describe(t) + at(main));
                }
                return;
            } else {
                main.skipChildren();
            }
        }
        if (t == null) throw truncated(main);
        throw new BadInputException(collectionTypeSeen ? "GeoJSON FeatureCollection has no \"features\" array"
                : "expected a GeoJSON FeatureCollection, found an object with neither \"type\" nor \"features\"");
    }

    @Override
    void closeEnvelope() throws IOException {
        JsonToken t;
        while ((t = main.nextToken()) == JsonToken.FIELD_NAME) {
            String name = main.currentName();
            t = main.nextToken();
            if (name.equals("type")) collectionType(t);
            else if (name.equals("features")) throw new BadInputException("GeoJSON FeatureCollection has two \"features\" members" + at(main));
            else main.skipChildren();
        }
        if (t == null) throw truncated(main);
        if (!collectionTypeSeen) throw new BadInputException("not a GeoJSON FeatureCollection: no \"type\": \"FeatureCollection\" member");
        t = main.nextToken();
        if (t != null) throw new BadInputException("unexpected " + describe(t) + " after the GeoJSON FeatureCollection" + at(main));
    }

    private void collectionType(JsonToken t) throws IOException {
        String type = t == JsonToken.VALUE_STRING ? main.getText() : null;
        if (!"FeatureCollection".equals(type)) {
            throw new BadInputException("expected a GeoJSON FeatureCollection, found " + (type != null ? "type " + BadInputException.quote(type)
                    : "\"type\": " + describe(t)) + at(main));
        }
        collectionTypeSeen = true;
    }

    // ---- features ----------------------------------------------------------------------------------------------

    @Override
    String where(long n) {
        return "feature " + n + (line > 0 ? " (line " + line + ")" : "");
    }

    @Override
    String label(String path) {
        return path.equals(GEOMETRY) ? GEOMETRY : "property \"" + path + "\"";
    }

    @Override
    String recordNoun() {
        return "a GeoJSON Feature object";
    }

    /** What a feature's members are turned into: columns of the current batch, or a flat record for inference. */
    private interface FeatureVisitor {
        void property(JsonParser p, String name) throws IOException;

        /** len &lt; 0: a null geometry. */
        void geometry(byte[] text, int len) throws IOException;
    }

    @Override
    void readRecord(JsonParser p, int row) throws IOException {
        if (p == replay) {
            // a feature buffered for inference, already flattened to {properties..., "geometry": "..."}
            line = replayed < buffered ? replayLines[replayed++] : -1;
            super.readRecord(p, row);
            line = -1;
            return;
        }
        feature = rows + row + 1;
        line = p.currentTokenLocation().getLineNr();
        long s = beginRecord();
        walkFeature(p, new FeatureVisitor() {
            @Override
            public void property(JsonParser q, String name) throws IOException {
                readField(q, name, s, row);
            }

            @Override
            public void geometry(byte[] text, int len) {
                if (geometryColumn == null) return;
                geometryColumn.stamp = s;
                if (len < 0) geometryColumn.nullValue(row);
                else geometryColumn.writeUtf8(row, text, len);
            }
        });
        endRecord(s, row);
        line = -1;
    }

    @Override
    void learnRecord(JsonParser p, InferredType.Obj shape, JsonGenerator gen, int k) throws IOException {
        feature = k + 1;
        line = p.currentTokenLocation().getLineNr();
        if (buffered == replayLines.length) replayLines = Arrays.copyOf(replayLines, buffered * 2);
        replayLines[buffered++] = line;
        gen.writeStartObject();
        walkFeature(p, new FeatureVisitor() {
            @Override
            public void property(JsonParser q, String name) throws IOException {
                InferredType.learnField(q, shape, name, gen);
            }

            @Override
            public void geometry(byte[] text, int len) throws IOException {
                gen.writeFieldName(GEOMETRY);
                if (len < 0) gen.writeNull();
                else gen.writeUTF8String(text, 0, len);
            }
        });
        gen.writeEndObject();
        line = -1;
    }

    @Override
    Schema inferredSchema(InferredType.Obj shape) {
        List<Field> fields = new ArrayList<>(shape.toFields());
        fields.add(new Field(GEOMETRY, FieldType.nullable(ArrowType.Utf8.INSTANCE), null));
        return new Schema(fields);
    }

    /** Walks one Feature object ({@code p} at its START_OBJECT) and checks its shape. */
    private void walkFeature(JsonParser p, FeatureVisitor v) throws IOException {
        boolean typed = false, located = false;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken vt = p.nextToken();
            switch (name) {
                case "type" -> {
                    if (vt != JsonToken.VALUE_STRING || !p.getText().equals("Feature")) {
                        throw new BadInputException(featureWhere() + ": expected \"type\": \"Feature\", found "
                                + (vt == JsonToken.VALUE_STRING ? BadInputException.quote(p.getText()) : describe(vt)));
                    }
                    typed = true;
                }
                case "properties" -> {
                    if (vt == JsonToken.START_OBJECT) {
                        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                            String prop = p.currentName();
                            p.nextToken();
                            if (prop.equals(GEOMETRY)) p.skipChildren();
                            else v.property(p, prop);
                        }
                        if (t == null) throw truncated(p);
                    } else if (vt != JsonToken.VALUE_NULL) {
                        p.skipChildren();
                        throw new BadInputException(featureWhere() + ": \"properties\" must be an object or null, found " + describe(vt));
                    }
                }
                case GEOMETRY -> {
                    if (located) throw new BadInputException(featureWhere() + ": two \"geometry\" members");
                    located = true;
                    if (vt == JsonToken.VALUE_NULL) {
                        v.geometry(null, -1);
                    } else if (vt == JsonToken.START_OBJECT) {
                        int n = copyGeometry(p);
                        v.geometry(geometryText.buf, n);
                    } else {
                        p.skipChildren();
                        throw new BadInputException(featureWhere() + ": \"geometry\" must be an object or null, found " + describe(vt));
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (t == null) throw truncated(p);
        if (!typed) throw new BadInputException(featureWhere() + ": not a GeoJSON Feature (no \"type\": \"Feature\" member)");
        if (!located) throw new BadInputException(featureWhere() + ": no \"geometry\" member (null for a feature without a location)");
    }

    private String featureWhere() {
        return where(feature);
    }

    /** Copies the geometry object {@code p} is at into {@link #geometryText} as compact JSON; returns its length. */
    private int copyGeometry(JsonParser p) throws IOException {
        geometryText.count = 0;
        String type = null;
        try (JsonGenerator g = FACTORY.createGenerator(geometryText)) {
            g.writeStartObject();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken vt = p.nextToken();
                if (name.equals("type")) {
                    if (vt != JsonToken.VALUE_STRING) {
                        throw new BadInputException(featureWhere() + ", geometry: \"type\" must be a string, found " + describe(vt));
                    }
                    type = p.getText();
                }
                g.writeFieldName(name);
                copyValue(p, g);
            }
            if (t == null) throw truncated(p);
            g.writeEndObject();
        }
        if (type == null) throw new BadInputException(featureWhere() + ", geometry: no \"type\" member");
        if (!GEOMETRY_TYPES.contains(type)) {
            throw new BadInputException(featureWhere() + ", geometry: unknown geometry type " + BadInputException.quote(type)
                    + " (expected one of Point, MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon, GeometryCollection)");
        }
        return geometryText.count;
    }

    /** Copies the value {@code p} is at; numbers keep their text. */
    private void copyValue(JsonParser p, JsonGenerator g) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                g.writeStartObject();
                JsonToken x;
                while ((x = p.nextToken()) == JsonToken.FIELD_NAME) {
                    g.writeFieldName(p.currentName());
                    p.nextToken();
                    copyValue(p, g);
                }
                if (x == null) throw truncated(p);
                g.writeEndObject();
            }
            case START_ARRAY -> {
                g.writeStartArray();
                JsonToken x;
                while ((x = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (x == null) throw truncated(p);
                    copyValue(p, g);
                }
                g.writeEndArray();
                if (geometryText.count > maxGeometryBytes) {
                    throw new BadInputException(featureWhere() + ", geometry: larger than " + maxGeometryBytes + " bytes");
                }
            }
            case VALUE_STRING -> g.writeString(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> g.writeNumber(p.getText());
            case VALUE_TRUE, VALUE_FALSE -> g.writeBoolean(t == JsonToken.VALUE_TRUE);
            case VALUE_NULL -> g.writeNull();
            default -> throw new BadInputException(featureWhere() + ", geometry: unexpected JSON token " + t);
        }
    }

    /** A growable byte buffer the geometry is written to (no copy to read it back). */
    private static final class Bytes extends OutputStream {
        byte[] buf = new byte[1024];
        int count;

        @Override
        public void write(int b) {
            if (count == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (count + len > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + len));
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }
    }
}
