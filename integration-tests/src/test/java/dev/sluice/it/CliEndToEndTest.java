package dev.sluice.it;

import dev.sluice.cli.CliRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.DatasetKind;
import dev.sluice.odf.DatasetSnapshot;
import dev.sluice.odf.MetadataBlock;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.TransformInput;
import dev.sluice.odf.codec.BlockCodec;
import dev.sluice.odf.yaml.ManifestYaml;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import dev.sluice.storage.HashedBlock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI over a local workspace, with kamu's own manifests and golden blocks. */
class CliEndToEndTest {
    static final Pattern EXPECTED_HASH = Pattern.compile("expected block hash: (f1620[0-9a-f]{64})");

    @TempDir Path ws;

    static List<Path> manifests() throws Exception {
        try (Stream<Path> s = Files.list(Fixtures.fixtures().resolve("manifests"))) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void applyCreatesAllFixtureManifestsWithValidChains() throws Exception {
        List<Path> files = new ArrayList<>(manifests());
        assertEquals(5, files.size());
        // Put the derivative first: apply must still create its input before it.
        files.sort((a, b) -> Boolean.compare(!a.toString().contains("leaderboard.yaml"), !b.toString().contains("leaderboard.yaml")));
        List<String> args = new ArrayList<>(List.of("apply"));
        files.forEach(f -> args.add(f.toString()));
        CliRun.Result r = Cli.run(ws, args.toArray(String[]::new));
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().indexOf("created player-scores") < r.out().indexOf("created leaderboard"), r.out());

        CliRun.Result list = Cli.run(ws, "list");
        assertEquals(0, list.exit(), list::toString);
        for (String name : List.of("player-scores", "leaderboard", "covid19.alberta.case-details", "ca.bankofcanada.exchange-rates.daily",
                "my.trading.transactions")) {
            assertTrue(list.out().contains(name), list.out());
            CliRun.Result v = Cli.run(ws, "verify", name);
            assertEquals(0, v.exit(), v::toString);
            assertTrue(v.out().startsWith("ok: " + name), v.out());
        }

        var repo = new DatasetRepository(new FileSystemObjectStore(ws.resolve("datasets")));
        Dataset scores = repo.get("player-scores");
        Dataset board = repo.get("leaderboard");
        assertEquals(DatasetKind.Derivative, board.state().kind());
        TransformInput in = board.state().transform().inputs().get(0);
        assertEquals(scores.id().toDid(), in.datasetRef(), "derivative input resolved by name to the dataset id");
        assertEquals("player_scores", in.alias());

        // Every stored block round-trips through binary and YAML unchanged.
        for (var e : repo.list()) {
            for (HashedBlock b : repo.get(e.id().toDid()).blocks()) {
                assertTrue(java.util.Arrays.equals(b.bytes(), BlockCodec.encode(b.block())), "re-encoding gives the stored bytes");
                MetadataBlock again = ManifestYaml.readBlock(ManifestYaml.writeBlock(b.block()));
                assertEquals(b.block(), again);
            }
        }

        CliRun.Result log = Cli.run(ws, "log", "player-scores", "--oneline");
        assertEquals(0, log.exit(), log::toString);
        assertEquals(3, log.out().lines().count(), log.out());
        assertTrue(log.out().lines().findFirst().orElseThrow().contains("SetVocab"), "newest first: " + log.out());
        CliRun.Result yaml = Cli.run(ws, "log", "leaderboard");
        assertEquals(0, yaml.exit(), yaml::toString);
        assertTrue(yaml.out().contains("kind: SetTransform") && yaml.out().contains("kind: Seed"), yaml.out());

        CliRun.Result again = Cli.run(ws, "apply", files.get(0).toString());
        assertEquals(0, again.exit());
        assertTrue(again.out().contains("exists"), again.out());
    }

    @Test
    void fixtureManifestsRoundTripThroughYamlAndBinary() throws Exception {
        for (Path f : manifests()) {
            DatasetSnapshot s = ManifestYaml.readSnapshot(Files.readString(f));
            assertEquals(s, ManifestYaml.readSnapshot(ManifestYaml.writeSnapshot(s)), f.toString());
            long seq = 1;
            for (MetadataEvent e : s.metadata()) {
                MetadataBlock b = new MetadataBlock(java.time.Instant.parse("2024-05-06T07:08:09.123456789Z"), Multihash.sha3("p"), seq++, e);
                assertEquals(b, BlockCodec.decode(BlockCodec.encode(b)), f + " " + e.kind());
            }
        }
    }

    @Test
    void dryRunValidatesWithoutWritingAndListsUnresolvedInputs() throws Exception {
        Path leaderboard = manifests().stream().filter(p -> p.toString().endsWith("leaderboard.yaml")).findFirst().orElseThrow();
        CliRun.Result r = Cli.run(ws, "apply", "--dry-run", leaderboard.toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.out().contains("unresolved inputs player-scores"), r.out());
        assertFalse(Files.exists(ws.resolve("datasets")) && Files.list(ws.resolve("datasets")).findAny().isPresent(), "nothing written");

        Path scores = manifests().stream().filter(p -> p.toString().endsWith("player-scores.yaml")).findFirst().orElseThrow();
        CliRun.Result both = Cli.run(ws, "apply", "--dry-run", leaderboard.toString(), scores.toString());
        assertEquals(0, both.exit(), both::toString);
        assertTrue(both.out().contains("valid   leaderboard"), both.out());
    }

    @Test
    void blockHashReproducesKamuGoldenHashes() throws Exception {
        List<Path> goldens = new ArrayList<>();
        try (Stream<Path> s = Files.list(Fixtures.fixtures().resolve("golden/blocks"))) {
            s.sorted().forEach(goldens::add);
        }
        try (Stream<Path> s = Files.list(Path.of(CliEndToEndTest.class.getResource("/golden").toURI()))) {
            s.sorted().forEach(goldens::add);
        }
        assertEquals(5, goldens.size());
        for (Path g : goldens) {
            Matcher m = EXPECTED_HASH.matcher(Files.readString(g));
            assertTrue(m.find(), g.toString());
            CliRun.Result r = Cli.run(null, "odf", "block-hash", g.toString());
            assertEquals(0, r.exit(), r::toString);
            assertEquals(m.group(1), r.out().strip(), g.getFileName().toString());
        }
    }

    @Test
    void blockYamlFixturesRoundTripThroughBinary() throws Exception {
        try (Stream<Path> s = Files.list(Fixtures.fixtures().resolve("blocks-yaml"))) {
            for (Path f : s.sorted().toList()) {
                Path bin = ws.resolve(f.getFileName() + ".bin");
                CliRun.Result enc = Cli.run(null, "odf", "encode", f.toString(), "-o", bin.toString());
                assertEquals(0, enc.exit(), enc::toString);
                CliRun.Result dec = Cli.run(null, "odf", "decode", bin.toString());
                assertEquals(0, dec.exit(), dec::toString);
                assertTrue(dec.out().startsWith("# block hash: " + enc.out().strip()), dec.out());
                MetadataBlock original = ManifestYaml.readBlock(Files.readString(f));
                assertEquals(original, ManifestYaml.readBlock(dec.out()));
            }
        }
    }
}
