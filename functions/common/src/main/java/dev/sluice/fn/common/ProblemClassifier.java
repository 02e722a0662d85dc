package dev.sluice.fn.common;

/**
 * Lets a function module map its own library's exceptions to error responses without common depending on that
 * library (the query function's DuckDB-backed errors, say, which other functions must not pull in).
 */
public interface ProblemClassifier {
    /** The error response for {@code t}, or null when this classifier does not know it. */
    ApiError classify(Throwable t);
}
