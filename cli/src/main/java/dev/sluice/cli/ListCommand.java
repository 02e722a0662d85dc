package dev.sluice.cli;

import dev.sluice.odf.Multihash;
import dev.sluice.odf.chain.ChainState;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List datasets in the workspace.")
final class ListCommand implements Callable<Integer> {
    @Mixin WorkspaceOptions ws;
    @Mixin NodeOptions node;

    @Override
    public Integer call() {
        NodeClient client = node.client(ws);
        if (client != null) return listOn(client);
        DatasetRepository repo = ws.repository();
        var entries = repo.list();
        if (entries.isEmpty()) {
            System.out.println("no datasets in " + ws.dir());
            return 0;
        }
        System.out.printf("%-40s %-10s %6s  %-9s %s%n", "NAME", "KIND", "BLOCKS", "HEAD", "ID");
        for (var e : entries) {
            Dataset ds = repo.get(e.id().toDid());
            ChainState st = ds.state();
            System.out.printf("%-40s %-10s %6d  %-9s %s%n", e.alias(), st.kind(), st.sequenceNumber() + 1, st.head().shortForm(), e.id());
        }
        return 0;
    }

    /** The same table from the node's {@code GET /datasets}. */
    private static int listOn(NodeClient client) {
        var datasets = client.getJson("datasets").path("datasets");
        if (datasets.isEmpty()) {
            System.out.println("no datasets on " + client.base());
            return 0;
        }
        System.out.printf("%-40s %-10s %6s  %-9s %s%n", "NAME", "KIND", "BLOCKS", "HEAD", "ID");
        for (var d : datasets) {
            System.out.printf("%-40s %-10s %6d  %-9s %s%n", d.path("alias").asText(), d.path("kind").asText(), d.path("blocks").asLong(),
                    Multihash.fromMultibase(d.path("head").asText()).shortForm(), d.path("id").asText());
        }
        return 0;
    }
}
