package dev.sluice.cli;

import dev.sluice.compaction.Compactor;
import dev.sluice.engine.InProcessEngineProvisioner;
import dev.sluice.ingest.poll.PollOptions;
import dev.sluice.ingest.poll.PollingIngest;
import dev.sluice.pipelines.CompactionExecutor;
import dev.sluice.pipelines.IngestExecutor;
import dev.sluice.pipelines.ResetExecutor;
import dev.sluice.pipelines.TransformExecutor;
import dev.sluice.query.DuckDbPreprocessor;
import dev.sluice.transform.TransformService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.flows.FlowConfig;
import dev.sluice.flows.FlowConfigJson;
import dev.sluice.flows.FlowDocuments;
import dev.sluice.flows.FlowNotFoundException;
import dev.sluice.flows.FlowService;
import dev.sluice.flows.FlowSystem;
import dev.sluice.flows.FlowTargets;
import dev.sluice.flows.FlowTaskExecutor;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.TaskView;
import dev.sluice.flows.TriggerResult;
import dev.sluice.odf.DatasetAlias;
import dev.sluice.odf.chain.ChainState;
import dev.sluice.state.SluiceState;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@link FlowsApi} on the workspace itself: the flow system over the workspace's state store (the one
 * {@code ./sluice up} uses on the same folder, so only while no node runs on it). No scheduler runs here: a triggered
 * task is run in this process at once, by the flow system's task runner with the node's executors (shared/pipelines).
 */
final class LocalFlows implements FlowsApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DatasetRepository repository;
    private final SluiceState state;
    private final FlowSystem flows;
    private final Set<FlowType> runnable = EnumSet.noneOf(FlowType.class);

    /** Takes over {@code state} (closed with this). */
    LocalFlows(DatasetRepository repository, SluiceState state, List<FlowTaskExecutor> executors) {
        this.repository = repository;
        this.state = state;
        executors.forEach(e -> runnable.add(e.type()));
        // Dispatch does nothing: the triggered task is run below, in this process; a queued task of another flow that
        // the trigger's dispatch pass picks up goes back to the queue when its dispatch lease ends.
        this.flows = FlowSystem.builder(state.tables()).executors(executors).dispatcher(runner -> task -> { }).build();
    }

    static LocalFlows open(WorkspaceOptions ws, StateOptions stateOptions) {
        DatasetRepository repository = ws.repository();
        return new LocalFlows(repository, stateOptions.open(ws), workspaceExecutors(ws, repository));
    }

    /**
     * The task executors workspace mode runs triggered tasks with: the same shared/pipelines executors the node uses
     * (engines in process, scratch files under the workspace's {@code .tmp}).
     */
    static List<FlowTaskExecutor> workspaceExecutors(WorkspaceOptions ws, DatasetRepository repository) {
        Path scratch = ws.dir().resolve(".tmp");
        try {
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create scratch folder " + scratch, e);
        }
        TransformService transforms = new TransformService(repository, InProcessEngineProvisioner.load(), scratch, Clock.systemUTC());
        PollingIngest polling = new PollingIngest(scratch, Clock.systemUTC(), new DuckDbPreprocessor(scratch));
        return List.of(
                new IngestExecutor(repository, polling, () -> PollOptions.defaults().baseDir(Path.of("").toAbsolutePath())),
                new TransformExecutor(repository, transforms),
                new ResetExecutor(repository, transforms),
                new CompactionExecutor(repository, new Compactor(scratch)));
    }

    /** A dataset resolved for a flow request. */
    private record Target(String alias, String datasetId, ChainState state) {
        boolean pollingSource() {
            return state.pollingSource() != null;
        }
    }

    private Target target(String dataset) {
        Dataset ds = repository.get(dataset);
        return new Target(publicAlias(ds.alias()), ds.id().toDid(), ds.state());
    }

    /** As a node shows it: kamu's single-tenant account before a bare name. */
    static String publicAlias(String storedAlias) {
        DatasetAlias a = DatasetAlias.parse(storedAlias);
        return a.hasAccount() ? a.toString() : WorkspaceOptions.DEFAULT_ACCOUNT + "/" + a.name();
    }

    private FlowService service() {
        return flows.service();
    }

    private static JsonNode json(Object document) {
        return JSON.valueToTree(document);
    }

    /** "No such flow" names the dataset by its alias, as a node does. */
    private static <T> T named(Target t, FlowType type, Supplier<T> op) {
        try {
            return op.get();
        } catch (FlowNotFoundException e) {
            throw new FlowNotFoundException(t.alias(), type);
        }
    }

    @Override
    public JsonNode datasetFlows(String dataset) {
        Target t = target(dataset);
        return json(FlowDocuments.datasetFlows(t.alias(), t.datasetId(), t.state().kind().name(), t.pollingSource(),
                FlowTargets.defaultType(t.state().kind(), t.pollingSource()), service().flows(t.datasetId())));
    }

    @Override
    public JsonNode configure(String dataset, FlowType type, Map<String, Object> config) {
        Target t = target(dataset);
        FlowConfig c = FlowConfigJson.parse(config).validateFor(type);
        FlowTargets.check(type, t.alias(), t.state().kind(), t.pollingSource());
        return json(FlowDocuments.flow(service().setConfig(t.datasetId(), type, c), t.alias()));
    }

    @Override
    public JsonNode pause(String dataset, FlowType type) {
        Target t = target(dataset);
        return json(FlowDocuments.flow(named(t, type, () -> service().pause(t.datasetId(), type)), t.alias()));
    }

    @Override
    public JsonNode resume(String dataset, FlowType type) {
        Target t = target(dataset);
        return json(FlowDocuments.flow(named(t, type, () -> service().resume(t.datasetId(), type)), t.alias()));
    }

    @Override
    public Triggered trigger(String dataset, FlowType type, Integer priority) {
        Target t = target(dataset);
        FlowTargets.check(type, t.alias(), t.state().kind(), t.pollingSource());
        if (!runnable.contains(type)) {
            throw new IllegalStateException("workspace mode cannot run " + type.label() + " tasks (no scheduler or " + type.label()
                    + " pipeline in the CLI): start the node with ./sluice up and use --node URL (or SLUICE_NODE)");
        }
        TriggerResult r = service().trigger(t.datasetId(), type, priority);
        String taskId = r.task().taskId();
        flows.runner().run(taskId); // a no-op unless the task is still queued (another worker may hold it)
        return new Triggered(json(FlowDocuments.task(service().task(taskId), t.alias(), true)), r.created(), true);
    }

    @Override
    public JsonNode tasks(String dataset, int limit) {
        Target t = target(dataset);
        return json(new FlowDocuments.Tasks(service().tasks(t.datasetId(), limit).stream()
                .map(task -> FlowDocuments.task(task, t.alias(), false)).toList()));
    }

    @Override
    public JsonNode recentTasks(int limit) {
        Map<String, String> aliases = new HashMap<>();
        return json(new FlowDocuments.Tasks(service().recentTasks(limit).stream()
                .map(task -> FlowDocuments.task(task, aliases.computeIfAbsent(task.datasetId(), this::aliasOf), false)).toList()));
    }

    @Override
    public JsonNode task(String taskId) {
        TaskView t = service().task(FlowsApi.checkTaskId(taskId));
        return json(FlowDocuments.task(t, aliasOf(t.datasetId()), true));
    }

    private String aliasOf(String datasetId) {
        return repository.find(datasetId).map(ds -> publicAlias(ds.alias())).orElse(null);
    }

    @Override
    public void close() {
        try {
            flows.close();
        } finally {
            state.close();
        }
    }
}
