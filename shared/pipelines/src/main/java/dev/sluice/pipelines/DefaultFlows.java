package dev.sluice.pipelines;

import dev.sluice.flows.FlowConfig;
import dev.sluice.flows.FlowService;
import dev.sluice.flows.FlowTrigger;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.FlowView;
import dev.sluice.odf.DatasetId;
import dev.sluice.odf.DatasetKind;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.chain.ChainState;
import dev.sluice.storage.CommitListener;
import dev.sluice.storage.CommitResult;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.Optional;

/**
 * Which flows a dataset gets without anyone configuring them (the node's policy; a flow that exists — configured,
 * paused or manual — is never touched):
 * <ul>
 *   <li>a <b>derivative</b> gets a TRANSFORM flow with a reactive trigger — by default {@code Reactive(1, 0)}: run on
 *       every input update — due at once, as a recheck of its inputs (see {@link LogInputBacklog}), so a first run
 *       catches up with what its inputs hold already (and none runs while they hold nothing);
 *   <li>a <b>root with a polling source</b> gets an INGEST flow only when the node sets a default polling interval;
 *       otherwise it is polled when triggered, until someone gives its flow a schedule (a node should not start
 *       fetching URLs from every manifest it is handed on a period it did not choose);
 *   <li>push-only roots get nothing (their data arrives by push); COMPACTION and RESET are set up by hand.
 * </ul>
 * As a {@link CommitListener} it applies the policy when a dataset is created and when a commit adds a polling source
 * or a transform; {@link #ensureAll} applies it to every dataset in storage (a node's start, for datasets created by
 * the CLI while it was down) by listing the repository — no Scan of the state tables. Failures are logged and
 * counted, never thrown into the write that triggered them.
 */
public final class DefaultFlows implements CommitListener {
    private static final System.Logger LOG = System.getLogger(DefaultFlows.class.getName());

    /**
     * @param transformTrigger trigger of the TRANSFORM flow a derivative gets; null: derivatives get none
     * @param pollingInterval  schedule of the INGEST flow a root with a polling source gets; null: none
     */
    public record Policy(FlowTrigger.Reactive transformTrigger, Duration pollingInterval) {
        public Policy {
            if (pollingInterval != null) new FlowTrigger.Interval(pollingInterval); // validates (≥ 1 s, whole seconds)
        }

        /** Derivatives follow every input update; roots are not polled on a schedule nobody chose. */
        public static Policy defaults() {
            return new Policy(FlowTrigger.Reactive.immediate(), null);
        }
    }

    /** What {@link #ensureAll} did. */
    public record Result(int datasets, int created, int failures) {}

    private final DatasetRepository repo;
    /** Asked only when a dataset needs flows (creation, a new source or transform), not on ordinary commits. */
    private final Supplier<FlowService> flows;
    private final Policy policy;
    private final Clock clock;
    private volatile long failures;

    public DefaultFlows(DatasetRepository repo, FlowService flows, Policy policy, Clock clock) {
        this(repo, supplierOf(Objects.requireNonNull(flows, "flows")), policy, clock);
    }

    /** With a flow service obtained on first need: a lazily opened state store stays closed through ordinary commits. */
    public DefaultFlows(DatasetRepository repo, Supplier<FlowService> flows, Policy policy, Clock clock) {
        this.repo = Objects.requireNonNull(repo, "repo");
        this.flows = Objects.requireNonNull(flows, "flows");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private static Supplier<FlowService> supplierOf(FlowService flows) {
        return () -> flows;
    }

    public Policy policy() {
        return policy;
    }

    /** Creates the flows the policy gives a dataset in {@code state} and it lacks; returns those created. */
    public List<FlowView> ensure(String datasetId, ChainState state) {
        List<FlowView> created = new ArrayList<>();
        Instant now = clock.instant();
        if (state.kind() == DatasetKind.Derivative && state.transform() != null && policy.transformTrigger() != null) {
            flows.get().createIfAbsent(datasetId, FlowType.TRANSFORM, FlowConfig.of(policy.transformTrigger()), now).ifPresent(created::add);
        }
        if (state.kind() == DatasetKind.Root && state.pollingSource() != null && policy.pollingInterval() != null) {
            flows.get().createIfAbsent(datasetId, FlowType.INGEST, FlowConfig.of(new FlowTrigger.Interval(policy.pollingInterval())), null)
                    .ifPresent(created::add);
        }
        return created;
    }

    public List<FlowView> ensure(Dataset ds) {
        return ensure(ds.id().toDid(), ds.state());
    }

    /** {@link #ensure} for every dataset in storage; a dataset that fails is logged and skipped. */
    public Result ensureAll() {
        int datasets = 0;
        int created = 0;
        int failed = 0;
        for (DatasetRepository.Entry e : repo.list()) {
            datasets++;
            try {
                Optional<Dataset> ds = repo.find(e.id().toDid());
                if (ds.isPresent()) created += ensure(ds.get()).size();
            } catch (RuntimeException ex) {
                failed++;
                fail(e.alias(), ex);
            }
        }
        return new Result(datasets, created, failed);
    }

    @Override
    public void created(DatasetId id, String alias, ChainState state) {
        try {
            ensure(id.toDid(), state);
        } catch (RuntimeException e) {
            fail(alias, e);
        }
    }

    @Override
    public void committed(DatasetId id, String alias, CommitResult result) {
        MetadataEvent e = result.block().event();
        if (!(e instanceof MetadataEvent.SetPollingSource) && !(e instanceof MetadataEvent.SetTransform)) return;
        try {
            repo.find(id.toDid()).ifPresent(this::ensure);
        } catch (RuntimeException ex) {
            fail(alias, ex);
        }
    }

    /** Datasets whose default flows could not be written (the state store failed); they get them at the next start. */
    public long failures() {
        return failures;
    }

    private synchronized void fail(String alias, RuntimeException e) {
        failures++;
        LOG.log(Level.WARNING, "default flows for " + alias + " could not be set up (retried at the next start): " + e);
    }
}
