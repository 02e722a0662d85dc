package dev.sluice.state;

/** The operational-state store cannot be used (not reachable, not startable, misconfigured). */
public final class StateUnavailableException extends RuntimeException {
    public StateUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public StateUnavailableException(String message) {
        super(message);
    }
}
