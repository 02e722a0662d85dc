package dev.sluice.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.engine.InProcessEngineProvisioner;
import dev.sluice.flows.FlowConfig;
import dev.sluice.flows.FlowConfigException;
import dev.sluice.flows.FlowTrigger;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.FlowView;
import dev.sluice.odf.yaml.ManifestYaml;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which flows datasets get on their own: at creation, on metadata commits, and for every dataset at a node's start. */
class DefaultFlowsTest {
    @TempDir Path dir;

    static String polledRoot(String name) {
        return IngestExecutorTest.polled(name, IngestExecutorTest.url("http://127.0.0.1:9/none.csv"), IngestExecutorTest.LEDGER);
    }

    @Test
    void derivativesFollowTheirInputsPolledRootsGetAScheduleOnlyWhenTheNodeSetsOne() throws Exception {
        try (Harness h = new Harness(dir)) {
            Dataset scores = h.createFixture("kamu-cli__leaderboard__player-scores.yaml");
            Dataset polled = h.create(polledRoot("polled"));
            Dataset board = h.createFixture("kamu-cli__leaderboard__leaderboard.yaml");
            assertEquals(List.of(), h.flows.service().flows(Harness.did(scores)));
            assertEquals(List.of(), h.flows.service().flows(Harness.did(polled)), "no default polling interval");
            List<FlowView> flows = h.flows.service().flows(Harness.did(board));
            assertEquals(1, flows.size());
            assertEquals(FlowType.TRANSFORM, flows.get(0).type());
            assertEquals(new FlowTrigger.Reactive(1, Duration.ZERO), flows.get(0).config().trigger());
            assertNotNull(flows.get(0).nextDueAt());
        }
        try (Harness h = new Harness(dir.resolve("interval"), new DefaultFlows.Policy(new FlowTrigger.Reactive(100, Duration.ofMinutes(10)),
                Duration.ofHours(1)), InProcessEngineProvisioner.load())) {
            Dataset polled = h.create(polledRoot("polled"));
            Dataset scores = h.createFixture("kamu-cli__leaderboard__player-scores.yaml");
            Dataset board = h.createFixture("kamu-cli__leaderboard__leaderboard.yaml");
            FlowView ingest = h.flows.service().flow(Harness.did(polled), FlowType.INGEST);
            assertEquals(new FlowTrigger.Interval(Duration.ofHours(1)), ingest.config().trigger());
            assertNotNull(ingest.nextDueAt(), "an interval fires first at once");
            assertEquals(List.of(), h.flows.service().flows(Harness.did(scores)), "push-only: nothing to poll");
            assertEquals(new FlowTrigger.Reactive(100, Duration.ofMinutes(10)),
                    h.flows.service().flow(Harness.did(board), FlowType.TRANSFORM).config().trigger(), "the node's batching");
        }
        try (Harness h = new Harness(dir.resolve("none"), new DefaultFlows.Policy(null, null), InProcessEngineProvisioner.load())) {
            h.createFixture("kamu-cli__leaderboard__player-scores.yaml");
            Dataset board = h.createFixture("kamu-cli__leaderboard__leaderboard.yaml");
            assertEquals(List.of(), h.flows.service().flows(Harness.did(board)), "policy without a transform trigger");
        }
        assertThrows(FlowConfigException.class, () -> new DefaultFlows.Policy(null, Duration.ofMillis(500)));
    }

    @Test
    void aNodeStartGivesDatasetsCreatedWhileItWasDownTheirFlowsAndLeavesConfiguredOnesAlone() throws Exception {
        // Datasets written by another process (the CLI) through a repository with no listeners.
        DatasetRepository cli = new DatasetRepository(new FileSystemObjectStore(dir.resolve("datasets")));
        cli.create(ManifestYaml.readSnapshot(Files.readString(Harness.fixture("kamu-cli__leaderboard__player-scores.yaml"))));
        Dataset board = cli.create(ManifestYaml.readSnapshot(Files.readString(Harness.fixture("kamu-cli__leaderboard__leaderboard.yaml"))));
        Dataset other = cli.create(ManifestYaml.readSnapshot(Files.readString(Harness.fixture("kamu-cli__leaderboard__leaderboard.yaml"))
                .replace("name: leaderboard", "name: configured")));
        try (Harness h = new Harness(dir)) {
            FlowConfig mine = FlowConfig.of(new FlowTrigger.Reactive(50, Duration.ofHours(1)));
            h.flows.service().setConfig(Harness.did(other), FlowType.TRANSFORM, mine);
            h.flows.service().pause(Harness.did(other), FlowType.TRANSFORM);

            DefaultFlows.Result r = h.defaults.ensureAll();
            assertEquals(new DefaultFlows.Result(3, 1, 0), r);
            assertEquals(FlowTrigger.Reactive.immediate(), h.flows.service().flow(Harness.did(board), FlowType.TRANSFORM).config().trigger());
            FlowView kept = h.flows.service().flow(Harness.did(other), FlowType.TRANSFORM);
            assertEquals(mine, kept.config(), "a configured flow is never overwritten");
            assertEquals("paused by user", kept.pausedReason());
            assertEquals(new DefaultFlows.Result(3, 0, 0), h.defaults.ensureAll(), "idempotent");
            assertTrue(h.defaults.ensure(board).isEmpty());
            assertNull(h.flows.service().flows(Harness.did(board)).get(0).pausedReason());
            assertEquals(0, h.defaults.failures());
        }
    }
}
