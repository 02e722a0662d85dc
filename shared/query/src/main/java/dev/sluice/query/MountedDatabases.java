package dev.sluice.query;

import dev.sluice.storage.LocalFiles;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;

/**
 * Locked-down query databases kept idle for the next query over exactly the same mounts. A database's key is the
 * full text of the views it holds, which name every slice file it may read: slice files are content-addressed and
 * immutable, so a database under a key can never serve stale data, and a query only ever gets a database whose views
 * are exactly the datasets (at exactly the blocks) it named. Reusing one skips opening and locking down a database,
 * binding the views, and re-reading every file's Parquet footer (the database's metadata cache keeps them).
 *
 * <p>A database is used by one query at a time, each query on its own connection (no session state carries over);
 * only a database whose query finished cleanly comes back, and it is reused only while its catalog is exactly as
 * opened ({@link Db#unchanged}). The least recently returned are closed beyond {@code maxIdle}.
 */
final class MountedDatabases implements AutoCloseable {
    /** One database: its views, its allowed files and spill folder fixed when it was opened. */
    record Db(List<String> views, Connection owner, Path tempDir, String catalog) {
        /** Whether the catalog is still exactly as it was opened (nothing created, replaced, attached or set). */
        boolean unchanged() {
            try {
                return catalog.equals(catalogOf(owner));
            } catch (SQLException e) {
                return false;
            }
        }

        void close() {
            try {
                owner.close();
            } catch (SQLException ignored) {
                // an in-memory database has nothing to lose on close
            } finally {
                try {
                    LocalFiles.deleteTree(tempDir);
                } catch (UncheckedIOException ignored) {
                    // spill files only; DuckDB removes its own, and the folder is under the service's scratch
                }
            }
        }
    }

    /**
     * Everything a statement could leave behind in a database for the next session to find: attached databases,
     * schemas, tables, views, sequences, types and indexes, each by its catalog oid (a replaced view is a new
     * entry with a new oid). The guard lets only a single
     * SELECT through (DuckDB's json_serialize_sql serializes nothing else), so this never changes; checking it before
     * each reuse (≈ 1 ms) keeps a guard miss from reaching the next query. Not listed: macros (listing functions
     * walks thousands of built-ins, ≈ 10 ms a query) and secrets (listing them reads the home folder, which the
     * sandbox forbids; no secret is usable without external access, which stays off). Variables, settings of the
     * session, prepared statements and temporary objects belong to the query's own connection and end with it.
     */
    private static final String CATALOG = """
            SELECT string_agg(e, ',' ORDER BY e) FROM (
              SELECT 'd' || database_oid || '=' || coalesce(path, '') AS e FROM duckdb_databases()
              UNION ALL SELECT 's' || oid FROM duckdb_schemas()
              UNION ALL SELECT 'v' || view_oid FROM duckdb_views() WHERE NOT internal
              UNION ALL SELECT 't' || table_oid FROM duckdb_tables()
              UNION ALL SELECT 'q' || sequence_oid FROM duckdb_sequences()
              UNION ALL SELECT 'y' || type_oid FROM duckdb_types() WHERE NOT internal
              UNION ALL SELECT 'i' || index_oid FROM duckdb_indexes())""";

    static String catalogOf(Connection c) throws SQLException {
        try (java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(CATALOG)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private final int maxIdle;
    /** Idle databases, least recently returned first. */
    private final LinkedList<Db> idle = new LinkedList<>();
    private boolean closed;

    MountedDatabases(int maxIdle) {
        if (maxIdle < 0) throw new IllegalArgumentException("maxIdle must be ≥ 0");
        this.maxIdle = maxIdle;
    }

    /** An idle database with exactly these views (most recently returned first), or null. */
    synchronized Db take(List<String> views) {
        for (Iterator<Db> it = idle.descendingIterator(); it.hasNext(); ) {
            Db db = it.next();
            if (db.views().equals(views)) {
                it.remove();
                return db;
            }
        }
        return null;
    }

    /** Returns a database after a query that finished cleanly; it stays idle unless the pool is full or closed. */
    void give(Db db) {
        List<Db> evicted = new ArrayList<>();
        synchronized (this) {
            if (closed || maxIdle == 0) {
                evicted.add(db);
            } else {
                idle.addLast(db);
                while (idle.size() > maxIdle) evicted.add(idle.removeFirst());
            }
        }
        for (Db d : evicted) d.close();
    }

    synchronized int idleCount() {
        return idle.size();
    }

    @Override
    public void close() {
        List<Db> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(idle);
            idle.clear();
        }
        for (Db d : all) d.close();
    }

}
