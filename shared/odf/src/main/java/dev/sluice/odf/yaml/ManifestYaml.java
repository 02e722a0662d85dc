package dev.sluice.odf.yaml;

import dev.sluice.odf.DatasetAlias;
import dev.sluice.odf.DatasetSnapshot;
import dev.sluice.odf.MetadataBlock;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.OdfFormatException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * ODF manifests in kamu's YAML form: {@code DatasetSnapshot} (version 1), {@code MetadataBlock} (versions 2 and
 * 3 read, 3 written) and {@code MetadataEvent} (version 1, as taken by GraphQL {@code commitEvent}).
 *
 * <p>Reading accepts what kamu accepts: case-insensitive {@code kind} tags, short DataType forms
 * ({@code type: string}), the legacy DDL {@code schema:} list in read steps, and the {@code query} shorthand
 * of SQL transforms (kept as is). Writing produces the canonical form. Every problem with the input is an
 * {@link OdfFormatException} with a one-line message naming the path, e.g.
 * {@code content.metadata[2].read: unknown read step kind 'Xml' (...)}.
 */
public final class ManifestYaml {
    /** Largest accepted document (characters, or bytes for the byte[] overloads). */
    public static final int MAX_INPUT_CHARS = 16 << 20;
    /** Largest accepted single scalar (a string field, a base64 blob, ...). */
    public static final int MAX_STRING_CHARS = 1 << 20;

    public static final String KIND_SNAPSHOT = "DatasetSnapshot";
    public static final String KIND_BLOCK = "MetadataBlock";
    public static final String KIND_EVENT = "MetadataEvent";

    private ManifestYaml() {}

    // --- reading --------------------------------------------------------------------------------------------

    public static DatasetSnapshot readSnapshot(String yaml) {
        return guarded(() -> {
            DatasetSnapshot s = NodeReader.read(DatasetSnapshot.class, content(parse(yaml), KIND_SNAPSHOT, 1, 1), "content");
            try {
                DatasetAlias.parse(s.name());
            } catch (OdfFormatException e) {
                throw new OdfFormatException("content.name: " + e.getMessage());
            }
            return s;
        });
    }

    public static MetadataBlock readBlock(String yaml) {
        return guarded(() -> NodeReader.read(MetadataBlock.class, content(parse(yaml), KIND_BLOCK, 2, MetadataBlock.MANIFEST_VERSION), "content"));
    }

    /** Reads an event given either as a {@code kind: MetadataEvent} manifest or bare ({@code kind: SetInfo ...}). */
    public static MetadataEvent readEvent(String yaml) {
        return guarded(() -> {
            Node root = parse(yaml);
            if (NodeReader.entries(root, "", "a manifest").containsKey("content")) {
                return NodeReader.read(MetadataEvent.class, content(root, KIND_EVENT, 1, 1), "content");
            }
            return NodeReader.read(MetadataEvent.class, root, "");
        });
    }

    public static DatasetSnapshot readSnapshot(byte[] utf8) {
        return readSnapshot(decode(utf8));
    }

    public static MetadataBlock readBlock(byte[] utf8) {
        return readBlock(decode(utf8));
    }

    public static MetadataEvent readEvent(byte[] utf8) {
        return readEvent(decode(utf8));
    }

    // --- writing --------------------------------------------------------------------------------------------

    public static String writeSnapshot(DatasetSnapshot snapshot) {
        return dump(manifest(KIND_SNAPSHOT, 1, snapshot));
    }

    public static String writeBlock(MetadataBlock block) {
        return dump(manifest(KIND_BLOCK, MetadataBlock.MANIFEST_VERSION, block));
    }

    /** The {@code kind: MetadataEvent, version: 1} manifest kamu's {@code commitEvent} expects. */
    public static String writeEvent(MetadataEvent event) {
        return dump(manifest(KIND_EVENT, 1, event));
    }

    /** Just the event mapping ({@code kind: SetInfo ...}), e.g. to embed in another document. */
    public static String writeEventContent(MetadataEvent event) {
        return dump(TreeWriter.tree(event));
    }

    // --- internals ------------------------------------------------------------------------------------------

    /** Safety net so callers only ever see OdfFormatException for bad input (tests assert it is never hit). */
    private static <T> T guarded(java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (OdfFormatException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new OdfFormatException("unexpected error reading YAML: " + oneLine(String.valueOf(e)), e);
        }
    }

    private static Map<String, Object> manifest(String kind, int version, Object content) {
        if (content == null) throw new OdfFormatException("cannot write a null " + kind);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("version", version);
        m.put("content", TreeWriter.tree(content));
        return m;
    }

    private static Node content(Node root, String kind, int minVersion, int maxVersion) {
        Map<String, Node> top = NodeReader.entries(root, "", "a " + kind + " manifest");
        for (String key : top.keySet()) {
            if (!key.equals("kind") && !key.equals("version") && !key.equals("content")) {
                throw NodeReader.err(key, top.get(key), "unknown field " + NodeReader.quote(key) + " in manifest (expected kind, version, content)");
            }
        }
        String k = NodeReader.read(String.class, require(top, "kind", root), "kind");
        if (!k.equalsIgnoreCase(kind)) throw NodeReader.err("kind", top.get("kind"), "expected '" + kind + "', got " + NodeReader.quote(k));
        long v = NodeReader.read(Long.class, require(top, "version", root), "version");
        if (v < minVersion || v > maxVersion) {
            String want = minVersion == maxVersion ? "" + minVersion : minVersion + " to " + maxVersion;
            throw NodeReader.err("version", top.get("version"), "unsupported " + kind + " version " + v + " (supported: " + want + ")");
        }
        return require(top, "content", root);
    }

    private static Node require(Map<String, Node> m, String key, Node parent) {
        Node n = m.get(key);
        if (n == null || Tag.NULL.equals(n.getTag())) throw NodeReader.err("", parent, "missing required field '" + key + "' of manifest");
        return n;
    }

    private static Node parse(String yaml) {
        if (yaml == null) throw new OdfFormatException("missing YAML document");
        if (yaml.length() > MAX_INPUT_CHARS) throw new OdfFormatException("YAML document larger than 16 MiB");
        LoaderOptions opts = new LoaderOptions();
        opts.setAllowDuplicateKeys(false);
        opts.setAllowRecursiveKeys(false);
        opts.setMaxAliasesForCollections(50);
        opts.setNestingDepthLimit(100);
        opts.setCodePointLimit(MAX_INPUT_CHARS + 1);
        opts.setTagInspector(tag -> false); // never instantiate global tags (compose does not construct anyway)
        Yaml y = new Yaml(new SafeConstructor(opts), new Representer(new DumperOptions()), new DumperOptions(), opts, new OdfResolver());
        Node root;
        try {
            root = y.compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String at = m == null ? "" : " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1);
            String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
            throw new OdfFormatException("malformed YAML" + at + ": " + oneLine(problem), e);
        } catch (YAMLException | IllegalStateException | StackOverflowError e) {
            throw new OdfFormatException("malformed YAML: " + oneLine(String.valueOf(e.getMessage())), e);
        }
        if (root == null) throw new OdfFormatException("empty YAML document");
        return root;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\n\\s*", " ");
    }

    private static String decode(byte[] utf8) {
        if (utf8 == null) throw new OdfFormatException("missing YAML document");
        if (utf8.length > MAX_INPUT_CHARS) throw new OdfFormatException("YAML document larger than 16 MiB");
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new OdfFormatException("YAML document is not valid UTF-8");
        }
    }

    private static String dump(Object tree) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setSplitLines(false);
        o.setAllowUnicode(true);
        o.setLineBreak(DumperOptions.LineBreak.UNIX);
        return new Yaml(new SafeConstructor(new LoaderOptions()), new LiteralStrings(o), o, new LoaderOptions(), new OdfResolver()).dump(tree);
    }

    /** Multi-line strings (SQL, READMEs) as literal blocks; never {@code !!binary} for odd characters. */
    private static final class LiteralStrings extends Representer {
        LiteralStrings(DumperOptions o) {
            super(o);
            representers.put(String.class, data -> {
                String s = (String) data;
                return representScalar(Tag.STR, s, s.indexOf('\n') >= 0 ? DumperOptions.ScalarStyle.LITERAL : defaultScalarStyle);
            });
        }
    }
}
