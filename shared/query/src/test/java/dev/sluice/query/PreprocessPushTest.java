package dev.sluice.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ingest.IngestResult;
import dev.sluice.ingest.IngestSource;
import dev.sluice.ingest.PushIngest;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.yaml.ManifestYaml;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Push sources with a preprocess query, run by the sandboxed DuckDB preprocessor. */
class PreprocessPushTest {
    @TempDir Path root;
    @TempDir Path scratch;

    static String manifest(String name, String query) {
        return """
                kind: DatasetSnapshot
                version: 1
                content:
                  name: %s
                  kind: Root
                  metadata:
                    - kind: AddPushSource
                      sourceName: default
                      read:
                        kind: Csv
                        header: true
                        schema:
                          fields:
                            - {name: date, type: timestamp}
                            - {name: FXUSDCAD, type: float64}
                            - {name: FXEURCAD, type: float64}
                      preprocess:
                        kind: Sql
                        engine: datafusion
                        query: "%s"
                      merge:
                        kind: Ledger
                        primaryKey: [date]
                    - kind: SetVocab
                      eventTimeColumn: date
                """.formatted(name, query);
    }

    static final String CSV = "date,FXUSDCAD,FXEURCAD\n2024-01-02,1.33,1.45\n2024-01-03,1.34,1.46\n";

    @Test
    void preprocessShapesThePushedRows() throws Exception {
        var repo = new DatasetRepository(new FileSystemObjectStore(root));
        String plainManifest = manifest("plain", "x").replaceAll("(?s)\\n *preprocess:.*?query: \"x\"", "");
        Dataset plain = repo.create(ManifestYaml.readSnapshot(plainManifest));
        Dataset ds = repo.create(ManifestYaml.readSnapshot(manifest("rates",
                "select date, 'USD' as currency_base, 'CAD' as currency_target, FXUSDCAD as rate from input")));
        DuckDbPreprocessor pp = new DuckDbPreprocessor(scratch.resolve("pp"));
        PushIngest ingest = new PushIngest(scratch).withPreprocessor(pp);
        // A push without a preprocess query does not start DuckDB (it is the first request of a cold ingest function).
        assertEquals(2, ingest.ingest(plain, null, null, IngestSource.ofBytes(CSV.getBytes(StandardCharsets.UTF_8)), null).rowsAdded());
        assertFalse(pp.started());
        IngestResult r = ingest.ingest(ds, null, null, IngestSource.ofBytes(CSV.getBytes(StandardCharsets.UTF_8)), null);
        assertEquals(2, r.rowsAdded());
        assertTrue(pp.started());
        IngestResult again = ingest.ingest(ds, null, null, IngestSource.ofBytes(CSV.getBytes(StandardCharsets.UTF_8)), null);
        assertEquals(0, again.rowsAdded(), "Ledger on the preprocessed key");
        try (QueryService qs = new QueryService(repo, scratch.resolve("cache"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (QueryResult q = qs.execute(QueryRequest.of("SELECT date, currency_base, currency_target, rate FROM rates ORDER BY date").withFormat(DataFormat.CSV))) {
                q.writeData(out);
            }
            assertEquals("date,currency_base,currency_target,rate\n2024-01-02T00:00:00Z,USD,CAD,1.33\n2024-01-03T00:00:00Z,USD,CAD,1.34\n",
                    out.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void preprocessIsSandboxed() {
        var repo = new DatasetRepository(new FileSystemObjectStore(root));
        PushIngest ingest = new PushIngest(scratch).withPreprocessor(new DuckDbPreprocessor(scratch.resolve("pp")));
        String[] attacks = {
            "select * from read_csv('/etc/passwd')",
            "select * from input, 'https://example.com/x.csv'",
            "select * from input; copy input to '/tmp/sluice-pp-leak.csv'",
            "select getenv('HOME') as h, * from input",
            "select * from other",
            "select no_such_column from input",
        };
        int i = 0;
        for (String attack : attacks) {
            Dataset ds = repo.create(ManifestYaml.readSnapshot(manifest("attack-" + i++, attack)));
            Multihash head = ds.head().orElseThrow();
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> ingest.ingest(ds, null, null, IngestSource.ofBytes(CSV.getBytes(StandardCharsets.UTF_8)), null), attack);
            assertTrue(e instanceof QueryException, attack + " → " + e);
            assertTrue(!e.getMessage().contains("root:"), e.getMessage());
            assertEquals(head, ds.head().orElseThrow(), "nothing committed for " + attack);
        }
        assertTrue(!java.nio.file.Files.exists(Path.of("/tmp/sluice-pp-leak.csv")));
    }
}
