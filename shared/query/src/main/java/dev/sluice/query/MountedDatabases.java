package dev.sluice.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Locked-down query databases kept idle for the next query over exactly the same mounts. A database's key is the
 * full text of the views it holds, which name every slice file it may read: slice files are content-addressed and
 * immutable, so a database under a key can never serve stale data, and a query only ever gets a database whose views
 * are exactly the datasets (at exactly the blocks) it named. Reusing one skips opening and locking down a database,
 * binding the views, and re-reading every file's Parquet footer (the database's metadata cache keeps them).
 *
 * <p>A database is used by one query at a time, each query on its own connection (no session state carries over),
 * and only a database whose query finished cleanly comes back; the least recently returned are closed beyond
 * {@code maxIdle}.
 */
final class MountedDatabases implements AutoCloseable {
    /** One database: its views, its allowed files and spill folder fixed when it was opened. */
    record Db(List<String> views, Connection owner, Path tempDir) {
        void close() {
            try {
                owner.close();
            } catch (SQLException ignored) {
                // an in-memory database has nothing to lose on close
            } finally {
                try {
                    deleteTree(tempDir);
                } catch (UncheckedIOException ignored) {
                    // spill files only; DuckDB removes its own, and the folder is under the service's scratch
                }
            }
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

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
