package dev.sluice.pipelines;

import dev.sluice.compaction.Compactor;
import dev.sluice.engine.EngineProvisioner;
import dev.sluice.engine.InProcessEngineProvisioner;
import dev.sluice.flows.FlowSystem;
import dev.sluice.flows.FlowTaskExecutor;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.InputUpdates;
import dev.sluice.flows.TaskRunner;
import dev.sluice.flows.TaskView;
import dev.sluice.flows.TriggerResult;
import dev.sluice.ingest.IngestSource;
import dev.sluice.ingest.PushIngest;
import dev.sluice.ingest.poll.PollOptions;
import dev.sluice.ingest.poll.PollingIngest;
import dev.sluice.odf.yaml.ManifestYaml;
import dev.sluice.state.DatasetIndex;
import dev.sluice.state.DynamoClients;
import dev.sluice.state.EmbeddedDynamo;
import dev.sluice.state.StateConfig;
import dev.sluice.state.StateTables;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import dev.sluice.transform.TransformService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The pipelines as a node wires them, on real parts: filesystem datasets, the state tables in dynalite (one per test
 * JVM, fresh table prefix per harness) with the dataset index, the reactive trigger and the default-flows policy
 * listening to commits, the real DuckDB engine. Dispatched tasks are collected and run by the test on its own
 * thread ({@link #drain}), so a test decides when work happens.
 */
final class Harness implements AutoCloseable {
    private static EmbeddedDynamo dynamo;

    final Path dir;
    final StateTables tables;
    final DatasetRepository repo;
    final DatasetIndex index;
    final PushIngest push;
    final EngineProvisioner engines;
    final TransformService transforms;
    final FlowSystem flows;
    final DefaultFlows defaults;
    final ConcurrentLinkedQueue<String> dispatched = new ConcurrentLinkedQueue<>();
    /** The system clock, which a test can move ahead (reactive rechecks, batching intervals). */
    final ShiftedClock clock = new ShiftedClock();

    Harness(Path dir) {
        this(dir, DefaultFlows.Policy.defaults(), InProcessEngineProvisioner.load());
    }

    Harness(Path dir, DefaultFlows.Policy policy, EngineProvisioner engines) {
        this.dir = dir;
        StateConfig cfg = StateConfig.endpoint(dynamo().endpoint(), "us-east-1", "p" + UUID.randomUUID().toString().substring(0, 8) + "-");
        this.tables = new StateTables(DynamoClients.build(cfg, List.of()), cfg.tablePrefix(), cfg.describeEndpoint(), cfg.dueShards())
                .ensureCreated();
        this.repo = new DatasetRepository(new FileSystemObjectStore(dir.resolve("datasets")), clock);
        this.index = new DatasetIndex(tables, repo);
        repo.addListener(index);
        Path scratch = dir.resolve("tmp");
        this.push = new PushIngest(scratch, clock);
        this.engines = engines;
        this.transforms = new TransformService(repo, engines, scratch, clock);
        List<FlowTaskExecutor> executors = List.of(
                new IngestExecutor(repo, new PollingIngest(scratch, clock), PollOptions::defaults),
                new TransformExecutor(repo, transforms),
                new ResetExecutor(repo, transforms),
                new CompactionExecutor(repo, new Compactor(scratch.resolve("compaction"))));
        this.flows = FlowSystem.builder(tables).clock(clock).executors(executors)
                .inputBacklog(new LogInputBacklog(repo)).dispatcher(runner -> t -> dispatched.add(t.taskId())).build();
        repo.addListener(new InputUpdates(flows.scheduler(), clock));
        this.defaults = new DefaultFlows(repo, flows.service(), policy, clock);
        repo.addListener(defaults);
    }

    static synchronized EmbeddedDynamo dynamo() {
        if (dynamo == null || !dynamo.isAlive()) {
            try {
                Path target = Path.of("target").toAbsolutePath();
                Files.createDirectories(target);
                dynamo = EmbeddedDynamo.start(Files.createTempDirectory(target, "dynalite-")); // stops at JVM exit
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dynamo;
    }

    static Path fixture(String name) {
        return Path.of(System.getProperty("sluice.sharedDir", "../../../shared"), "fixtures", "manifests", name);
    }

    /** Creates a dataset as the node's API does: then indexes it, so the index has its input edges before any commit. */
    Dataset create(String yaml) {
        Dataset ds = repo.create(ManifestYaml.readSnapshot(yaml));
        index.sync(ds.id());
        return ds;
    }

    Dataset createFixture(String name) throws IOException {
        return create(Files.readString(fixture(name)));
    }

    void push(Dataset ds, String ndjson) {
        push.ingest(ds, null, "application/x-ndjson", IngestSource.ofBytes(ndjson.getBytes(StandardCharsets.UTF_8)), null);
    }

    static String did(Dataset ds) {
        return ds.id().toDid();
    }

    /** Triggers the flow manually and runs its task here; the task as it ended. */
    TaskView run(Dataset ds, FlowType type) {
        TriggerResult t = flows.service().trigger(did(ds), type, null);
        drain();
        return flows.service().task(t.task().taskId());
    }

    /** One tick now, then runs what it dispatched; the tasks run, in order. */
    List<TaskView> tick() {
        flows.scheduler().tick("tick-" + UUID.randomUUID(), clock.instant());
        return drain();
    }

    /** Runs every dispatched task on this thread. */
    List<TaskView> drain() {
        List<TaskView> ran = new ArrayList<>();
        for (String id; (id = dispatched.poll()) != null; ) {
            TaskRunner.Result r = flows.runner().run(id);
            if (r != TaskRunner.Result.SKIPPED) ran.add(flows.service().task(id));
        }
        return ran;
    }

    @Override
    public void close() {
        flows.close();
        engines.close();
        tables.client().close();
    }
}
