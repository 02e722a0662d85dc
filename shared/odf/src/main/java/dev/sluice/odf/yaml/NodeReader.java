package dev.sluice.odf.yaml;

import dev.sluice.odf.*;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Maps a composed YAML node tree onto the ODF model records by reflection: YAML keys are record component
 * names, sealed interfaces are {@code kind}-tagged unions. Working on nodes (not constructed Java objects)
 * keeps raw scalar text (exact timestamps, hashes) and positions for error messages.
 */
final class NodeReader {
    /** Deeper than any real manifest; guards against alias cycles. */
    private static final int MAX_DEPTH = 128;

    private NodeReader() {}

    @SuppressWarnings("unchecked")
    static <T> T read(Class<T> type, Node node, String path) {
        return (T) value(type, node, path, 0);
    }

    /** Mapping entries with duplicate-key and key-type checks, in document order. */
    static Map<String, Node> entries(Node node, String path, String what) {
        if (!(node instanceof MappingNode m)) throw err(path, node, "expected " + what + " (a mapping), got " + describe(node));
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) throw err(path, t.getKeyNode(), "mapping keys must be plain strings");
            String key = k.getValue();
            if (out.put(key, t.getValueNode()) != null) throw err(path, k, "duplicate key " + quote(key));
        }
        return out;
    }

    static OdfFormatException err(String path, Node node, String msg) {
        String at = node == null || node.getStartMark() == null ? "" : " (line " + (node.getStartMark().getLine() + 1) + ")";
        return new OdfFormatException((path.isEmpty() ? "" : path + ": ") + msg + at);
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("'");
        int n = Math.min(s.length(), 60);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append(s.length() > n ? "...'" : "'").toString();
    }

    private static String article(String label) {
        return ("aeiou".indexOf(label.charAt(0)) >= 0 ? "an " : "a ") + label;
    }

    private static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static boolean isNull(Node n) {
        return n == null || (n instanceof ScalarNode s && Tag.NULL.equals(s.getTag()));
    }

    private static String describe(Node n) {
        if (n instanceof MappingNode) return "a mapping";
        if (n instanceof SequenceNode) return "a list";
        if (isNull(n)) return "null";
        return quote(((ScalarNode) n).getValue());
    }

    // ---------------------------------------------------------------------------------------------------------

    private static Object value(Type type, Node node, String path, int depth) {
        if (depth > MAX_DEPTH) throw err(path, node, "nesting too deep");
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            return list(p.getActualTypeArguments()[0], node, path, depth);
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) return string(node, path);
        if (c == Long.class || c == long.class) return unsigned(node, path);
        if (c == Integer.class || c == int.class) return integer(node, path, Integer.MIN_VALUE, Integer.MAX_VALUE).intValue();
        if (c == Boolean.class || c == boolean.class) return bool(node, path);
        if (c == Instant.class) return timestamp(node, path);
        if (c == byte[].class) return base64(node, path);
        if (c == Multihash.class) return parsed(node, path, "a multihash", Multihash::fromMultibase);
        if (c == DatasetId.class) return parsed(node, path, "a did:odf dataset id", DatasetId::parse);
        if (c == ExtraAttributes.class) return extra(node, path, depth);
        if (c.isEnum()) return enumValue(c, node, path);
        if (c.isSealed()) return union(c, node, path, depth);
        if (c.isRecord()) return record(c, entries(node, path, article(OdfSchema.label(c))), node, path, depth);
        throw new IllegalStateException("no YAML mapping for " + c);
    }

    private static List<Object> list(Type item, Node node, String path, int depth) {
        if (!(node instanceof SequenceNode s)) throw err(path, node, "expected a list, got " + describe(node));
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < s.getValue().size(); i++) {
            Node n = s.getValue().get(i);
            String p = path + "[" + i + "]";
            if (isNull(n)) throw err(p, n, "list items must not be null");
            out.add(value(item, n, p, depth + 1));
        }
        return List.copyOf(out);
    }

    private static Object union(Class<?> union, Node node, String path, int depth) {
        String label = OdfSchema.label(union);
        Map<String, Node> fields;
        String kind;
        if (union == DataType.class && node instanceof ScalarNode s && Tag.STR.equals(s.getTag())) {
            // short form, only for data types as in kamu: `type: string` == `type: {kind: String}`
            fields = new LinkedHashMap<>();
            kind = s.getValue();
        } else {
            fields = entries(node, path, article(label));
            Node k = fields.remove("kind");
            if (isNull(k)) throw err(path, node, "missing 'kind' of " + label);
            kind = string(k, child(path, "kind"));
        }
        Class<?> member = OdfSchema.members(union).get(kind.toLowerCase(Locale.ROOT));
        if (member == null) {
            String known = Arrays.stream(union.getPermittedSubclasses()).map(Class::getSimpleName).collect(Collectors.joining(", "));
            throw err(path, node, "unknown " + label + " kind " + quote(kind) + " (expected one of: " + known + ")");
        }
        if (ReadStep.class.isAssignableFrom(member)) legacyDdlSchema(fields, path);
        return record(member, fields, node, path, depth);
    }

    /** Before ODF 0.37 read steps had {@code schema: [DDL strings]}; that list is today's {@code ddlSchema}. */
    private static void legacyDdlSchema(Map<String, Node> fields, String path) {
        Node schema = fields.get("schema");
        if (schema instanceof SequenceNode) {
            if (fields.containsKey("ddlSchema")) throw err(path, schema, "both a DDL 'schema' list and 'ddlSchema' given");
            fields.remove("schema");
            fields.put("ddlSchema", schema);
        }
    }

    private static Object record(Class<?> c, Map<String, Node> fields, Node node, String path, int depth) {
        RecordComponent[] comps = c.getRecordComponents();
        for (Map.Entry<String, Node> e : fields.entrySet()) {
            if (Arrays.stream(comps).noneMatch(rc -> rc.getName().equals(e.getKey()))) {
                String known = Arrays.stream(comps).map(RecordComponent::getName).collect(Collectors.joining(", "));
                throw err(child(path, e.getKey()), e.getValue(),
                        "unknown field " + quote(e.getKey()) + " in " + c.getSimpleName() + (known.isEmpty() ? "" : " (expected one of: " + known + ")"));
            }
        }
        Object[] args = new Object[comps.length];
        Class<?>[] types = new Class<?>[comps.length];
        for (int i = 0; i < comps.length; i++) {
            RecordComponent rc = comps[i];
            types[i] = rc.getType();
            Node n = fields.get(rc.getName());
            if (isNull(n)) {
                if (rc.getType().isPrimitive() || OdfSchema.required(c, rc.getName())) {
                    throw err(path, n == null ? node : n, "missing required field " + quote(rc.getName()) + " of " + c.getSimpleName());
                }
                continue;
            }
            args[i] = value(rc.getGenericType(), n, child(path, rc.getName()), depth + 1);
        }
        try {
            Constructor<?> ctor = c.getDeclaredConstructor(types);
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            throw err(path, node, "invalid " + c.getSimpleName() + ": " + e.getCause().getMessage());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- scalars ---------------------------------------------------------------------------------------------

    private static ScalarNode scalar(Node node, String path, String expected) {
        if (node instanceof ScalarNode s) {
            Tag t = s.getTag();
            if (!(Tag.STR.equals(t) || Tag.INT.equals(t) || Tag.FLOAT.equals(t) || Tag.BOOL.equals(t) || Tag.NULL.equals(t))) {
                throw err(path, node, "unsupported YAML tag " + quote(t.getValue()));
            }
            if (s.getValue().length() > ManifestYaml.MAX_STRING_CHARS) throw err(path, node, "value longer than 1 MiB");
            return s;
        }
        throw err(path, node, "expected " + expected + ", got " + describe(node));
    }

    /** Any scalar's text: an unquoted {@code version: 1.0} is still the string "1.0". */
    private static String string(Node node, String path) {
        return scalar(node, path, "a string").getValue();
    }

    private static BigInteger integer(Node node, String path, long min, long max) {
        ScalarNode s = scalar(node, path, "an integer");
        String v = s.getValue();
        BigInteger n = null;
        if (Tag.INT.equals(s.getTag())) {
            if (v.startsWith("0x")) n = new BigInteger(v.substring(2), 16);
            else if (v.startsWith("0o")) n = new BigInteger(v.substring(2), 8);
            else n = new BigInteger(v.startsWith("+") ? v.substring(1) : v);
        }
        if (n == null) throw err(path, node, "expected an integer, got " + quote(v));
        if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
            throw err(path, node, "integer " + quote(v) + " out of range [" + min + ", " + max + "]");
        }
        return n;
    }

    /** All 64-bit integers in ODF (offsets, sizes, sequence numbers, ids) are unsigned. */
    private static long unsigned(Node node, String path) {
        return integer(node, path, 0, Long.MAX_VALUE).longValue();
    }

    private static boolean bool(Node node, String path) {
        ScalarNode s = scalar(node, path, "a boolean");
        if (!Tag.BOOL.equals(s.getTag())) throw err(path, node, "expected a boolean (true/false), got " + quote(s.getValue()));
        return Boolean.parseBoolean(s.getValue());
    }

    private static Instant timestamp(Node node, String path) {
        String v = string(node, path);
        try {
            // RFC3339 allows 't'/' ' as separator and lower-case 'z'
            String t = v.length() > 10 && (v.charAt(10) == 't' || v.charAt(10) == ' ') ? v.substring(0, 10) + "T" + v.substring(11) : v;
            if (t.endsWith("z")) t = t.substring(0, t.length() - 1) + "Z";
            return OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw err(path, node, "expected an RFC3339 timestamp, got " + quote(v));
        }
    }

    private static byte[] base64(Node node, String path) {
        String v = string(node, path);
        try {
            return Base64.getDecoder().decode(v.replaceAll("\\s+", ""));
        } catch (IllegalArgumentException e) {
            throw err(path, node, "invalid base64: " + e.getMessage());
        }
    }

    private static Object parsed(Node node, String path, String what, java.util.function.Function<String, Object> parse) {
        String v = string(node, path);
        try {
            return parse.apply(v);
        } catch (OdfFormatException e) {
            throw err(path, node, "expected " + what + ": " + e.getMessage());
        }
    }

    private static Object enumValue(Class<?> c, Node node, String path) {
        String v = string(node, path);
        for (Object k : c.getEnumConstants()) if (((Enum<?>) k).name().equalsIgnoreCase(v)) return k;
        String known = Arrays.stream(c.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
        throw err(path, node, "unknown " + OdfSchema.label(c) + " " + quote(v) + " (expected one of: " + known + ")");
    }

    // --- extra attributes: free JSON ------------------------------------------------------------------------

    private static ExtraAttributes extra(Node node, String path, int depth) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : entries(node, path, "extra attributes").entrySet()) {
            m.put(e.getKey(), json(e.getValue(), child(path, e.getKey()), depth + 1));
        }
        return new ExtraAttributes(m);
    }

    /** JSON value with JSON types: integers as Long, other numbers as Double. */
    private static Object json(Node node, String path, int depth) {
        if (depth > MAX_DEPTH) throw err(path, node, "nesting too deep");
        if (node instanceof MappingNode) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<String, Node> e : entries(node, path, "an object").entrySet()) {
                m.put(e.getKey(), json(e.getValue(), child(path, e.getKey()), depth + 1));
            }
            return m;
        }
        if (node instanceof SequenceNode s) {
            List<Object> l = new ArrayList<>();
            for (int i = 0; i < s.getValue().size(); i++) l.add(json(s.getValue().get(i), path + "[" + i + "]", depth + 1));
            return l;
        }
        ScalarNode s = scalar(node, path, "a value");
        Tag t = s.getTag();
        if (Tag.NULL.equals(t)) return null;
        if (Tag.BOOL.equals(t)) return Boolean.parseBoolean(s.getValue());
        if (Tag.INT.equals(t)) return integer(node, path, Long.MIN_VALUE, Long.MAX_VALUE).longValue();
        if (Tag.FLOAT.equals(t)) {
            String v = s.getValue().toLowerCase(Locale.ROOT);
            if (v.endsWith(".nan")) return Double.NaN;
            if (v.endsWith(".inf")) return v.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            return Double.parseDouble(v);
        }
        return s.getValue();
    }
}
