package dev.sluice.odf.yaml;

import static org.junit.jupiter.api.Assertions.*;

import dev.sluice.odf.OdfFormatException;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input: always an OdfFormatException with a one-line message naming the path and the problem. */
class ManifestYamlErrorsTest {
    static final String HASH = "f16209eb949bd8ff0bb1d827f11809aebc6bd0d5955c7f368469a913c70d196620272";

    static String block(String content) {
        return "kind: MetadataBlock\nversion: 3\ncontent:\n" + content.indent(2);
    }

    static String snap(String name, String metadata) {
        return "kind: DatasetSnapshot\nversion: 1\ncontent:\n  name: " + name + "\n  kind: Root\n  metadata:\n" + metadata.indent(4);
    }

    static final String OK_EVENT = "- kind: SetVocab\n  eventTimeColumn: t\n";

    static Stream<Arguments> bad() {
        Function<String, Object> S = ManifestYaml::readSnapshot;
        Function<String, Object> B = ManifestYaml::readBlock;
        Function<String, Object> E = ManifestYaml::readEvent;
        return Stream.of(
                // malformed YAML, with position
                Arguments.of(S, "kind: DatasetSnapshot\nversion: 1\ncontent: {name: [\n", "malformed YAML at line"),
                Arguments.of(S, "a: b\n  c: d\n", "malformed YAML at line 2, column 4: mapping values are not allowed here"),
                Arguments.of(S, "a: 1\n---\nb: 2\n", "malformed YAML"),
                Arguments.of(S, "", "empty YAML document"),
                Arguments.of(S, "- just\n- a list\n", "expected a DatasetSnapshot manifest (a mapping), got a list"),
                Arguments.of(S, "a: &x [*x]\n", "unknown field 'a' in manifest"),
                Arguments.of(E, "kind: SetInfo\nkeywords: &x [*x]\n", "keywords[0]: expected a string, got a list"),
                Arguments.of(E, "kind: SetInfo\ndescription: !!binary aGVsbG8=\n", "description: unsupported YAML tag"),
                Arguments.of(E, "kind: SetInfo\ndescription: !foo bar\n", "description: unsupported YAML tag"),
                Arguments.of(E, "kind: SetInfo\n<<: {description: x}\n", "unknown field '<<'"),
                // manifest envelope
                Arguments.of(S, "kind: MetadataBlock\nversion: 1\ncontent: {}\n", "kind: expected 'DatasetSnapshot', got 'MetadataBlock'"),
                Arguments.of(S, "kind: DatasetSnapshot\nversion: 2\ncontent: {}\n", "version: unsupported DatasetSnapshot version 2 (supported: 1)"),
                Arguments.of(B, block("systemTime: 2020-01-01T00:00:00Z\nsequenceNumber: 0\nevent: {kind: SetInfo}").replace("version: 3", "version: 1"),
                        "unsupported MetadataBlock version 1 (supported: 2 to 3)"),
                Arguments.of(B, "kind: MetadataBlock\nversion: three\ncontent: {}\n", "version: expected an integer, got 'three'"),
                Arguments.of(B, "kind: MetadataBlock\nversion: 3\n", "missing required field 'content' of manifest"),
                Arguments.of(B, "kind: MetadataBlock\nversion: 3\ncontent: {}\nextra: 1\n", "extra: unknown field 'extra' in manifest"),
                // unknown kinds and fields, missing fields
                Arguments.of(S, snap("a", OK_EVENT + OK_EVENT + "- kind: AddPushSource\n  sourceName: s\n  read: {kind: Xml}\n  merge: {kind: Append}\n"),
                        "content.metadata[2].read: unknown read step kind 'Xml' (expected one of: Csv, GeoJson"),
                Arguments.of(S, snap("a", "- kind: SetWatermark\n  outputWatermark: 2020-01-01T00:00:00Z\n"), "content.metadata[0]: unknown event kind 'SetWatermark'"),
                Arguments.of(S, snap("a", "- eventTimeColumn: t\n"), "content.metadata[0]: missing 'kind' of event"),
                Arguments.of(S, snap("a", "- kind: SetVocab\n  eventTimeCol: t\n"), "content.metadata[0].eventTimeCol: unknown field 'eventTimeCol' in SetVocab"),
                Arguments.of(S, snap("a", "- kind: SetVocab\n  eventTimeColumn: t\n  eventTimeColumn: u\n"), "content.metadata[0]: duplicate key 'eventTimeColumn'"),
                Arguments.of(S, snap("a", "- kind: AddPushSource\n  read: {kind: Csv}\n  merge: {kind: Append}\n"),
                        "content.metadata[0]: missing required field 'sourceName' of AddPushSource"),
                Arguments.of(S, snap("a", "- kind: AddPushSource\n  sourceName: s\n  read: {kind: Csv, schema: {fields: [{name: a, type: {kind: option}}]}}\n  merge: {kind: Append}\n"),
                        "content.metadata[0].read.schema.fields[0].type: missing required field 'inner' of Option"),
                Arguments.of(S, snap("a", "- kind: AddPushSource\n  sourceName: s\n  read: {kind: Csv, schema: {fields: [{name: a, type: varchar}]}}\n  merge: {kind: Append}\n"),
                        "content.metadata[0].read.schema.fields[0].type: unknown data type kind 'varchar'"),
                Arguments.of(S, snap("a", "- kind: AddPushSource\n  sourceName: s\n  read: {kind: Csv}\n  merge: {kind: Ledger}\n"),
                        "content.metadata[0].merge: missing required field 'primaryKey' of Ledger"),
                Arguments.of(S, snap("a", "- kind: SetPollingSource\n  fetch: {kind: Url, url: x}\n  prepare: [{kind: Decompress, format: rar}]\n  read: {kind: Csv}\n  merge: {kind: Append}\n"),
                        "content.metadata[0].prepare[0].format: unknown compression format 'rar' (expected one of: Gzip, Zip)"),
                Arguments.of(S, "kind: DatasetSnapshot\nversion: 1\ncontent:\n  name: a\n  kind: Leaf\n  metadata: []\n",
                        "content.kind: unknown dataset kind 'Leaf'"),
                Arguments.of(S, "kind: DatasetSnapshot\nversion: 1\ncontent:\n  name: a\n  kind: Root\n", "content: missing required field 'metadata' of DatasetSnapshot"),
                // wrong types
                Arguments.of(B, block("systemTime: 2020-01-01T00:00:00Z\nsequenceNumber: abc\nevent: {kind: SetInfo}"),
                        "content.sequenceNumber: expected an integer, got 'abc'"),
                Arguments.of(B, block("systemTime: 2020-01-01T00:00:00Z\nsequenceNumber: '1'\nevent: {kind: SetInfo}"),
                        "content.sequenceNumber: expected an integer, got '1'"),
                Arguments.of(B, block("systemTime: 2020-01-01T00:00:00Z\nsequenceNumber: -1\nevent: {kind: SetInfo}"),
                        "content.sequenceNumber: integer '-1' out of range"),
                Arguments.of(B, block("systemTime: 2020-01-01T00:00:00Z\nsequenceNumber: 99999999999999999999\nevent: {kind: SetInfo}"),
                        "content.sequenceNumber: integer '99999999999999999999' out of range"),
                Arguments.of(B, block("systemTime: yesterday\nsequenceNumber: 1\nevent: {kind: SetInfo}"),
                        "content.systemTime: expected an RFC3339 timestamp, got 'yesterday'"),
                Arguments.of(B, block("systemTime: 2020-01-01\nsequenceNumber: 1\nevent: {kind: SetInfo}"),
                        "content.systemTime: expected an RFC3339 timestamp"),
                Arguments.of(B, block("sequenceNumber: 1\nevent: {kind: SetInfo}"), "content: missing required field 'systemTime' of MetadataBlock"),
                Arguments.of(B, block("systemTime: 2020-01-01T00:00:00Z\nsequenceNumber: 1\nevent: SetInfo"),
                        "content.event: expected an event (a mapping), got 'SetInfo'"),
                Arguments.of(B, block("systemTime: 2020-01-01T00:00:00Z\nsequenceNumber: 1\nevent: [SetInfo]"),
                        "content.event: expected an event (a mapping), got a list"),
                Arguments.of(E, "kind: SetInfo\ndescription: {a: b}\n", "description: expected a string, got a mapping"),
                Arguments.of(E, "kind: SetInfo\nkeywords: a\n", "keywords: expected a list, got 'a'"),
                Arguments.of(E, "kind: SetInfo\nkeywords: [a, null]\n", "keywords[1]: list items must not be null"),
                Arguments.of(E, "kind: AddPushSource\nsourceName: s\nread: {kind: Csv, header: yes}\nmerge: {kind: Append}\n",
                        "read.header: expected a boolean (true/false), got 'yes'"),
                Arguments.of(E, "kind: SetDataSchema\nrawArrowSchema: '***'\n", "rawArrowSchema: invalid base64"),
                Arguments.of(E, "kind: SetPollingSource\nfetch: {kind: Mqtt, host: h, port: 99999999999, topics: []}\nread: {kind: Csv}\nmerge: {kind: Append}\n",
                        "fetch.port: integer '99999999999' out of range"),
                Arguments.of(E, "kind: AddData\nextra: [1]\n", "extra: expected extra attributes (a mapping), got a list"),
                // hashes and ids
                Arguments.of(B, block("systemTime: 2020-01-01T00:00:00Z\nprevBlockHash: f1620zz\nsequenceNumber: 1\nevent: {kind: SetInfo}"),
                        "content.prevBlockHash: expected a multihash: invalid hash 'f1620zz'"),
                Arguments.of(B, block("systemTime: 2020-01-01T00:00:00Z\nprevBlockHash: f162\nsequenceNumber: 1\nevent: {kind: SetInfo}"),
                        "content.prevBlockHash: expected a multihash: invalid hash 'f162': odd number of hex digits"),
                Arguments.of(B, block("systemTime: 2020-01-01T00:00:00Z\nprevBlockHash: m" + HASH.substring(1) + "\nsequenceNumber: 1\nevent: {kind: SetInfo}"),
                        "content.prevBlockHash: expected a multihash: invalid hash 'm1620"),
                Arguments.of(B, block("systemTime: 2020-01-01T00:00:00Z\nprevBlockHash: " + HASH.substring(0, 20) + "\nsequenceNumber: 1\nevent: {kind: SetInfo}"),
                        "content.prevBlockHash: expected a multihash"),
                Arguments.of(E, "kind: Seed\ndatasetId: did:odf:zzz\ndatasetKind: Root\n", "datasetId: expected a did:odf dataset id"),
                Arguments.of(E, "kind: Seed\ndatasetId: " + HASH + "\ndatasetKind: Root\n", "datasetId: expected a did:odf dataset id"),
                // invalid names
                Arguments.of(S, snap("a/b/c", OK_EVENT), "content.name: invalid dataset alias 'a/b/c'"),
                Arguments.of(S, snap("a..b", OK_EVENT), "content.name: invalid dataset name 'a..b'"),
                Arguments.of(S, snap("my_data", OK_EVENT), "content.name: invalid dataset name 'my_data'"),
                Arguments.of(S, snap("\"a\\u0001b\"", OK_EVENT), "content.name: invalid dataset name 'a\\u0001b'"),
                Arguments.of(S, snap("\"\"", OK_EVENT), "content.name: invalid dataset name '': must not be empty"),
                Arguments.of(S, snap("kamu/", OK_EVENT), "content.name: invalid dataset alias 'kamu/'"),
                // sizes
                Arguments.of(E, "kind: SetInfo\ndescription: " + "x".repeat(ManifestYaml.MAX_STRING_CHARS + 1) + "\n", "description: value longer than 1 MiB"),
                Arguments.of(E, "kind: SetInfo\ndescription: " + "x".repeat(ManifestYaml.MAX_INPUT_CHARS) + "\n", "YAML document larger than 16 MiB"),
                Arguments.of(E, "a: " + "[".repeat(200) + "]".repeat(200) + "\n", "malformed YAML"));
    }

    @ParameterizedTest
    @MethodSource("bad")
    void rejected(Function<String, Object> reader, String yaml, String expected) {
        OdfFormatException e = assertThrows(OdfFormatException.class, () -> reader.apply(yaml));
        assertTrue(e.getMessage().contains(expected), () -> "message: " + e.getMessage() + "\nexpected to contain: " + expected);
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(e.getMessage().length() < 400, "short: " + e.getMessage());
    }

    @Test
    void billionLaughsIsRejected() {
        StringBuilder y = new StringBuilder("kind: SetInfo\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 12; i++) {
            y.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) y.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            y.append("]\n");
        }
        OdfFormatException e = assertThrows(OdfFormatException.class, () -> ManifestYaml.readEvent(y.toString()));
        assertTrue(e.getMessage().startsWith("malformed YAML"), e.getMessage());
    }

    @Test
    void errorsCarryLineNumbers() {
        String y = snap("a", OK_EVENT + "- kind: AddPushSource\n  sourceName: s\n  read: {kind: Xml}\n  merge: {kind: Append}\n");
        OdfFormatException e = assertThrows(OdfFormatException.class, () -> ManifestYaml.readSnapshot(y));
        assertTrue(e.getMessage().endsWith("(line 11)"), e.getMessage());
    }

    @Test
    void writingIncompleteModelFails() {
        var e = assertThrows(OdfFormatException.class,
                () -> ManifestYaml.writeEvent(new dev.sluice.odf.MetadataEvent.DisablePushSource(null)));
        assertTrue(e.getMessage().contains("sourceName"), e.getMessage());
    }
}
