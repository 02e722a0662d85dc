package dev.sluice.cli;

import dev.sluice.state.Reindexer;
import dev.sluice.state.SluiceState;
import dev.sluice.storage.DatasetRepository;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "reindex", mixinStandardHelpOptions = true,
        description = {"Wipe the dataset index (datasets and blocks tables) and rebuild it from storage alone.",
                "Flows, tasks, accounts, tokens and idempotency records are operational data, not part of the log: reindex leaves them alone."})
final class ReindexCommand implements Callable<Integer> {
    @Mixin WorkspaceOptions ws;

    @Parameters(arity = "0..1", paramLabel = "DATASET", description = "Only this dataset (default: all).")
    String dataset;

    @Mixin StateOptions stateOptions;

    @Override
    public Integer call() {
        DatasetRepository repo = ws.repository();
        boolean tty = System.console() != null;
        try (SluiceState state = stateOptions.open(ws)) {
            Reindexer reindexer = new Reindexer(state.tables(), repo);
            Reindexer.Result r = dataset != null ? reindexer.runOne(repo.get(dataset)) : reindexer.run(p -> {
                if (tty) System.err.printf("\rreindexing: %d/%d datasets, %d blocks", p.datasetsDone(), p.datasetsTotal(), p.blocksDone());
            });
            if (tty) System.err.print("\r\033[K");
            System.out.printf("reindexed %d dataset(s), %d blocks in %d ms (%.0f blocks/s); removed %d stale items%n",
                    r.datasets(), r.blocks(), r.took().toMillis(), r.blocksPerSecond(), r.itemsWiped());
            System.out.println(r.note());
        }
        return 0;
    }
}
