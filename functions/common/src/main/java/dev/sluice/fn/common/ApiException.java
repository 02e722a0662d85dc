package dev.sluice.fn.common;

/** A request problem raised by the function layer itself, carrying its HTTP status and error code. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String error;

    public ApiException(int status, String error, String message) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not-found", message);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "bad-request", message);
    }

    public static ApiException tooLarge(long limit) {
        return new ApiException(413, "payload-too-large", "request body is larger than the limit of " + limit + " bytes (sluice.max-body-bytes)");
    }

    public static ApiException unsupportedMediaType(String message) {
        return new ApiException(415, "unsupported-media-type", message);
    }
}
