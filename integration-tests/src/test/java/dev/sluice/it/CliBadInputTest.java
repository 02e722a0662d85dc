package dev.sluice.it;

import dev.sluice.cli.CliRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input gives one clear error line, a non-zero exit, and writes nothing. */
class CliBadInputTest {
    @TempDir Path ws;
    @TempDir Path inputs;

    static final String ROOT = """
            kind: DatasetSnapshot
            version: 1
            content:
              name: %s
              kind: Root
              metadata:
                - kind: SetInfo
                  description: %s
            """;

    static final String SET_INFO = "    - kind: SetInfo\n      description: x";

    @BeforeEach
    void existingDataset() throws Exception {
        Path ok = inputs.resolve("ok.yaml");
        Files.writeString(ok, ROOT.formatted("existing", "fine"));
        assertEquals(0, Cli.run(ws, "apply", ok.toString()).exit());
    }

    static Stream<Arguments> badManifests() {
        return Stream.of(
                Arguments.of("malformed YAML", "kind: DatasetSnapshot\nversion: 1\ncontent: [unclosed\n", "line"),
                Arguments.of("not a mapping", "- just\n- a list\n", ""),
                Arguments.of("wrong manifest kind", "kind: MetadataBlock\nversion: 1\ncontent: {}\n", "kind"),
                Arguments.of("unsupported version", ROOT.formatted("v", "x").replace("version: 1", "version: 99"), "version"),
                Arguments.of("unknown event kind", ROOT.formatted("u", "x").replace("kind: SetInfo", "kind: SetNonsense"), "SetNonsense"),
                Arguments.of("unknown field", ROOT.formatted("f", "x") + "      bogusField: 1\n", "bogusField"),
                Arguments.of("wrong type", ROOT.formatted("t", "x").replace("description: x", "keywords: 12"), "keywords"),
                Arguments.of("name with slash path", ROOT.formatted("a/b/c", "x"), "a/b/c"),
                Arguments.of("name with dot-dot", ROOT.formatted("../etc", "x"), "../etc"),
                Arguments.of("name with control char", ROOT.formatted("\"bad\\u0001name\"", "x"), "name"),
                Arguments.of("empty name", ROOT.formatted("\"\"", "x"), "name"),
                Arguments.of("name with underscore", ROOT.formatted("bad_name", "x"), "bad_name"),
                Arguments.of("oversized field", ROOT.formatted("big", "x".repeat(2 * 1024 * 1024)), ""),
                Arguments.of("missing kind", "kind: DatasetSnapshot\nversion: 1\ncontent:\n  name: nokind\n  metadata: []\n", "kind"),
                Arguments.of("seed in snapshot", ROOT.formatted("seedy", "x").replace(SET_INFO,
                        "    - kind: Seed\n      datasetId: did:odf:fed012126262ba49e1ba8392c26f7a39e1ba8d756c7469786d3365200c68402ff65dc\n      datasetKind: Root"), "Seed"),
                Arguments.of("bad dataset id", ROOT.formatted("badid", "x").replace("kind: Root", "kind: Derivative").replace(SET_INFO,
                        "    - kind: SetTransform\n      inputs:\n        - datasetRef: did:odf:fed01zz\n      transform: {kind: Sql, engine: duckdb, query: select 1}"), ""),
                Arguments.of("unresolved derivative input", """
                        kind: DatasetSnapshot
                        version: 1
                        content:
                          name: deriv
                          kind: Derivative
                          metadata:
                            - kind: SetTransform
                              inputs:
                                - datasetRef: no-such-dataset
                              transform: {kind: Sql, engine: duckdb, query: select 1}
                        """, "no-such-dataset"),
                Arguments.of("root with a transform", """
                        kind: DatasetSnapshot
                        version: 1
                        content:
                          name: rooty
                          kind: Root
                          metadata:
                            - kind: SetTransform
                              inputs:
                                - datasetRef: existing
                              transform: {kind: Sql, engine: duckdb, query: select 1}
                        """, "SetTransform"),
                Arguments.of("bad hash in a data event", ROOT.formatted("hashy", "x").replace(SET_INFO, "    - kind: AddData\n      prevCheckpoint: f1620zz"), "f1620zz"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badManifests")
    void badManifestIsRejectedCleanly(String what, String yaml, String mentioned) throws Exception {
        Path f = inputs.resolve("bad.yaml");
        Files.writeString(f, yaml, StandardCharsets.UTF_8);
        List<String> before = tree(ws);
        CliRun.Result r = Cli.run(ws, "apply", f.toString());
        assertEquals(1, r.exit(), what + ": " + r);
        assertEquals("", r.out().replaceAll("(?m)^exists .*\\n", ""), what + ": nothing else printed: " + r);
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), what + ": one error line: " + r.err());
        assertTrue(lines.get(0).startsWith("error: "), r.err());
        assertTrue(lines.get(0).contains(mentioned), what + ": names '" + mentioned + "': " + r.err());
        assertTrue(lines.get(0).length() < 600, "error line is short");
        assertEquals(before, tree(ws), what + ": workspace unchanged");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCommands")
    void badArgumentsGiveOneClearLine(String what, String[] args, String mentioned) {
        boolean odf = args[0].equals("odf") || args[0].equals("frobnicate");
        CliRun.Result r = odf ? Cli.runRaw(args) : Cli.run(ws, args);
        assertTrue(r.exit() != 0, what + ": " + r);
        assertTrue(r.err().contains(mentioned), what + ": " + r);
        assertTrue(!r.err().contains("Exception") && !r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    static Stream<Arguments> badCommands() {
        return Stream.of(
                Arguments.of("missing manifest", new String[] {"apply", "/no/such/file.yaml"}, "not found"),
                Arguments.of("unknown dataset", new String[] {"log", "nope"}, "dataset not found: nope"),
                Arguments.of("invalid dataset name", new String[] {"verify", "../../etc"}, "../../etc"),
                Arguments.of("missing block file", new String[] {"odf", "decode", "/no/such/block"}, "not found"),
                Arguments.of("garbage block file", new String[] {"odf", "decode", "/etc/hostname"}, "/etc/hostname"),
                Arguments.of("block yaml with bad hash", new String[] {"odf", "block-hash", "/etc/hostname"}, "/etc/hostname"),
                Arguments.of("unknown command", new String[] {"frobnicate"}, "frobnicate"));
    }

    static List<String> tree(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }
}
