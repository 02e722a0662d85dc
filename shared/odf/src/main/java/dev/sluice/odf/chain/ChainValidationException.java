package dev.sluice.odf.chain;

/** A block that may not be appended to a chain (or a stored chain that breaks a rule). Not retryable. */
public class ChainValidationException extends RuntimeException {
    private final long sequenceNumber;

    public ChainValidationException(long sequenceNumber, String message) {
        super("block #" + sequenceNumber + ": " + message);
        this.sequenceNumber = sequenceNumber;
    }

    public long sequenceNumber() {
        return sequenceNumber;
    }
}
