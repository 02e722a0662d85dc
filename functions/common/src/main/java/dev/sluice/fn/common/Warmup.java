package dev.sluice.fn.common;

/**
 * Start-up work of a function that needs no configuration — loading the classes or native libraries its first request
 * would load anyway — run on a background thread from the very start of the process ({@link FunctionMain}), so it
 * overlaps the framework's own start instead of following it. It still counts in the cold start (process start →
 * first answer); it only stops waiting for it. A function module lists its implementations in
 * {@code META-INF/services/dev.sluice.fn.common.Warmup}; a failure is ignored (the real use fails properly later).
 */
public interface Warmup {
    void run() throws Exception;
}
