package dev.sluice.transform;

/** The transform is wrong (its SQL, or the dataset is not a derivative): the user's to fix, not retried. */
public class InvalidTransformException extends TransformException {
    public InvalidTransformException(String message) {
        super(message);
    }
}
