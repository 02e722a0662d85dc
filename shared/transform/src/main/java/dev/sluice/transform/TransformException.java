package dev.sluice.transform;

/** A transform could not run; subclasses say whose problem it is. Nothing was committed. */
public class TransformException extends RuntimeException {
    public TransformException(String message) {
        super(message);
    }

    public TransformException(String message, Throwable cause) {
        super(message, cause);
    }
}
