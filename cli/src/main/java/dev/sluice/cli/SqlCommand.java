package dev.sluice.cli;

import dev.sluice.query.DataFormat;
import dev.sluice.query.QueryRequest;
import dev.sluice.query.QueryResult;
import dev.sluice.query.QueryService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
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

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin WorkspaceOptions ws;
    @Mixin NodeOptions node;

    @Parameters(paramLabel = "QUERY")
    String query;

    @Option(names = {"-o", "--output"}, description = "table (default on a terminal), csv, json (array of objects) or ndjson.")
    Output output;

    @Option(names = "--limit", paramLabel = "N", description = "At most N rows.")
    Long limit;

    @Override
    public Integer call() throws Exception {
        Output out = output != null ? output : (System.console() != null ? Output.table : Output.csv);
        NodeClient client = node.client(ws);
        if (client != null) return queryOn(client, out);
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

    /**
     * The same outputs through the node's {@code POST /query}: csv and ndjson are streamed as the node sends them; json
     * is the ndjson answer joined into one array (as the local writer prints it); a table is built from the JsonAoA
     * answer and its Arrow schema.
     */
    private int queryOn(NodeClient client, Output out) throws IOException {
        String format = switch (out) {
            case csv -> "Csv";
            case table -> "JsonAoA";
            default -> "NdJson";
        };
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("dataFormat", format);
        if (limit != null) body.put("limit", limit);
        if (out == Output.table) body.put("include", List.of("Schema"));
        HttpRequest.Builder req = HttpRequest.newBuilder(client.resolve("query")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (out == Output.table) {
            JsonNode answer = client.json(req).path("output");
            List<String> header = new ArrayList<>();
            answer.path("schema").path("fields").forEach(f -> header.add(f.path("name").asText()));
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode r : answer.path("data")) {
                List<String> row = new ArrayList<>();
                r.forEach(v -> row.add(TailCommand.text(v)));
                rows.add(row);
            }
            Table.print(header, rows);
            return 0;
        }
        OutputStream stdout = new BufferedOutputStream(System.out);
        try (InputStream in = client.open(req)) {
            if (out != Output.json) {
                in.transferTo(stdout);
            } else {
                BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                stdout.write('[');
                boolean first = true;
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.isEmpty()) continue;
                    if (!first) stdout.write(',');
                    stdout.write(line.getBytes(StandardCharsets.UTF_8));
                    first = false;
                }
                stdout.write(']');
                stdout.write('\n');
            }
        }
        stdout.flush();
        return 0;
    }
}
