package dev.sluice.odf.yaml;

import dev.sluice.odf.*;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns model objects into plain maps/lists/scalars in kamu's canonical form: camelCase keys in record
 * (schema) order, {@code kind} first for union members, absent optionals omitted, full union forms.
 */
final class TreeWriter {
    private TreeWriter() {}

    static Object tree(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Integer) return v;
        if (v instanceof Instant i) return i.toString(); // ISO-8601 UTC, fraction in 3/6/9 digits like chrono's AutoSi
        if (v instanceof Multihash h) return h.toMultibase();
        if (v instanceof DatasetId id) return id.toDid();
        if (v instanceof byte[] b) return Base64.getEncoder().encodeToString(b);
        if (v instanceof Enum<?> e) return e.name();
        if (v instanceof ExtraAttributes x) return json(x.entries());
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(tree(o));
            return out;
        }
        if (v instanceof Record r) return record(r);
        throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as YAML");
    }

    private static Map<String, Object> record(Record r) {
        Class<?> c = r.getClass();
        Map<String, Object> out = new LinkedHashMap<>();
        if (OdfSchema.unionOf(c) != null) out.put("kind", c.getSimpleName());
        for (RecordComponent rc : c.getRecordComponents()) {
            Object v;
            try {
                v = rc.getAccessor().invoke(r);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (v == null) {
                if (OdfSchema.required(c, rc.getName())) {
                    throw new OdfFormatException("cannot write " + c.getSimpleName() + ": required field '" + rc.getName() + "' is null");
                }
                continue;
            }
            out.put(rc.getName(), tree(v));
        }
        return out;
    }

    /** Copies a JSON value, widening Integer to Long so output does not depend on who built the map. */
    private static Object json(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), json(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(json(o));
            return out;
        }
        if (v instanceof Integer i) return i.longValue();
        if (v instanceof Float f) return f.doubleValue();
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) return v;
        throw new IllegalArgumentException("extra attribute value of type " + v.getClass().getName() + " is not JSON");
    }
}
