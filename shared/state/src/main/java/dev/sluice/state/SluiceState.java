package dev.sluice.state;

import java.time.Clock;
import java.util.List;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Opens the operational-state store described by a {@link StateConfig}: starts the embedded dynalite when asked,
 * builds the client, creates missing tables (unless told they exist), and hands out the repositories. Closing it closes the client and stops
 * the embedded store.
 */
public final class SluiceState implements AutoCloseable {
    private final StateConfig config;
    private final EmbeddedDynamo embedded;
    private final DynamoDbClient client;
    private final StateTables tables;

    private SluiceState(StateConfig config, EmbeddedDynamo embedded, DynamoDbClient client, StateTables tables) {
        this.config = config;
        this.embedded = embedded;
        this.client = client;
        this.tables = tables;
    }

    public static SluiceState open(StateConfig config) {
        return open(config, List.of());
    }

    /** Opens with extra SDK interceptors (metrics, call counting in tests): then over the AWS SDK client, see {@link DynamoClients}. */
    public static SluiceState open(StateConfig config, List<ExecutionInterceptor> interceptors) {
        return open(config, true, interceptors);
    }

    /**
     * Opens the store; with {@code createTables} false the tables are taken to exist (created by infrastructure code,
     * e.g. infra/terraform) and no call is made at all until the first read or write: the start of a cloud function
     * then skips about twenty round trips and the classes behind them. A missing table surfaces on first use as the
     * SDK's ResourceNotFoundException.
     */
    public static SluiceState open(StateConfig config, boolean createTables, List<ExecutionInterceptor> interceptors) {
        EmbeddedDynamo embedded = null;
        StateConfig effective = config;
        if (config.isEmbedded()) {
            embedded = EmbeddedDynamo.start(config.embeddedDir());
            effective = config.withEndpoint(embedded.endpoint());
        }
        DynamoDbClient client = null;
        try {
            client = DynamoClients.build(effective, interceptors);
            StateTables tables = new StateTables(client, effective.tablePrefix(), effective.describeEndpoint(),
                    effective.dueShards());
            if (createTables) tables.ensureCreated();
            return new SluiceState(effective, embedded, client, tables);
        } catch (RuntimeException e) {
            if (client != null) client.close();
            if (embedded != null) embedded.close();
            throw e;
        }
    }

    public StateConfig config() {
        return config;
    }

    /**
     * The owner closes this state in its own orderly shutdown: an embedded store then outlives the JVM's shutdown
     * hooks for up to {@code grace} (see {@link EmbeddedDynamo#closedByOwnerAtShutdown}). No effect on remote stores.
     */
    public SluiceState closedByOwnerAtShutdown(java.time.Duration grace) {
        if (embedded != null) embedded.closedByOwnerAtShutdown(grace);
        return this;
    }

    public StateTables tables() {
        return tables;
    }

    public IdempotencyStore idempotency(Clock clock) {
        return new IdempotencyStore(tables, clock);
    }

    public FlowRepository flows() {
        return new FlowRepository(tables);
    }

    public TaskRepository tasks() {
        return new TaskRepository(tables);
    }

    public AccountRepository accounts() {
        return new AccountRepository(tables);
    }

    public TokenRepository tokens(Clock clock) {
        return new TokenRepository(tables, clock);
    }

    @Override
    public void close() {
        client.close();
        if (embedded != null) embedded.close();
    }
}
