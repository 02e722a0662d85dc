package dev.sluice.cli;

import dev.sluice.storage.DatasetVerifier;
import dev.sluice.storage.VerifyReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = "Verify a dataset end to end: block hashes and links, chain rules, data and checkpoint hashes and sizes.")
final class VerifyCommand implements Callable<Integer> {
    @Mixin WorkspaceOptions ws;

    @Parameters(paramLabel = "DATASET", description = "Dataset alias or did:odf id.")
    String dataset;

    @Override
    public Integer call() throws Exception {
        var ds = ws.repository().get(dataset);
        VerifyReport r = new DatasetVerifier().verify(ds);
        for (String g : r.garbage()) System.out.println("garbage: " + g + " (unreferenced; safe to delete)");
        if (!r.ok()) {
            for (String p : r.problems()) System.err.println("corrupt: " + p);
            System.err.println("error: " + ds.alias() + " FAILED verification: " + r.problems().get(0));
            return 1;
        }
        System.out.printf("ok: %s verified (%d blocks, %d data slices, %d checkpoints)%n", ds.alias(), r.blocks(), r.dataObjects(), r.checkpoints());
        return 0;
    }
}
