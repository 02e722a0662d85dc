package dev.sluice.storage;

/** A stored object does not match its name (hash) or cannot be decoded. */
public class CorruptDatasetException extends StorageException {
    public CorruptDatasetException(String message) {
        super(message);
    }
}
