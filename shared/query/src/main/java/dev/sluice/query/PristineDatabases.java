package dev.sluice.query;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Pristine in-memory DuckDB databases opened ahead of time: opening one costs ~20 ms (catalog of built-in functions),
 * off the caller's critical path this way. A database handed out has never run anything; the taker configures and
 * locks it down ({@link QueryService#lockDown}) before running anything. Transforms close theirs when done, so
 * nothing of one step can be seen by the next; the query service keeps a locked-down database for later queries over
 * exactly the same slice files ({@link MountedDatabases}).
 */
public final class PristineDatabases implements AutoCloseable {
    private final BlockingQueue<Connection> ready;
    private final ExecutorService warmer;
    private volatile boolean closed;

    /** @param depth databases kept open ahead of time */
    public PristineDatabases(int depth, String threadName) {
        this.ready = new ArrayBlockingQueue<>(depth);
        this.warmer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        warmer.execute(this::refill);
    }

    /** A database that has never run anything (opened now if none is ready); the caller locks it down and closes it. */
    public Connection take() throws SQLException {
        Connection conn = ready.poll();
        refillSoon();
        return conn != null ? conn : QueryService.open();
    }

    /**
     * As {@link #take}, but the next database is not opened until the caller says {@link #refillSoon}: a caller that
     * keeps both cores busy (a transform) lets the ~10 ms of CPU of opening one wait until its busy part is over.
     */
    public Connection takeWithoutRefill() throws SQLException {
        Connection conn = ready.poll();
        return conn != null ? conn : QueryService.open();
    }

    /** Opens databases in the background until {@code depth} are ready. */
    public void refillSoon() {
        if (closed) return;
        try {
            warmer.execute(this::refill);
        } catch (java.util.concurrent.RejectedExecutionException ignored) {
            // closing concurrently: takers open their own
        }
    }

    private void refill() {
        try {
            while (!closed && ready.remainingCapacity() > 0) {
                Connection c = QueryService.open();
                if (closed || !ready.offer(c)) c.close();
            }
        } catch (SQLException ignored) {
            // takers open their own database when none is ready
        }
    }

    @Override
    public void close() {
        closed = true;
        warmer.shutdown();
        try {
            warmer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Connection c; (c = ready.poll()) != null; ) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // never used: nothing to lose
            }
        }
    }
}
