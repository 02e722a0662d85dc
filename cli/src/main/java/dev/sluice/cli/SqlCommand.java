package dev.sluice.cli;

import dev.sluice.query.DataFormat;
import dev.sluice.query.QueryRequest;
import dev.sluice.query.QueryResult;
import dev.sluice.query.QueryService;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Run a SQL query over the workspace's datasets (tables are dataset aliases, e.g. \"player-scores\").",
                "The query runs in a sandbox: it reads only the datasets it names; no files, network, settings or extensions."})
final class SqlCommand implements Callable<Integer> {
    enum Output { table, csv, json, ndjson }

    @Mixin WorkspaceOptions ws;

    @Parameters(paramLabel = "QUERY")
    String query;

    @Option(names = {"-o", "--output"}, description = "table (default on a terminal), csv, json (array of objects) or ndjson.")
    Output output;

    @Option(names = "--limit", paramLabel = "N", description = "At most N rows.")
    Long limit;

    @Override
    public Integer call() throws Exception {
        Output out = output != null ? output : (System.console() != null ? Output.table : Output.csv);
        try (QueryService qs = new QueryService(ws.repository(), ws.dir().resolve("tmp").resolve("slice-cache"))) {
            QueryRequest req = QueryRequest.of(query).withPage(0, limit);
            if (out == Output.table) {
                try (QueryResult r = qs.execute(req)) {
                    ArrowReader reader = r.arrow(); // owned by the result
                    List<String> header = new ArrayList<>();
                    r.schema().getFields().forEach(f -> header.add(f.getName()));
                    List<List<String>> rows = new ArrayList<>();
                    while (reader.loadNextBatch()) {
                        VectorSchemaRoot b = reader.getVectorSchemaRoot();
                        for (int i = 0; i < b.getRowCount(); i++) {
                            List<String> row = new ArrayList<>();
                            for (FieldVector v : b.getFieldVectors()) row.add(TailCommand.format(v, i));
                            rows.add(row);
                        }
                    }
                    Table.print(header, rows);
                }
                return 0;
            }
            DataFormat f = switch (out) {
                case csv -> DataFormat.CSV;
                case json -> DataFormat.JSON_AOS;
                default -> DataFormat.ND_JSON;
            };
            try (QueryResult r = qs.execute(req.withFormat(f))) {
                OutputStream stdout = new BufferedOutputStream(System.out);
                r.writeData(stdout);
                stdout.flush();
                if (out == Output.json) System.out.println();
            }
        }
        return 0;
    }
}
