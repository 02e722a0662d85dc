package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.Instant;
import java.time.LocalDate;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tail", mixinStandardHelpOptions = true, description = "Show the last records of a dataset.")
final class TailCommand implements Callable<Integer> {
    @Mixin WorkspaceOptions ws;
    @Mixin NodeOptions node;

    @Parameters(paramLabel = "DATASET")
    String dataset;

    @Option(names = {"-n", "--num-records"}, paramLabel = "N", description = "How many records (default ${DEFAULT-VALUE}).", defaultValue = "10")
    int n;

    @Override
    public Integer call() throws Exception {
        if (n < 1 || n > 100_000) throw new IllegalArgumentException("-n must be between 1 and 100000");
        NodeClient client = node.client(ws);
        if (client != null) return tailOn(client);
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
                        for (FieldVector v : batch.getFieldVectors()) row.add(format(v, i));
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

    /** The same table from the node's {@code GET /{account}/{dataset}/tail} (rows as JSON objects, columns in order). */
    private int tailOn(NodeClient client) {
        JsonNode answer = client.getJson(NodeClient.datasetPath(dataset) + "/tail?limit=" + n);
        JsonNode data = answer.path("data");
        if (data.isEmpty()) {
            // As local mode names it: the stored alias, which in a single-tenant workspace has no account part.
            String alias = answer.path("dataset").asText(dataset);
            System.out.println("no data in " + (alias.startsWith(WorkspaceOptions.DEFAULT_ACCOUNT + "/") ? alias.substring(alias.indexOf('/') + 1) : alias));
            return 0;
        }
        List<String> header = new ArrayList<>();
        data.get(0).fieldNames().forEachRemaining(header::add);
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode r : data) {
            List<String> row = new ArrayList<>();
            for (String column : header) row.add(text(r.get(column)));
            rows.add(row);
        }
        Table.print(header, rows);
        return 0;
    }

    /** A JSON value as a table cell, as {@link #format} shows Arrow values: null as "null", text without quotes. */
    static String text(JsonNode v) {
        if (v == null || v.isNull()) return "null";
        return v.isValueNode() ? v.asText() : v.toString();
    }

    static String format(FieldVector v, int i) {
        if (v.isNull(i)) return "null";
        if (v instanceof TimeStampMilliTZVector ts) return Instant.ofEpochMilli(ts.get(i)).toString();
        if (v instanceof DateDayVector d) return LocalDate.ofEpochDay(d.get(i)).toString();
        return String.valueOf(v.getObject(i));
    }
}
