package dev.sluice.ingest.poll;

/**
 * Fetching a polling source's data failed. {@link #retryable()} says whether the same poll may succeed later
 * without anyone changing anything: connection errors, timeouts, HTTP 5xx, 408 and 429 are retryable; other 4xx
 * (404 above all), a malformed or unsupported URL, a missing file or an unknown template variable are not.
 *
 * <p>Messages name the source (URL with secret variable values replaced by {@code ***}, or file path) and the
 * problem; they never contain a secret, and neither does the cause chain.
 */
public class FetchException extends RuntimeException {
    private final boolean retryable;
    private final int httpStatus;

    public FetchException(String message, boolean retryable, int httpStatus, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.httpStatus = httpStatus;
    }

    public FetchException(String message, boolean retryable) {
        this(message, retryable, -1, null);
    }

    /** True when polling again later may succeed (the task system retries these). */
    public boolean retryable() {
        return retryable;
    }

    /** The HTTP status the source answered with, or -1 when the failure was not an HTTP answer. */
    public int httpStatus() {
        return httpStatus;
    }
}
