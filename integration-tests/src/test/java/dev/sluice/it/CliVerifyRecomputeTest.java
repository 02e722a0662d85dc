package dev.sluice.it;

import dev.sluice.cli.CliRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineProvisioner;
import dev.sluice.engine.InProcessEngineProvisioner;
import dev.sluice.engine.TransformRequest;
import dev.sluice.engine.TransformResponse;
import dev.sluice.ingest.IngestSource;
import dev.sluice.ingest.PushIngest;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Transform;
import dev.sluice.odf.yaml.ManifestYaml;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetLayout;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import dev.sluice.storage.HashedBlock;
import dev.sluice.transform.TransformService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./sluice verify DATASET --recompute over a workspace holding the leaderboard fixture pair. */
class CliVerifyRecomputeTest {
    @TempDir Path ws;
    @TempDir Path scratch;

    static final String[] PUSHES = {
            "{\"match_time\":\"2000-01-01T00:00:00Z\",\"match_id\":1,\"player_id\":\"alice\",\"score\":100}\n"
                    + "{\"match_time\":\"2000-01-01T00:00:00Z\",\"match_id\":1,\"player_id\":\"bob\",\"score\":80}\n",
            "{\"match_time\":\"2000-01-02T00:00:00Z\",\"match_id\":2,\"player_id\":\"charlie\",\"score\":90}\n"};

    /** Builds the workspace's datasets with the given engines (the real one, or one that forges results). */
    Dataset build(EngineProvisioner engines) throws Exception {
        DatasetRepository repo = new DatasetRepository(new FileSystemObjectStore(ws.resolve("datasets")));
        Path manifests = Fixtures.fixtures().resolve("manifests");
        Dataset scores = repo.create(ManifestYaml.readSnapshot(Files.readString(manifests.resolve("kamu-cli__leaderboard__player-scores.yaml"))));
        Dataset board = repo.create(ManifestYaml.readSnapshot(Files.readString(manifests.resolve("kamu-cli__leaderboard__leaderboard.yaml"))));
        PushIngest ingest = new PushIngest(scratch.resolve("ingest"));
        TransformService transforms = new TransformService(repo, engines, scratch.resolve("transform"), Clock.systemUTC());
        for (String p : PUSHES) {
            ingest.ingest(scores, null, "application/x-ndjson", IngestSource.ofBytes(p.getBytes(StandardCharsets.UTF_8)), null);
            transforms.transform(board, 10);
        }
        return board;
    }

    @Test
    void recomputePassesThenCatchesATamperedSlice() throws Exception {
        Dataset board;
        try (var engines = InProcessEngineProvisioner.load()) {
            board = build(engines);
        }
        CliRun.Result ok = Cli.run(ws, "verify", "leaderboard", "--recompute");
        assertEquals(0, ok.exit(), ok::toString);
        assertTrue(ok.out().contains("ok: leaderboard recomputed (2 transform steps reproduce from the inputs)"), ok.out());
        CliRun.Result root = Cli.run(ws, "verify", "player-scores", "--recompute");
        assertEquals(0, root.exit(), root::toString);
        assertTrue(root.out().contains("nothing to recompute: player-scores is a root dataset"), root.out());

        // Overwrite the newest output slice with another valid slice's bytes: caught, and named.
        Path newest = null, older = null;
        for (HashedBlock b : board.blocks()) {
            if (b.block().event() instanceof MetadataEvent.ExecuteTransform x && x.newData() != null) {
                Path f = board.store().localFile(DatasetLayout.data(board.id(), x.newData().physicalHash())).orElseThrow();
                if (newest == null) newest = f;
                else if (older == null) older = f;
            }
        }
        Files.copy(older, newest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        CliRun.Result bad = Cli.run(ws, "verify", "leaderboard", "--recompute");
        assertEquals(1, bad.exit(), bad::toString);
        assertTrue(bad.err().contains("FAILED verification") && bad.err().contains(newest.getFileName().toString()), bad.err());
    }

    @Test
    void onlyRecomputeCatchesDataThatDoesNotFollowFromTheInputs() throws Exception {
        try (var real = InProcessEngineProvisioner.load()) {
            Engine duck = real.engineFor("duckdb").orElseThrow();
            // Claims to be the real engine, computes something else: every hash in the chain is consistent.
            Engine forger = new Engine() {
                public String name() {
                    return duck.name();
                }

                public String build() {
                    return duck.build();
                }

                public boolean accepts(String d) {
                    return duck.accepts(d);
                }

                public boolean recomputes(Transform.Sql t) {
                    return duck.recomputes(t);
                }

                public TransformResponse transform(TransformRequest r) {
                    String sql = r.transform().outputQuery().replace("order by score desc", "order by score asc");
                    return duck.transform(new TransformRequest(r.datasetId(), r.datasetAlias(), r.systemTime(), r.vocab(),
                            new Transform.Sql(r.transform().engine(), null, sql, null, null), r.queryInputs(), r.nextOffset(),
                            r.prevCheckpointPath(), r.newCheckpointPath(), r.newDataPath()));
                }
            };
            build(d -> forger.accepts(d) ? Optional.of(forger) : Optional.empty());
        }
        CliRun.Result plain = Cli.run(ws, "verify", "leaderboard");
        assertEquals(0, plain.exit(), plain::toString);
        CliRun.Result deep = Cli.run(ws, "verify", "leaderboard", "--recompute");
        assertEquals(1, deep.exit(), deep::toString);
        assertTrue(deep.err().contains("mismatch: block #") && deep.err().contains("logical hash: block has"), deep.err());
        assertTrue(deep.err().contains("FAILED recompute: 2 of 2 transform steps"), deep.err());
    }
}
