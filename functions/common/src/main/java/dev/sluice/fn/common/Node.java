package dev.sluice.fn.common;

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
 * repository (with the state index listening to its commits), the state store, and push ingest. Started eagerly so
 * a misconfiguration (no Node.js for the embedded store, unreachable endpoint) fails the start, not the first request.
 */
@Startup
@ApplicationScoped
public class Node {
    private static final Logger LOG = Logger.getLogger(Node.class);

    private final NodeConfig config;
    private final Path dataDir;
    private final DatasetRepository repository;
    private final SluiceState state;
    private final DatasetIndex index;
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
        this.state = openState(config, dataDir);
        this.index = state == null ? null : new DatasetIndex(state.tables(), repository);
        this.indexWriteBehind = index != null && config.indexUpdates().equals("behind") ? new IndexWriteBehind(index) : null;
        if (index != null && !config.indexUpdates().equals("behind") && !config.indexUpdates().equals("inline")) {
            throw new IllegalArgumentException("sluice.index-updates must be behind or inline, not " + config.indexUpdates());
        }
        if (index != null) repository.addListener(indexWriteBehind != null ? indexWriteBehind : index);
        this.ingest = new PushIngest(dataDir.resolve("tmp"));
        LOG.infof("datasets in %s, state %s", repository.store().describe(), state == null ? "none" : state.config().describeEndpoint());
    }

    private static SluiceState openState(NodeConfig config, Path dataDir) {
        String s = config.state().strip();
        StateConfig sc = switch (s) {
            case "none" -> null;
            case "embedded" -> StateConfig.embedded(dataDir.resolve("state")).withPrefix(config.tablePrefix());
            case "aws" -> StateConfig.aws(System.getenv().getOrDefault("AWS_REGION", "us-east-1"), config.tablePrefix());
            default -> StateConfig.endpoint(URI.create(s), System.getenv().getOrDefault("AWS_REGION", "us-east-1"), config.tablePrefix());
        };
        if (sc == null) return null;
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

    /** The dataset index in the state store, or null without one. */
    public DatasetIndex index() {
        return index;
    }

    /** Null when the node runs without a state store ({@code sluice.state=none}). */
    public SluiceState state() {
        return state;
    }

    /** Stops the embedded state store (its child process) with the application. */
    @PreDestroy
    void close() {
        if (indexWriteBehind != null) indexWriteBehind.close(); // drains queued index updates first
        if (state != null) state.close();
    }
}
