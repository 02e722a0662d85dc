package dev.sluice.engine.duckdb;

import dev.sluice.data.SliceResult;
import dev.sluice.data.SliceWriter;
import dev.sluice.odf.DatasetVocabulary;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBResultSet;

/** Test slices written by the real SliceWriter from rows given as SQL, and read back as text rows. */
final class Slices {
    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private Slices() {}

    /** Writes {@code select} (columns: op INTEGER, event_time TIMESTAMPTZ, data…) as an ODF slice starting at {@code offset}. */
    static SliceResult write(Path file, long offset, String select) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             RootAllocator a = new RootAllocator()) {
            st.execute("SET TimeZone='UTC'");
            try (DuckDBResultSet rs = (DuckDBResultSet) st.executeQuery(select);
                 ArrowReader r = (ArrowReader) rs.arrowExportStream(a, 1024)) {
                SliceWriter.Options o = SliceWriter.options().opColumn().startOffset(offset).systemTime(T0)
                        .vocabulary(DatasetVocabulary.DEFAULT).eventTimeColumn("event_time").allocator(a);
                try (SliceWriter w = SliceWriter.open(file, r.getVectorSchemaRoot().getSchema(), o)) {
                    while (r.loadNextBatch()) w.write(r.getVectorSchemaRoot());
                    return w.finish();
                }
            }
        }
    }

    /** Rows of a Parquet file as "col=value, …" strings, in file order, for the given columns. */
    static List<String> rows(Path file, String columns) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("SET TimeZone='UTC'");
            try (ResultSet rs = st.executeQuery("SELECT " + columns + " FROM read_parquet('" + file + "')")) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> cells = new ArrayList<>();
                    for (int i = 1; i <= n; i++) cells.add(rs.getMetaData().getColumnName(i) + "=" + rs.getString(i));
                    out.add(String.join(", ", cells));
                }
            }
        }
        return out;
    }
}
