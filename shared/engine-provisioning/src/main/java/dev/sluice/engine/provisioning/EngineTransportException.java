package dev.sluice.engine.provisioning;

/** The engine could not be reached or gave no usable answer; the transform may be retried. */
public class EngineTransportException extends RuntimeException {
    public EngineTransportException(String message) {
        super(message);
    }

    public EngineTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
