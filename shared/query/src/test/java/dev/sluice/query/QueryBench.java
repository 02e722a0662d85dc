package dev.sluice.query;

import dev.sluice.ingest.IngestSource;
import dev.sluice.ingest.PushIngest;
import dev.sluice.odf.yaml.ManifestYaml;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GROUP BY over 10 M rows in 100 slices: through QueryService (guard, chain → files, the sandboxed DuckDB kept for
 * these mounts, Arrow export, JSON) vs plain DuckDB {@code read_parquet} over the same files on one long-lived
 * connection.
 * Run: {@code mvn -pl shared/query -am test -Dtest=QueryBench -Dsurefire.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("bench")
class QueryBench {
    static final int SLICES = 100;
    static final int ROWS_PER_SLICE = 100_000;
    static final int RUNS = 10;

    @TempDir Path root;
    @TempDir Path scratch;
    @TempDir Path cache;

    static final String MANIFEST = """
            kind: DatasetSnapshot
            version: 1
            content:
              name: bench
              kind: Root
              metadata:
                - kind: AddPushSource
                  sourceName: default
                  read:
                    kind: Csv
                    header: true
                    schema:
                      fields:
                        - name: event_time
                          type: timestamp
                        - name: k
                          type: int64
                        - name: v
                          type: int64
                        - name: name
                          type: string
                  merge:
                    kind: Append
            """;

    @Test
    void groupByTenMillionRows() throws Exception {
        DatasetRepository repo = new DatasetRepository(new FileSystemObjectStore(root));
        Dataset ds = repo.create(ManifestYaml.readSnapshot(MANIFEST));
        PushIngest ingest = new PushIngest(scratch);
        long t0 = System.nanoTime();
        for (int s = 0; s < SLICES; s++) {
            StringBuilder csv = new StringBuilder("event_time,k,v,name\n");
            for (int i = 0; i < ROWS_PER_SLICE; i++) {
                long n = (long) s * ROWS_PER_SLICE + i;
                csv.append("2020-01-01T00:00:00Z,").append(n % 1000).append(',').append(n % 7919).append(",name-").append(n % 100).append('\n');
            }
            ingest.ingest(ds, null, null, IngestSource.ofBytes(csv.toString().getBytes(StandardCharsets.UTF_8)), null);
        }
        System.out.printf("ingest: %d rows in %d slices, %.1f s%n", (long) SLICES * ROWS_PER_SLICE, SLICES, (System.nanoTime() - t0) / 1e9);

        List<String> files = new ArrayList<>();
        for (var b : ds.chain()) {
            if (b.block().event() instanceof dev.sluice.odf.MetadataEvent.AddData a && a.newData() != null) {
                files.add(ds.store().localFile(dev.sluice.storage.DatasetLayout.data(ds.id(), a.newData().physicalHash())).orElseThrow().toString());
            }
        }
        java.util.Collections.reverse(files);
        String agg = "SELECT k, count(*) AS n, sum(v) AS s, avg(v) AS a, max(name) AS m FROM %s GROUP BY k ORDER BY k";
        String plainSql = agg.formatted("read_parquet([" + String.join(",", files.stream().map(f -> "'" + f + "'").toList()) + "])");
        String serviceSql = agg.formatted("bench");

        try (QueryService qs = new QueryService(repo, cache); Connection plain = DriverManager.getConnection("jdbc:duckdb:")) {
            String a = null, b = null;
            for (int i = 0; i < 3; i++) { // warm-up both
                a = viaService(qs, serviceSql);
                b = viaPlain(plain, plainSql);
            }
            long[] svc = new long[RUNS], dk = new long[RUNS];
            for (int i = 0; i < RUNS; i++) { // alternate to share any drift fairly
                long s = System.nanoTime();
                viaService(qs, serviceSql);
                svc[i] = System.nanoTime() - s;
                s = System.nanoTime();
                viaPlain(plain, plainSql);
                dk[i] = System.nanoTime() - s;
            }
            long fresh = 0;
            for (int i = 0; i < RUNS; i++) {
                long s = System.nanoTime();
                try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
                    viaPlain(c, plainSql);
                }
                fresh += System.nanoTime() - s;
            }
            Arrays.sort(svc);
            Arrays.sort(dk);
            double ms = svc[RUNS / 2] / 1e6, dms = dk[RUNS / 2] / 1e6;
            System.out.printf("GROUP BY over %d rows / %d slices (median of %d): QueryService %.1f ms, plain DuckDB %.1f ms, ratio %.2f×; "
                    + "plain DuckDB on a fresh connection each time %.1f ms (mean)%n", (long) SLICES * ROWS_PER_SLICE, SLICES, RUNS, ms, dms, ms / dms, fresh / 1e6 / RUNS);
            System.out.println("answers agree on rows: " + (a.length() > 0 && b.equals(String.valueOf(1000))));
        }
    }

    static String viaService(QueryService qs, String sql) {
        try (QueryResult r = qs.execute(QueryRequest.of(sql).withFormat(DataFormat.JSON_AOA))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            r.writeData(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    static String viaPlain(Connection c, String sql) throws Exception {
        int rows = 0;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rs.getLong(1);
                rs.getLong(2);
                rows++;
            }
        }
        return String.valueOf(rows);
    }
}
