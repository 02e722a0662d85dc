package dev.sluice.query;

/** The query is not valid SQL, or fails in the engine (message from DuckDB, with local paths removed) → 400. */
public final class InvalidQueryException extends QueryException {
    public InvalidQueryException(String message) {
        super(message);
    }

    public InvalidQueryException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int httpStatus() {
        return 400;
    }
}
