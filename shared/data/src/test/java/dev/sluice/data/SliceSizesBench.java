package dev.sluice.data;

import dev.sluice.data.read.ReadOptions;
import dev.sluice.data.read.RecordReader;
import dev.sluice.data.read.RecordReaders;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.ReadStep;
import dev.sluice.odf.yaml.ManifestYaml;
import java.io.BufferedWriter;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measurement, not a test: writes the push benchmark's slice (integration-tests CsvFile: 1M rows of
 * timestamp, bigint, varchar, double, bigint, varchar through the CSV reader) and prints each column's size and
 * encodings as DuckDB reads them from the footer, the same for DuckDB's own {@code COPY} of the CSV, then the CPU and
 * wall time of a write with and without the hashes. {@code mvn -o -q -pl shared/data -am test -Dtest=SliceSizesBench
 * -Dsurefire.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("bench")
class SliceSizesBench {
    @TempDir
    Path dir;

    @Test
    void benchmarkSliceColumnSizes() throws Exception {
        Path csv = writeCsv(dir.resolve("f.csv"), 1_000_000);
        ReadStep step = ((MetadataEvent.AddPushSource) ManifestYaml.readSnapshot("""
                kind: DatasetSnapshot
                version: 1
                content:
                  name: sizes
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
                            - {name: id, type: int64}
                            - {name: name, type: string}
                            - {name: value, type: float64}
                            - {name: count, type: int64}
                            - {name: tag, type: string}
                      merge:
                        kind: Append
                """).metadata().stream().filter(e -> e instanceof MetadataEvent.AddPushSource).findFirst().orElseThrow()).read();
        Path out = dir.resolve("slice.parquet");
        long t0 = System.nanoTime();
        try (BufferAllocator alloc = new RootAllocator(); InputStream in = Files.newInputStream(csv);
             RecordReader r = RecordReaders.open(step, in, ReadOptions.defaults().allocator(alloc));
             SliceWriter w = SliceWriter.open(out, r.schema(), SliceWriter.options().systemTime(Instant.parse("2050-01-01T00:00:00Z")).allocator(alloc))) {
            while (r.hasNext()) w.write(r.next());
            SliceResult res = w.finish();
            System.out.printf("%nslice: %d bytes (%.2f MB) in %.0f ms, physical %s%n", res.size(), res.size() / 1e6,
                    (System.nanoTime() - t0) / 1e6, res.physicalHash());
        }
        printColumns(out);
        // For comparison: what DuckDB writes for the same CSV (its own encoding choices, Snappy).
        Path duck = dir.resolve("duck.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("COPY (FROM read_csv('" + csv + "')) TO '" + duck + "' (FORMAT parquet)");
        }
        System.out.printf("%nDuckDB COPY of the same CSV: %d bytes%n", Files.size(duck));
        printColumns(duck);
        measureWrites(csv, step, out);
    }

    private static void printColumns(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT path_in_schema, type, sum(total_compressed_size) c, sum(total_uncompressed_size) u,"
                     + " string_agg(DISTINCT encodings, ' | '), count(*) FROM parquet_metadata('" + file + "')"
                     + " GROUP BY path_in_schema, type, column_id ORDER BY column_id")) {
            System.out.printf("%-12s %-8s %12s %12s %7s  %s%n", "column", "type", "compressed", "uncompressed", "groups", "encodings");
            long cs = 0;
            long us = 0;
            while (rs.next()) {
                System.out.printf("%-12s %-8s %12d %12d %7d  %s%n", rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(6), rs.getString(5));
                cs += rs.getLong(3);
                us += rs.getLong(4);
            }
            System.out.printf("%-21s %12d %12d%n", "total", cs, us);
        }
    }

    private static void measureWrites(Path csv, ReadStep step, Path out) throws Exception {
        // Cost per write, warm, as process CPU time (less sensitive than wall time to a loaded machine) and wall time.
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int k = 0; k < 4; k++) write(csv, step, out, k % 2 == 0); // warm-up
        double[][] best = {{Double.MAX_VALUE, Double.MAX_VALUE}, {Double.MAX_VALUE, Double.MAX_VALUE}};
        for (int round = 0; round < 4; round++) {
            for (int h = 0; h < 2; h++) {
                int writes = 3;
                long cpu0 = os.getProcessCpuTime();
                long wall0 = System.nanoTime();
                for (int k = 0; k < writes; k++) write(csv, step, out, h == 0);
                best[h][0] = Math.min(best[h][0], (os.getProcessCpuTime() - cpu0) / 1e6 / writes);
                best[h][1] = Math.min(best[h][1], (System.nanoTime() - wall0) / 1e6 / writes);
            }
        }
        System.out.printf("write with hashes:    %.0f CPU-ms, %.0f wall-ms (best of 4 rounds of 3)%n", best[0][0], best[0][1]);
        System.out.printf("write without hashes: %.0f CPU-ms, %.0f wall-ms%n", best[1][0], best[1][1]);
    }

    private static void write(Path csv, ReadStep step, Path out, boolean hashes) throws Exception {
        SliceWriter.Options o = SliceWriter.options().systemTime(Instant.parse("2050-01-01T00:00:00Z"));
        try (BufferAllocator alloc = new RootAllocator(); InputStream in = Files.newInputStream(csv);
             RecordReader r = RecordReaders.open(step, in, ReadOptions.defaults().allocator(alloc));
             SliceWriter w = SliceWriter.open(out, r.schema(), (hashes ? o : o.withoutHashes()).allocator(alloc))) {
            while (r.hasNext()) w.write(r.next());
            w.finish();
        }
    }

    /** The same rows as integration-tests' CsvFile.write. */
    static Path writeCsv(Path file, long rows) throws Exception {
        Random rnd = new Random(1);
        long t0 = Instant.parse("2024-01-01T00:00:00Z").getEpochSecond();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("event_time,id,name,value,count,tag\n");
            StringBuilder sb = new StringBuilder(128);
            for (long i = 0; i < rows; i++) {
                sb.setLength(0);
                sb.append(Instant.ofEpochSecond(t0 + i)).append(',')
                        .append(i).append(',')
                        .append("name-").append(rnd.nextInt(100_000)).append(',')
                        .append(rnd.nextInt(1_000_000) / 100.0).append(',')
                        .append(rnd.nextInt(1000)).append(',')
                        .append((char) ('a' + rnd.nextInt(26))).append((char) ('a' + rnd.nextInt(26))).append('\n');
                w.append(sb);
            }
        }
        return file;
    }
}
