package dev.sluice.cli;

import picocli.CommandLine.Option;

/**
 * {@code --node URL}: talk to a running node over its REST API instead of the local workspace. Without the option,
 * {@code $SLUICE_NODE} names the node, unless {@code --workspace} asks for a local folder.
 */
final class NodeOptions {
    @Option(names = "--node", paramLabel = "URL",
            description = "A running node's URL (./sluice up prints it) to work with instead of the workspace (default: $SLUICE_NODE).")
    String url;

    /** The node to talk to, or null for the local workspace. */
    NodeClient client(WorkspaceOptions ws) {
        if (url != null && ws.workspace != null) throw new IllegalArgumentException("give --node or --workspace, not both");
        String u = url != null ? url : ws.workspace != null ? null : System.getenv("SLUICE_NODE");
        return u == null || u.isBlank() ? null : new NodeClient(u);
    }
}
