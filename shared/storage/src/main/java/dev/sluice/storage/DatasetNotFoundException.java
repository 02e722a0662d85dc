package dev.sluice.storage;

/** No dataset with that alias or id. */
public class DatasetNotFoundException extends StorageException {
    public DatasetNotFoundException(String ref) {
        super("dataset not found: " + ref);
    }
}
