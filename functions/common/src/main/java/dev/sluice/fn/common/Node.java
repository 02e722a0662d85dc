package dev.sluice.fn.common;

import dev.sluice.odf.Multihash;
import dev.sluice.odf.DatasetId;
import dev.sluice.storage.CommitListener;
import dev.sluice.storage.CommitResult;
import dev.sluice.ingest.PushIngest;
import dev.sluice.state.DatasetIndex;
import dev.sluice.state.IndexWriteBehind;
import dev.sluice.state.SluiceState;
import dev.sluice.state.StateConfig;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import dev.sluice.storage.ObjectStores;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * The shared/* objects a function works with, built once per process from {@link NodeConfig}: the dataset
 * repository (with the state index listening to its commits), the state store, and push ingest.
 *
 * <p>The embedded state store (the local node) starts with the application, so a missing Node.js fails the start. A
 * remote one (DynamoDB or an endpoint, whose tables infrastructure code creates) is opened on first use: many requests
 * never touch it — a query, a push (its index and flow updates are written behind the commit), a dataset listing — and
 * building the client and table mappings is the largest part of a cloud function's cold start that is not its own
 * work. A misconfigured endpoint then surfaces on the first call that needs the store, as it would anyway (opening
 * makes no call).
 */
@Startup
@ApplicationScoped
public class Node {
    private static final Logger LOG = Logger.getLogger(Node.class);

    private final NodeConfig config;
    private final Path dataDir;
    private final DatasetRepository repository;
    /** Null without a state store. */
    private final Opening<SluiceState> state;
    private final Opening<DatasetIndex> index;
    private final IndexWriteBehind indexWriteBehind;
    private final PushIngest ingest;

    public Node(NodeConfig config) {
        this.config = config;
        this.dataDir = Path.of(config.data()).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataDir.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data folder " + dataDir, e);
        }
        // Local mode is kamu's single tenant: "kamu/name" and "name" are the same dataset (SQL, paths, manifests).
        this.repository = new DatasetRepository(config.storage().map(ObjectStores::open)
                .orElseGet(() -> new FileSystemObjectStore(dataDir.resolve("datasets"))), Clock.systemUTC(),
                config.localMode() ? config.account() : null);
        StateConfig sc = stateConfig(config, dataDir);
        if (sc == null) {
            this.state = null;
            this.index = null;
            this.indexWriteBehind = null;
        } else {
            if (!config.indexUpdates().equals("behind") && !config.indexUpdates().equals("inline")) {
                throw new IllegalArgumentException("sluice.index-updates must be behind or inline, not " + config.indexUpdates());
            }
            this.state = new Opening<>(() -> openState(config, sc));
            if (sc.isEmbedded()) state.get();
            this.index = new Opening<>(() -> new DatasetIndex(state.get().tables(), repository));
            // Behind: a commit only enqueues; the worker opens the store when it applies the first update.
            this.indexWriteBehind = config.indexUpdates().equals("behind") ? new IndexWriteBehind(index::get) : null;
            repository.addListener(indexWriteBehind != null ? indexWriteBehind : new CommitListener() {
                // Inline (runtimes that freeze after answering): the first commit opens the store. A listener must not
                // throw; if the store cannot be opened the index catches up from the log later, as after any failure.
                @Override
                public void committed(DatasetId id, String alias, CommitResult result) {
                    withIndex(alias, i -> i.committed(id, alias, result));
                }

                @Override
                public void headReplaced(DatasetId id, String alias, Multihash oldHead, Multihash newHead) {
                    withIndex(alias, i -> i.headReplaced(id, alias, oldHead, newHead));
                }
            });
        }
        this.ingest = new PushIngest(dataDir.resolve("tmp"));
        LOG.infof("datasets in %s, state %s", repository.store().describe(), sc == null ? "none"
                : sc.isEmbedded() ? state.get().config().describeEndpoint() : sc.describeEndpoint() + " (opened on first use)");
    }

    private void withIndex(String alias, java.util.function.Consumer<DatasetIndex> update) {
        DatasetIndex i;
        try {
            i = index.get();
        } catch (RuntimeException e) {
            LOG.warnf("dataset index unavailable, %s is caught up from the log later: %s", alias, e.toString());
            return;
        }
        update.accept(i);
    }

    private static StateConfig stateConfig(NodeConfig config, Path dataDir) {
        String s = config.state().strip();
        return switch (s) {
            case "none" -> null;
            case "embedded" -> StateConfig.embedded(dataDir.resolve("state")).withPrefix(config.tablePrefix());
            case "aws" -> StateConfig.aws(System.getenv().getOrDefault("AWS_REGION", "us-east-1"), config.tablePrefix());
            default -> StateConfig.endpoint(URI.create(s), System.getenv().getOrDefault("AWS_REGION", "us-east-1"), config.tablePrefix());
        };
    }

    private static SluiceState openState(NodeConfig config, StateConfig sc) {
        boolean create = switch (config.stateTables().orElse(sc.isEmbedded() ? "create" : "existing").strip()) {
            case "create" -> true;
            case "existing" -> false;
            default -> throw new IllegalArgumentException("sluice.state-tables must be create or existing, not " + config.stateTables().get());
        };
        // Closed by close() below during the application's shutdown: the embedded store's own JVM hook must not kill it
        // first (hooks run concurrently), or the last writes of finishing tasks and the index queue would be lost.
        return SluiceState.open(sc, create, java.util.List.of()).closedByOwnerAtShutdown(java.time.Duration.ofSeconds(60));
    }

    public NodeConfig config() {
        return config;
    }

    public DatasetRepository repository() {
        return repository;
    }

    public PushIngest ingest() {
        return ingest;
    }

    /** Scratch space for spooled uploads and cached slices. */
    public Path scratchDir() {
        return dataDir.resolve("tmp");
    }

    /** The dataset index in the state store (opening the store if needed), or null without one. */
    public DatasetIndex index() {
        return index == null ? null : index.get();
    }

    /** Whether the node has a state store ({@code sluice.state} is not {@code none}); does not open it. */
    public boolean hasState() {
        return state != null;
    }

    /** The state store, opened on first use; null when the node runs without one ({@code sluice.state=none}). */
    public SluiceState state() {
        return state == null ? null : state.get();
    }

    /** Stops the embedded state store (its child process) with the application. */
    @PreDestroy
    void close() {
        if (indexWriteBehind != null) indexWriteBehind.close(); // drains queued index updates first
        if (state != null) state.ifOpened(SluiceState::close);
    }
}
