package dev.sluice.cli;

import dev.sluice.data.SliceReader;
import dev.sluice.engine.InProcessEngineProvisioner;
import dev.sluice.odf.DatasetKind;
import dev.sluice.odf.Multihash;
import dev.sluice.storage.DataVerifier;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.DatasetVerifier;
import dev.sluice.storage.VerifyReport;
import dev.sluice.transform.TransformService;
import dev.sluice.transform.TransformVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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

    @Option(names = "--recompute", description = "For a derivative: also re-run every transform in a scratch folder and compare the"
            + " physical and logical hashes of each output slice and checkpoint with the chain (deletes and commits nothing).")
    boolean recompute;

    @Override
    public Integer call() throws Exception {
        DatasetRepository repo = ws.repository();
        var ds = repo.get(dataset);
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
        return recompute ? recompute(repo, ds) : 0;
    }

    private int recompute(DatasetRepository repo, Dataset ds) throws IOException {
        if (ds.state().kind() != DatasetKind.Derivative) {
            System.out.println("nothing to recompute: " + ds.alias() + " is a root dataset");
            return 0;
        }
        Path scratch = Files.createTempDirectory("sluice-recompute-");
        try (InProcessEngineProvisioner engines = InProcessEngineProvisioner.load()) {
            TransformService service = new TransformService(repo, engines, scratch, Clock.systemUTC());
            TransformVerifier.Report report = new TransformVerifier(service).verify(ds);
            int bad = 0;
            for (TransformVerifier.BlockCheck b : report.blocks()) {
                String head = "block #" + b.sequenceNumber() + " " + b.block().shortForm();
                if (b.outcome() == TransformVerifier.Outcome.MATCH) {
                    System.out.println("recomputed " + head + ": output and checkpoint match");
                } else {
                    bad++;
                    System.err.println((b.outcome() == TransformVerifier.Outcome.MISMATCH ? "mismatch: " : "error: ") + head + ": "
                            + String.join("; ", b.details()));
                }
            }
            if (bad > 0) {
                System.err.println("error: " + ds.alias() + " FAILED recompute: " + bad + " of " + report.blocks().size()
                        + " transform steps do not reproduce from the inputs");
                return 1;
            }
            System.out.printf("ok: %s recomputed (%d transform steps reproduce from the inputs)%n", ds.alias(), report.blocks().size());
            return 0;
        } finally {
            try (Stream<Path> s = Files.walk(scratch)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }
}
