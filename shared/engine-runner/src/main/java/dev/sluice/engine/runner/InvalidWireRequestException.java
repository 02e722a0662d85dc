package dev.sluice.engine.runner;

/** A wire request that cannot be run as sent (malformed JSON, a missing field, a bad location): the caller's bug. */
public final class InvalidWireRequestException extends IllegalArgumentException {
    public InvalidWireRequestException(String message) {
        super(message);
    }

    public InvalidWireRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
