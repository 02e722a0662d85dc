package dev.sluice.fn.common;

import dev.sluice.flows.FlowSystem;
import dev.sluice.flows.FlowTaskExecutor;
import dev.sluice.flows.FlowTrigger;
import dev.sluice.flows.InputUpdates;
import dev.sluice.flows.SchedulerConfig;
import dev.sluice.pipelines.DefaultFlows;
import dev.sluice.pipelines.LogInputBacklog;
import dev.sluice.state.DatasetIndex;
import dev.sluice.storage.DatasetRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The flow system of this process, built over the node's state store. Executors are the application's
 * {@link FlowTaskExecutor} beans (one per flow type: functions/ingest contributes INGEST, functions/transform
 * TRANSFORM, RESET and COMPACTION); tasks run locally on a bounded pool ({@code sluice.flows.max-concurrent}), or —
 * {@code sluice.flows.dispatch} cloudevents / lambda — are sent to the task functions ({@link RunTaskFunction}).
 *
 * <p>Started with the application, because it hooks the node's repository: {@link InputUpdates} (after the dataset
 * index, whose downstream edges it follows) makes downstream reactive transforms due when an input gets data or is
 * rewritten — off the commit path like the index ({@code sluice.index-updates}: behind, or inline where the runtime
 * freezes after answering); a report lost to a crash is found by the flows' recheck, which reads the log
 * ({@link LogInputBacklog}) — and {@link DefaultFlows} gives a dataset created in this process the flows the node's
 * policy gives it.
 * It stops (running tasks finish, bounded) on the shutdown event, before the node closes the state store.
 */
@Startup
@ApplicationScoped
public class FlowNode {
    private static final Logger LOG = Logger.getLogger(FlowNode.class);

    private final Node node;
    /** Built on first use (a task, a tick, a flow request, a queued input update): see {@link Node} on lazy opening. */
    private final Opening<FlowSystem> flows;
    private final DefaultFlows defaults;
    private final InputUpdates inputUpdates;
    private final AtomicBoolean closed = new AtomicBoolean();

    public FlowNode(Node node, FlowsConfig config, Instance<FlowTaskExecutor> executors) {
        this.node = node;
        if (!node.hasState()) {
            flows = null;
            defaults = null;
            inputUpdates = null;
            return;
        }
        Clock clock = Clock.systemUTC();
        DatasetRepository repo = node.repository();
        // Bad settings fail the start, not the first use.
        DefaultFlows.Policy policy = policy(config);
        SchedulerConfig scheduling = new SchedulerConfig(config.maxConcurrent(), config.maxClaimsPerTick(), config.lease(),
                config.dispatchLease(), config.tickLease(), config.maxRequeues(), config.tickThreads(), config.reactiveRecheck());
        flows = new Opening<>(() -> {
            List<FlowTaskExecutor> list = executors.stream().toList();
            LOG.debugf("flow executors: %s", list.stream().map(e -> e.type().label()).sorted().toList());
            return FlowSystem.builder(node.state().tables()).clock(clock).executors(list)
                    .config(scheduling)
                    .dispatcher(TaskDispatch.fromConfig(config, clock))
                    .inputBacklog(new LogInputBacklog(repo))
                    .build();
        });
        // Both listeners take the flow system when they first need it, so an ordinary commit opens nothing.
        inputUpdates = "behind".equals(node.config().indexUpdates()) ? InputUpdates.behind(() -> flows.get().scheduler(), clock)
                : InputUpdates.inline(() -> flows.get().scheduler(), clock);
        repo.addListener(inputUpdates); // after the index listener Node registered
        defaults = new DefaultFlows(repo, () -> flows.get().service(), policy, clock);
        repo.addListener(defaults);
    }

    static DefaultFlows.Policy policy(FlowsConfig config) {
        long min = config.defaultTransformMinRecords();
        if (min < 0) throw new IllegalArgumentException("sluice.flows.default-transform-min-records must be 0 or more, not " + min);
        return new DefaultFlows.Policy(min == 0 ? null : new FlowTrigger.Reactive(min, config.defaultTransformMaxBatching()),
                config.defaultPollingInterval().orElse(null));
    }

    /** The flow system; 503 when the node runs without a state store. */
    public FlowSystem flows() {
        if (flows == null) throw new ApiException(503, "state-unavailable", "flows need the state store (sluice.state is 'none')");
        return flows.get();
    }

    /** The default-flows policy in force; null without a state store. */
    public DefaultFlows defaultFlows() {
        return defaults;
    }

    /**
     * A node's start: every dataset in storage gets the flows the policy gives it, and a dataset the index does not
     * know yet (written by the CLI while the node was down) is indexed, so the reactive trigger finds its input edges.
     * Lists the repository; no Scan of the state tables.
     */
    public DefaultFlows.Result ensureDefaultFlows() {
        if (defaults == null) return new DefaultFlows.Result(0, 0, 0);
        DatasetIndex index = node.index();
        if (index != null) {
            for (DatasetRepository.Entry e : node.repository().list()) {
                try {
                    if (index.get(e.id()).isEmpty()) index.sync(e.id());
                } catch (RuntimeException ex) {
                    LOG.warnf("indexing %s at start failed (its next commit catches up): %s", e.alias(), ex.toString());
                }
            }
        }
        DefaultFlows.Result r = defaults.ensureAll();
        if (r.created() > 0 || r.failures() > 0) {
            LOG.infof("default flows: %d created for %d datasets (%d failed)", r.created(), r.datasets(), r.failures());
        }
        return r;
    }

    /** Before the node closes the state store: stop taking tasks, let running ones finish (bounded). */
    void stop(@Observes ShutdownEvent event) {
        close();
    }

    @PreDestroy
    void close() {
        if (flows != null && closed.compareAndSet(false, true)) {
            inputUpdates.close(); // reports what is queued while the state store is still open
            flows.ifOpened(FlowSystem::close);
        }
    }
}
