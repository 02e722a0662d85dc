package dev.sluice.cli;

import dev.sluice.compaction.CompactionOptions;
import dev.sluice.compaction.CompactionReport;
import dev.sluice.compaction.Compactor;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "compact", mixinStandardHelpOptions = true,
        description = {"Merge runs of small data slices of a root dataset into bigger ones and rewrite its chain (hard compaction).",
                "The data does not change; block hashes from the first merged run on do, so derivatives reading the dataset",
                "see a breaking change and recompute. Replaced objects stay behind until garbage collection."})
final class CompactCommand implements Callable<Integer> {
    /** Concurrent pushes make the head swap fail; each retry re-plans from the new head. */
    static final int MAX_ATTEMPTS = 5;

    @Mixin WorkspaceOptions ws;

    @Parameters(paramLabel = "DATASET", description = "Root dataset alias or did:odf id.")
    String dataset;

    @Option(names = "--max-slice-records", paramLabel = "N",
            description = "Most records in a merged slice (default: ${DEFAULT-VALUE}).")
    long maxSliceRecords = CompactionOptions.DEFAULT_MAX_SLICE_RECORDS;

    @Option(names = "--max-slice-size", paramLabel = "BYTES",
            description = "Most bytes of slices merged into one (sum of their sizes; default: ${DEFAULT-VALUE}).")
    long maxSliceSize = CompactionOptions.DEFAULT_MAX_SLICE_SIZE;

    @Override
    public Integer call() {
        CompactionOptions options = CompactionOptions.defaults().withMaxSliceRecords(maxSliceRecords).withMaxSliceSize(maxSliceSize);
        var ds = ws.repository().get(dataset);
        CompactionReport r = new Compactor(ws.dir().resolve("tmp")).compact(ds, options, MAX_ATTEMPTS);
        if (!r.changed()) {
            System.out.printf("%s is already compact: %d blocks, %d data slices (head %s unchanged)%n",
                    ds.alias(), r.blocksAfter(), r.slicesAfter(), r.newHead().shortForm());
        } else {
            System.out.printf("compacted %s: %d → %d blocks, %d → %d data slices, head %s → %s%n", ds.alias(), r.blocksBefore(),
                    r.blocksAfter(), r.slicesBefore(), r.slicesAfter(), r.oldHead().shortForm(), r.newHead().shortForm());
        }
        return 0;
    }
}
