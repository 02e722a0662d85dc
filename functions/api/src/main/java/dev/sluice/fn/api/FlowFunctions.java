package dev.sluice.fn.api;

import dev.sluice.flows.FlowConfig;
import dev.sluice.flows.FlowConfigException;
import dev.sluice.flows.FlowConfigJson;
import dev.sluice.flows.FlowDocuments;
import dev.sluice.flows.FlowNotFoundException;
import dev.sluice.flows.FlowService;
import dev.sluice.flows.FlowTargets;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.TaskNotFoundException;
import dev.sluice.flows.TaskView;
import dev.sluice.flows.TriggerResult;
import dev.sluice.fn.common.ApiException;
import dev.sluice.fn.common.Datasets;
import dev.sluice.fn.common.FlowNode;
import dev.sluice.fn.common.Node;
import dev.sluice.odf.chain.ChainState;
import dev.sluice.storage.Dataset;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The flow operations of the api function over shared/flows' {@link FlowService}: a dataset's flows, configure,
 * trigger, pause and resume a flow, list, show and cancel tasks. Datasets are resolved (and their kind checked against
 * the flow type, {@link FlowTargets}) before the state store is touched, so a bad request changes nothing; the
 * answers are {@link FlowDocuments}. {@link FlowResource} puts them on kamu-flavoured paths.
 */
@ApplicationScoped
public class FlowFunctions {
    static final int DEFAULT_TASKS = 20;
    static final int MAX_TASKS = 1000;
    /** Task ids the flow system makes ({@code task-<uuid>}); anything else is not a task, and never reaches the store. */
    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private final FlowNode flows;
    private final Datasets datasets;
    private final Node node;

    public FlowFunctions(FlowNode flows, Datasets datasets, Node node) {
        this.flows = flows;
        this.datasets = datasets;
        this.node = node;
    }

    /** A dataset resolved for a flow request: public alias, id and chain state. */
    private record Target(String alias, String datasetId, ChainState state) {
        boolean pollingSource() {
            return state.pollingSource() != null;
        }

        void check(FlowType type) {
            FlowTargets.check(type, alias, state.kind(), pollingSource());
        }
    }

    private Target target(String account, String name) {
        Dataset ds = datasets.get(account, name);
        return new Target(datasets.publicAlias(ds.alias()), ds.id().toDid(), ds.state());
    }

    private FlowService service() {
        return flows.flows().service();
    }

    /** A flow type as given in a path: {@code ingest|transform|compaction|reset} or kamu's id; anything else is no resource. */
    static FlowType type(String text) {
        try {
            return FlowType.parse(text);
        } catch (FlowConfigException e) {
            throw ApiException.notFound(e.getMessage());
        }
    }

    public FlowDocuments.DatasetFlows flows(String account, String name) {
        Target t = target(account, name);
        return FlowDocuments.datasetFlows(t.alias(), t.datasetId(), t.state().kind().name(), t.pollingSource(),
                FlowTargets.defaultType(t.state().kind(), t.pollingSource()), service().flows(t.datasetId()));
    }

    public FlowDocuments.Flow flow(String account, String name, String type) {
        FlowType ft = type(type);
        Target t = target(account, name);
        return FlowDocuments.flow(named(t, ft, () -> service().flow(t.datasetId(), ft)), t.alias());
    }

    /** Runs a flow operation; "no such flow" names the dataset by its alias rather than its id. */
    private static <T> T named(Target t, FlowType type, Supplier<T> op) {
        try {
            return op.get();
        } catch (FlowNotFoundException e) {
            throw new FlowNotFoundException(t.alias(), type);
        }
    }

    /** Sets a flow's configuration from its JSON form ({@link FlowConfigJson}); creates the flow if it has none. */
    public FlowDocuments.Flow configure(String account, String name, String type, Object configJson) {
        FlowType ft = type(type);
        Target t = target(account, name);
        FlowConfig config = FlowConfigJson.parse(configJson).validateFor(ft);
        t.check(ft);
        return FlowDocuments.flow(service().setConfig(t.datasetId(), ft, config), t.alias());
    }

    /** What a trigger request answers: the flow's task, and whether this request created it. */
    public record Triggered(FlowDocuments.Task task, boolean created) {}

    public Triggered trigger(String account, String name, String type, Integer priority) {
        FlowType ft = type(type);
        Target t = target(account, name);
        t.check(ft);
        TriggerResult r = service().trigger(t.datasetId(), ft, priority);
        return new Triggered(FlowDocuments.task(r.task(), t.alias(), false), r.created());
    }

    public FlowDocuments.Flow pause(String account, String name, String type) {
        FlowType ft = type(type);
        Target t = target(account, name);
        return FlowDocuments.flow(named(t, ft, () -> service().pause(t.datasetId(), ft)), t.alias());
    }

    public FlowDocuments.Flow resume(String account, String name, String type) {
        FlowType ft = type(type);
        Target t = target(account, name);
        return FlowDocuments.flow(named(t, ft, () -> service().resume(t.datasetId(), ft)), t.alias());
    }

    /** A dataset's tasks, newest first. */
    public FlowDocuments.Tasks tasks(String account, String name, int limit) {
        checkLimit(limit);
        Target t = target(account, name);
        return new FlowDocuments.Tasks(service().tasks(t.datasetId(), limit).stream()
                .map(task -> FlowDocuments.task(task, t.alias(), false)).toList());
    }

    /** The node's newest tasks ({@value FlowService#RECENT_DAYS} days back), newest first, with their datasets' aliases. */
    public FlowDocuments.Tasks recentTasks(int limit) {
        checkLimit(limit);
        List<TaskView> tasks = service().recentTasks(limit);
        Map<String, String> aliases = new HashMap<>();
        return new FlowDocuments.Tasks(tasks.stream()
                .map(task -> FlowDocuments.task(task, aliases.computeIfAbsent(task.datasetId(), this::aliasOf), false)).toList());
    }

    /** One task with its log. */
    public FlowDocuments.Task task(String taskId) {
        TaskView t = service().task(checkTaskId(taskId));
        return FlowDocuments.task(t, aliasOf(t.datasetId()), true);
    }

    /** Cancels a queued task (409 once it runs or has ended; cancelling a cancelled task answers it again). */
    public FlowDocuments.Task cancel(String taskId) {
        TaskView t = service().cancel(checkTaskId(taskId));
        return FlowDocuments.task(t, aliasOf(t.datasetId()), true);
    }

    private static String checkTaskId(String taskId) {
        if (taskId == null || !TASK_ID.matcher(taskId).matches()) throw new TaskNotFoundException(taskId == null ? "" : abbreviate(taskId));
        return taskId;
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_TASKS) throw ApiException.badRequest("limit must be between 1 and " + MAX_TASKS);
    }

    /** A dataset's public alias by its id, or null when it no longer exists. */
    private String aliasOf(String datasetId) {
        return node.repository().find(datasetId).map(ds -> datasets.publicAlias(ds.alias())).orElse(null);
    }
}
