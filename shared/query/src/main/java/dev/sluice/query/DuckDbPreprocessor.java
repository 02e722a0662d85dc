package dev.sluice.query;

import dev.sluice.ingest.Preprocessor;
import dev.sluice.odf.Transform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBResultSet;

/**
 * Push-source preprocess queries on DuckDB, in the same sandbox as user queries: the pushed rows are streamed in as
 * the table {@code input} (Arrow C stream, no copy to disk), the query may name nothing else, the database is locked
 * down (no files, network, settings or extensions), and the result streams out as Arrow batches.
 */
public final class DuckDbPreprocessor implements Preprocessor {
    static final String INPUT = "input";
    private final Path scratchDir;
    /** Opened by the first preprocess query (a DuckDB database): a push without one never starts DuckDB. */
    private volatile SqlGuard guard;

    public DuckDbPreprocessor(Path scratchDir) {
        this.scratchDir = scratchDir;
    }

    private SqlGuard guard() {
        SqlGuard g = guard;
        if (g == null) {
            synchronized (this) {
                g = guard;
                if (g == null) guard = g = new SqlGuard();
            }
        }
        return g;
    }

    /** Whether a preprocess query has opened the parsing database (for tests). */
    boolean started() {
        return guard != null;
    }

    @Override
    public ArrowReader run(Transform.Sql sql, Schema schema, Iterator<VectorSchemaRoot> input, BufferAllocator allocator) {
        String query = sql.outputQuery();
        if (query == null || query.isBlank()) throw new InvalidQueryException("the preprocess query is empty");
        if (sql.queries() != null && sql.queries().size() > 1) {
            throw new ForbiddenQueryException("multi-step preprocess queries are not supported yet; use one query with WITH");
        }
        SqlGuard.Analysis analysis = guard().analyze(query);
        for (String table : analysis.tableNames()) {
            if (!table.equalsIgnoreCase(INPUT)) {
                throw new ForbiddenQueryException("a preprocess query reads only the table '" + INPUT + "', not '" + table + "'");
            }
        }
        Path tempDir = null;
        Connection conn = null;
        try {
            Files.createDirectories(scratchDir);
            tempDir = Files.createTempDirectory(scratchDir, "preprocess-");
            conn = QueryService.open();
            QueryService.lockDown(conn, List.of(), tempDir, QueryService.Options.defaults(tempDir));
            ArrowArrayStream in = ArrowArrayStream.allocateNew(allocator);
            Data.exportArrayStream(allocator, new IteratorReader(allocator, schema, input), in);
            ((DuckDBConnection) conn).registerArrowStream(INPUT, in);
            Statement st = conn.createStatement();
            DuckDBResultSet rs;
            try {
                rs = (DuckDBResultSet) st.executeQuery(query);
            } catch (SQLException e) {
                throw new InvalidQueryException("preprocess query: " + QueryService.cleanMessage(e.getMessage()), e);
            }
            ArrowReader out = (ArrowReader) rs.arrowExportStream(allocator, 65_536);
            return new Closing(allocator, out, conn, in, tempDir);
        } catch (SQLException | IOException e) {
            cleanup(conn, tempDir);
            throw new InvalidQueryException("preprocess query: " + QueryService.cleanMessage(e.getMessage()), e);
        } catch (RuntimeException e) {
            cleanup(conn, tempDir);
            throw e;
        }
    }

    private static void cleanup(Connection conn, Path dir) {
        try {
            if (conn != null) conn.close();
        } catch (SQLException ignored) {
            // closing a failed sandbox
        }
        if (dir != null) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // scratch only
            }
        }
    }

    /** Our batches as an ArrowReader, so they can be exported through the Arrow C stream interface. */
    private static final class IteratorReader extends ArrowReader {
        private final Schema schema;
        private final Iterator<VectorSchemaRoot> batches;

        IteratorReader(BufferAllocator allocator, Schema schema, Iterator<VectorSchemaRoot> batches) {
            super(allocator);
            this.schema = schema;
            this.batches = batches;
        }

        @Override
        public boolean loadNextBatch() throws IOException {
            if (!batches.hasNext()) return false;
            VectorSchemaRoot b = batches.next();
            try (ArrowRecordBatch rb = new VectorUnloader(b).getRecordBatch()) {
                new VectorLoader(getVectorSchemaRoot()).load(rb);
            }
            return true;
        }

        @Override
        public long bytesRead() {
            return 0;
        }

        @Override
        protected void closeReadSource() {}

        @Override
        protected Schema readSchema() {
            return schema;
        }
    }

    /** The result reader; closing it also closes the sandboxed database and its scratch folder. */
    private static final class Closing extends ArrowReader {
        private final ArrowReader delegate;
        private final Connection conn;
        private final ArrowArrayStream in;
        private final Path tempDir;

        Closing(BufferAllocator allocator, ArrowReader delegate, Connection conn, ArrowArrayStream in, Path tempDir) {
            super(allocator);
            this.delegate = delegate;
            this.conn = conn;
            this.in = in;
            this.tempDir = tempDir;
        }

        @Override
        public VectorSchemaRoot getVectorSchemaRoot() throws IOException {
            return delegate.getVectorSchemaRoot();
        }

        @Override
        public boolean loadNextBatch() throws IOException {
            try {
                return delegate.loadNextBatch();
            } catch (RuntimeException e) {
                throw new InvalidQueryException("preprocess query: " + QueryService.cleanMessage(String.valueOf(e.getMessage())), e);
            }
        }

        @Override
        public long bytesRead() {
            return delegate.bytesRead();
        }

        @Override
        protected void closeReadSource() throws IOException {
            try {
                delegate.close();
            } finally {
                in.close();
                cleanup(conn, tempDir);
            }
        }

        @Override
        protected Schema readSchema() throws IOException {
            return delegate.getVectorSchemaRoot().getSchema();
        }
    }
}
