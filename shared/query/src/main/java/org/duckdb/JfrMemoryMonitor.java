package org.duckdb;

/**
 * Replaces DuckDB's JFR memory monitor wherever this module's classes come before the driver's: in the packaged
 * functions (the original class is removed from the driver jar there: {@code quarkus.class-loading.removed-resources}
 * in functions/common's microprofile-config.properties) and in the CLI (the {@code sluice} launcher puts this
 * module's jar ahead of the others). The
 * driver's class initialiser registers a JFR periodic event whenever the JVM has JFR, which starts JFR's machinery:
 * ≈ 60 ms on the loading thread and ≈ 80 ms more on others, on every cold start of a function that uses DuckDB, for
 * memory events nobody records. Same static methods as the original ({@code JfrMemoryMonitorTest}); they do nothing.
 * In tests and dev mode both classes are on the class path and either may load: both work.
 */
final class JfrMemoryMonitor {
    private JfrMemoryMonitor() {}

    static void init() {}

    static void connectionOpened(DuckDBConnection conn) {}

    static void connectionClosed(long dbAddress) {}
}
