package dev.sluice.bench;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Push of the {@link PushBenchmark} CSV (1M rows × 6 columns, ~54 MB) to a running local node over HTTP —
 * {@code POST /kamu/{dataset}/ingest}, {@code Content-Type: text/csv}, a new dataset each time — against DuckDB's
 * {@code COPY (FROM read_csv(f)) TO 'f.parquet'} on the same file in this JVM, same run. The node is the packaged
 * fast-jar in its own process ({@link LocalNodeProcess}), warm after the warm-up iterations; {@code state} is its
 * {@code sluice.state} ({@code embedded}: as {@code ./sluice up} runs; {@code none}: no index updates).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class NodePushBenchmark {
    @Param({"embedded"})
    public String state;

    Path dir;
    Path csv;
    LocalNodeProcess node;
    Connection duck;
    String dataset;
    final AtomicInteger n = new AtomicInteger();

    @Setup(Level.Trial)
    public void setup() throws Exception {
        dir = Files.createTempDirectory("sluice-node-push-bench");
        csv = CsvFile.write(dir.resolve("f.csv"), 1_000_000);
        node = LocalNodeProcess.start(dir.resolve("data"), state);
        duck = DriverManager.getConnection("jdbc:duckdb:");
        System.out.printf("%n[input] %s: %.1f MB; node %s, state %s%n", csv, Files.size(csv) / 1e6, node.base, state);
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

    /** A fresh root dataset per push (created over HTTP, outside the measured call), as PushBenchmark does in-process. */
    @Setup(Level.Invocation)
    public void newDataset() throws Exception {
        dataset = "push-" + n.incrementAndGet();
        node.ok("POST", "datasets", "application/yaml", HttpRequest.BodyPublishers.ofString(CsvFile.manifest(dataset, "Append")));
    }

    @Benchmark
    public String httpPush() throws Exception {
        String body = node.ok("POST", "kamu/" + dataset + "/ingest", "text/csv", HttpRequest.BodyPublishers.ofFile(csv));
        if (!body.contains("\"rowsAdded\":1000000")) throw new IllegalStateException("unexpected push answer: " + body);
        return body;
    }

    @Benchmark
    public int duckdbCsvToParquet() throws Exception {
        try (Statement st = duck.createStatement()) {
            return st.executeUpdate("COPY (FROM read_csv('" + csv + "')) TO '" + dir.resolve("duck.parquet") + "' (FORMAT parquet)");
        }
    }
}
