package dev.sluice.pipelines;

import dev.sluice.odf.DataSlice;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.HashedBlock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reads a dataset's slices back with DuckDB, for assertions. */
final class Rows {
    private Rows() {}

    /** The data slices of a dataset, oldest first. */
    static List<DataSlice> slices(Dataset ds) {
        List<DataSlice> out = new ArrayList<>();
        for (HashedBlock b : ds.blocks()) {
            MetadataEvent e = b.block().event();
            DataSlice s = e instanceof MetadataEvent.AddData a ? a.newData() : e instanceof MetadataEvent.ExecuteTransform x ? x.newData() : null;
            if (s != null) out.add(s);
        }
        Collections.reverse(out);
        return out;
    }

    static long executes(Dataset ds) {
        long n = 0;
        for (HashedBlock b : ds.blocks()) if (b.block().event() instanceof MetadataEvent.ExecuteTransform) n++;
        return n;
    }

    /** Every row of every slice, in offset order, as the given columns joined by spaces. */
    static List<String> all(Dataset ds, Path scratch, String columns) throws Exception {
        List<Path> files = new ArrayList<>();
        Files.createDirectories(scratch);
        for (DataSlice s : slices(ds)) {
            Path f = scratch.resolve(s.physicalHash().toMultibase() + ".parquet");
            try (var in = ds.openData(s.physicalHash())) {
                Files.copy(in, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            files.add(f);
        }
        List<String> out = new ArrayList<>();
        if (files.isEmpty()) return out;
        String list = String.join(", ", files.stream().map(p -> "'" + p + "'").toList());
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("SET TimeZone='UTC'");
            try (ResultSet rs = st.executeQuery("SELECT " + columns + " FROM read_parquet([" + list + "]) ORDER BY \"offset\"")) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> cells = new ArrayList<>();
                    for (int i = 1; i <= n; i++) cells.add(rs.getString(i));
                    out.add(String.join(" ", cells));
                }
            }
        } finally {
            for (Path f : files) Files.deleteIfExists(f);
        }
        return out;
    }
}
