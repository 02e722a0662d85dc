package dev.sluice.transform;

/** The engine failed on its own account (not the query's): retry later. */
public class EngineFailedException extends TransformException {
    public EngineFailedException(String message) {
        super(message);
    }
}
