package dev.sluice.fn.query;

import dev.sluice.fn.common.Warmup;

/**
 * Loads DuckDB's native library (extracted from the driver jar, the costly part) from the start of the process. It
 * only initialises the driver's native class: the query service opens its own databases ({@code QueryFunction} starts
 * it in the background), so no database is opened here just to be closed.
 */
public final class DuckDbWarmup implements Warmup {
    @Override
    public void run() throws Exception {
        Class.forName("org.duckdb.DuckDBNative", true, DuckDbWarmup.class.getClassLoader());
    }
}
