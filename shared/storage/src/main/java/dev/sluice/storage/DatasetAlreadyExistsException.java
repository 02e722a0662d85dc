package dev.sluice.storage;

/** Creating a dataset whose alias (or id) is taken. */
public class DatasetAlreadyExistsException extends StorageException {
    public DatasetAlreadyExistsException(String what) {
        super("dataset already exists: " + what);
    }
}
