package dev.sluice.query;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DataType;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Schema;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** Result schemas as JSON values: Arrow's JSON schema form, or the ODF DataSchema as JSON or a YAML string. */
final class SchemaRender {
    private SchemaRender() {}

    static void write(JsonGenerator g, SchemaFormat format, Schema arrow, DataSchema odf) throws IOException {
        switch (format) {
            case ARROW_JSON -> writeTree(g, JsonTree.parse(arrow.toJson())); // re-emitted compactly
            case ODF_JSON -> writeTree(g, tree(odf));
            case ODF_YAML -> g.writeString(yaml(odf));
        }
    }

    static String yaml(DataSchema odf) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(o).dump(tree(odf));
    }

    /** Records → maps in component order; DataType members get {@code kind} first (ODF's union form); nulls omitted. */
    static Object tree(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) return v;
        if (v instanceof Enum<?> e) return e.name();
        if (v instanceof List<?> l) return l.stream().map(SchemaRender::tree).toList();
        if (v instanceof Record r) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (r instanceof DataType) m.put("kind", r.getClass().getSimpleName());
            for (RecordComponent rc : r.getClass().getRecordComponents()) {
                try {
                    Object x = rc.getAccessor().invoke(r);
                    if (x != null) m.put(rc.getName(), tree(x));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return m;
        }
        return v.toString();
    }

    private static void writeTree(JsonGenerator g, Object t) throws IOException {
        if (t == null) g.writeNull();
        else if (t instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(e.getKey().toString());
                writeTree(g, e.getValue());
            }
            g.writeEndObject();
        } else if (t instanceof List<?> l) {
            g.writeStartArray();
            for (Object o : l) writeTree(g, o);
            g.writeEndArray();
        } else if (t instanceof Number n) g.writeNumber(n.toString());
        else if (t instanceof Boolean b) g.writeBoolean(b);
        else g.writeString(t.toString());
    }
}
