package dev.sluice.fn.query;

import dev.sluice.fn.common.Warmup;

/**
 * Loads DuckDB's native library (~60 MB: mapped from next to the driver jar in the packaged application, copied out of
 * the jar to a temp file in tests, dev mode and the Lambda zip — see functions/pom.xml) from the start of the process. It
 * only initialises the driver's native class: the query service opens its own databases ({@code QueryFunction} starts
 * it in the background), so no database is opened here just to be closed.
 */
public final class DuckDbWarmup implements Warmup {
    @Override
    public void run() throws Exception {
        Class.forName("org.duckdb.DuckDBNative", true, DuckDbWarmup.class.getClassLoader());
    }
}
