package dev.sluice.query;

/** Base of the query service's typed errors; the HTTP layer maps each subclass to a status code. */
public abstract class QueryException extends RuntimeException {
    protected QueryException(String message) {
        super(message);
    }

    protected QueryException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Suggested HTTP status. */
    public abstract int httpStatus();
}
