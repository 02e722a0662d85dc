package dev.sluice.cli;

import dev.sluice.data.SliceReader;
import dev.sluice.ingest.SliceFiles;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.HashedBlock;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tail", mixinStandardHelpOptions = true, description = "Show the last records of a dataset.")
final class TailCommand implements Callable<Integer> {
    @Mixin WorkspaceOptions ws;

    @Parameters(paramLabel = "DATASET")
    String dataset;

    @Option(names = {"-n", "--num-records"}, paramLabel = "N", description = "How many records (default ${DEFAULT-VALUE}).", defaultValue = "10")
    int n;

    @Override
    public Integer call() throws Exception {
        if (n < 1 || n > 100_000) throw new IllegalArgumentException("-n must be between 1 and 100000");
        Dataset ds = ws.repository().get(dataset);
        SliceFiles files = new SliceFiles(ws.dir().resolve("tmp").resolve("slice-cache"));
        Deque<List<String>> rows = new ArrayDeque<>();
        List<String> header = null;
        // Newest slices first, until n rows are collected.
        for (HashedBlock b : ds.blocks()) {
            var slice = b.block().event() instanceof MetadataEvent.AddData a ? a.newData()
                    : b.block().event() instanceof MetadataEvent.ExecuteTransform x ? x.newData() : null;
            if (slice == null) continue;
            Path f = files.local(ds, slice.physicalHash());
            List<List<String>> sliceRows = new ArrayList<>();
            try (SliceReader r = SliceReader.open(f, null, 4096)) {
                while (r.hasNext()) {
                    VectorSchemaRoot batch = r.next();
                    if (header == null) header = batch.getSchema().getFields().stream().map(x -> x.getName()).toList();
                    for (int i = 0; i < batch.getRowCount(); i++) {
                        List<String> row = new ArrayList<>();
                        for (FieldVector v : batch.getFieldVectors()) {
                            Object o = v.getObject(i);
                            row.add(o == null ? "null" : o.toString());
                        }
                        sliceRows.add(row);
                    }
                }
            }
            for (int i = sliceRows.size() - 1; i >= 0 && rows.size() < n; i--) rows.addFirst(sliceRows.get(i));
            if (rows.size() >= n) break;
        }
        if (header == null) {
            System.out.println("no data in " + ds.alias());
            return 0;
        }
        Table.print(header, new ArrayList<>(rows));
        return 0;
    }
}
