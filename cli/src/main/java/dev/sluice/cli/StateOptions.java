package dev.sluice.cli;

import dev.sluice.state.SluiceState;
import dev.sluice.state.StateConfig;
import dev.sluice.state.StateUnavailableException;
import java.net.URI;
import picocli.CommandLine.Option;

/**
 * Where a workspace command finds the operational state store: the embedded one in {@code <workspace>/state} (what
 * {@code ./sluice up} on the same folder uses), or a DynamoDB-compatible endpoint.
 */
final class StateOptions {
    @Option(names = "--dynamodb-endpoint", paramLabel = "URI",
            description = "A DynamoDB-compatible endpoint instead of the embedded store in <workspace>/state.")
    URI endpoint;

    @Option(names = "--table-prefix", paramLabel = "PREFIX", defaultValue = "sluice-", description = "Table name prefix (default ${DEFAULT-VALUE}).")
    String prefix;

    StateConfig config(WorkspaceOptions ws) {
        return endpoint != null ? StateConfig.endpoint(endpoint, "us-east-1", prefix)
                : StateConfig.embedded(ws.dir().resolve("state")).withPrefix(prefix);
    }

    /** Opens the store; the embedded one cannot be opened while a node runs on the same workspace, and the error says so. */
    SluiceState open(WorkspaceOptions ws) {
        try {
            return SluiceState.open(config(ws));
        } catch (StateUnavailableException e) {
            if (endpoint != null) throw e;
            throw new StateUnavailableException("cannot open the state store in " + ws.dir().resolve("state") + ": " + e.getMessage()
                    + " (if ./sluice up is running on this workspace, use --node URL instead)", e);
        }
    }
}
