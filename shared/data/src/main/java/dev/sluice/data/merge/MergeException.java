package dev.sluice.data.merge;

/** The new data cannot be merged (bad input or input incompatible with the dataset); the message says why. */
public class MergeException extends IllegalArgumentException {
    public MergeException(String message) {
        super(message);
    }
}
