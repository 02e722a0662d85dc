package dev.sluice.bench;

import dev.sluice.odf.MetadataEvent;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetLayout;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import dev.sluice.storage.HashedBlock;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A GROUP BY over 10M rows in 100 slices through a running local node's {@code POST /query} (JsonAoA answer, read
 * whole) against DuckDB's {@code read_parquet} over the very same slice files on a long-lived connection in this JVM.
 * The data is shared/query's {@code QueryBench} data (100 pushes of 100k rows, pushed over HTTP in the set-up), so
 * the two figures compare with that in-process benchmark. The node is the packaged fast-jar ({@link LocalNodeProcess}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class NodeQueryBenchmark {
    static final int SLICES = 100;
    static final int ROWS_PER_SLICE = 100_000;
    static final String AGG = "SELECT k, count(*) AS n, sum(v) AS s, avg(v) AS a, max(name) AS m FROM %s GROUP BY k ORDER BY k";
    static final String MANIFEST = """
            kind: DatasetSnapshot
            version: 1
            content:
              name: groupby
              kind: Root
              metadata:
                - kind: AddPushSource
                  sourceName: default
                  read:
                    kind: Csv
                    header: true
                    schema:
                      fields:
                        - {name: event_time, type: timestamp}
                        - {name: k, type: int64}
                        - {name: v, type: int64}
                        - {name: name, type: string}
                  merge:
                    kind: Append
            """;

    @Param({"embedded"})
    public String state;

    Path dir;
    LocalNodeProcess node;
    Connection duck;
    String queryBody;
    String plainSql;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        dir = Files.createTempDirectory("sluice-node-query-bench");
        Path data = dir.resolve("data");
        node = LocalNodeProcess.start(data, state);
        node.ok("POST", "datasets", "application/yaml", HttpRequest.BodyPublishers.ofString(MANIFEST));
        long t0 = System.nanoTime();
        for (int s = 0; s < SLICES; s++) {
            StringBuilder csv = new StringBuilder("event_time,k,v,name\n");
            for (int i = 0; i < ROWS_PER_SLICE; i++) {
                long n = (long) s * ROWS_PER_SLICE + i;
                csv.append("2020-01-01T00:00:00Z,").append(n % 1000).append(',').append(n % 7919).append(",name-").append(n % 100).append('\n');
            }
            node.ok("POST", "kamu/groupby/ingest", "text/csv", HttpRequest.BodyPublishers.ofString(csv.toString(), StandardCharsets.UTF_8));
        }
        // The slice files the node wrote, read from its data folder (filesystem storage) for the DuckDB baseline.
        DatasetRepository repo = new DatasetRepository(new FileSystemObjectStore(data.resolve("datasets")), Clock.systemUTC(), "kamu");
        Dataset ds = repo.get("groupby");
        List<String> files = new ArrayList<>();
        for (HashedBlock b : ds.chain()) {
            if (b.block().event() instanceof MetadataEvent.AddData a && a.newData() != null) {
                files.add("'" + ds.store().localFile(DatasetLayout.data(ds.id(), a.newData().physicalHash())).orElseThrow() + "'");
            }
        }
        if (files.size() != SLICES) throw new IllegalStateException("expected " + SLICES + " slices, found " + files.size());
        plainSql = AGG.formatted("read_parquet([" + String.join(",", files) + "])");
        queryBody = "{\"query\":\"" + AGG.formatted("groupby") + "\",\"dataFormat\":\"JsonAoA\"}";
        duck = DriverManager.getConnection("jdbc:duckdb:");
        System.out.printf("%n[input] %d rows in %d slices pushed over HTTP in %.1f s; node %s, state %s%n",
                (long) SLICES * ROWS_PER_SLICE, SLICES, (System.nanoTime() - t0) / 1e9, node.base, state);
        // Both answers have one row per group.
        int viaNode = new com.fasterxml.jackson.databind.ObjectMapper().readTree(httpQuery()).get("output").get("data").size();
        if (viaNode != 1000 || duckdbReadParquet() != 1000) throw new IllegalStateException("expected 1000 groups, node gave " + viaNode);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        try {
            if (duck != null) duck.close();
            if (node != null) node.close();
        } finally {
            LocalNodeProcess.deleteTree(dir);
        }
    }

    @Benchmark
    public String httpQuery() throws Exception {
        return node.ok("POST", "query", "application/json", HttpRequest.BodyPublishers.ofString(queryBody));
    }

    @Benchmark
    public int duckdbReadParquet() throws Exception {
        int rows = 0;
        try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(plainSql)) {
            while (rs.next()) {
                rs.getLong(1);
                rs.getLong(2);
                rs.getLong(3);
                rs.getDouble(4);
                rs.getString(5);
                rows++;
            }
        }
        return rows;
    }
}
