package dev.sluice.ingest.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.yaml.ManifestYaml;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetLayout;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import dev.sluice.storage.HashedBlock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Helpers of the polling tests: manifests, and the dataset's rows read back from its Parquet slices by DuckDB. */
final class Polls {
    private Polls() {}

    /** A root dataset with a SetPollingSource built from YAML fragments (each indented as a mapping value). */
    static String manifest(String name, String fetch, String prepare, String read, String merge) {
        return """
                kind: DatasetSnapshot
                version: 1
                content:
                  name: %s
                  kind: Root
                  metadata:
                    - kind: SetPollingSource
                      fetch:
                %s
                %s      read:
                %s
                      merge:
                %s
                """.formatted(name, indent(fetch), prepare == null ? "" : "      prepare:\n" + indent(prepare) + "\n", indent(read), indent(merge));
    }

    static final String CSV_ID_NAME = """
            kind: Csv
            header: true
            schema:
              fields:
                - {name: id, type: int64}
                - {name: name, type: string}""";

    static final String LEDGER_ID = """
            kind: Ledger
            primaryKey: [id]""";

    static String indent(String yaml) {
        StringBuilder sb = new StringBuilder();
        for (String line : yaml.strip().split("\n")) sb.append("        ").append(line).append('\n');
        return sb.toString().stripTrailing();
    }

    static Dataset create(Path root, String yaml) {
        return new DatasetRepository(new FileSystemObjectStore(root)).create(ManifestYaml.readSnapshot(yaml));
    }

    /** Slice files of the dataset in offset order. */
    static List<String> files(Dataset ds) throws java.io.IOException {
        List<String> files = new ArrayList<>();
        for (HashedBlock b : ds.blocks()) {
            if (b.block().event() instanceof MetadataEvent.AddData a && a.newData() != null) {
                files.add(ds.store().localFile(DatasetLayout.data(ds.id(), a.newData().physicalHash())).orElseThrow().toString());
            }
        }
        Collections.reverse(files);
        return files;
    }

    /**
     * {@code columns} of every row, as "v1 v2 …" strings ordered by offset, read by DuckDB from the Parquet files
     * (an independent reader). {@code op} is shown as +A/-R/-C/+C.
     */
    static List<String> rows(Dataset ds, String columns) throws Exception {
        List<String> files = files(ds);
        if (files.isEmpty()) return List.of();
        String src = "read_parquet([" + String.join(",", files.stream().map(f -> "'" + f + "'").toList()) + "])";
        String sql = "SELECT " + columns.replaceAll("\\bop\\b", "(['+A','-R','-C','+C'])[op + 1]") + " FROM " + src + " ORDER BY \"offset\"";
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    if (i > 1) sb.append(' ');
                    Object v = rs.getObject(i);
                    sb.append(v instanceof java.time.OffsetDateTime t ? t.toInstant().toString() : rs.getString(i));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    static Multihash head(Dataset ds) {
        return ds.head().orElseThrow();
    }

    static void assertHead(Multihash expected, Dataset ds) {
        assertEquals(expected, ds.head().orElseThrow(), "the head did not move");
    }

    /** The AddData block at the head. */
    static MetadataEvent.AddData headAddData(Dataset ds) {
        return (MetadataEvent.AddData) ds.block(ds.head().orElseThrow()).block().event();
    }
}
