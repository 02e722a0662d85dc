package dev.sluice.cli;

import dev.sluice.data.SliceReader;
import dev.sluice.odf.Multihash;
import dev.sluice.storage.DataVerifier;
import dev.sluice.storage.DatasetVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine.Option;
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

    @Option(names = "--shallow", description = "Skip recomputing logical hashes of data slices (file hashes are still checked).")
    boolean shallow;

    @Override
    public Integer call() throws Exception {
        var ds = ws.repository().get(dataset);
        // Deep check: each slice's logical hash recomputed from its rows (arrow0-sha3-256), not only its file hash.
        DataVerifier logical = (slice, in) -> {
            Path tmp = Files.createTempFile("sluice-verify-", ".parquet");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Multihash actual = SliceReader.logicalHash(tmp);
                return actual.equals(slice.logicalHash()) ? null : "logical hash of the rows is " + actual + ", block says " + slice.logicalHash();
            } finally {
                Files.deleteIfExists(tmp);
            }
        };
        VerifyReport r = new DatasetVerifier(shallow ? null : logical).verify(ds);
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
