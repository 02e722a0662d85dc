package dev.sluice.query;

/** A table named in the query (or a dataset listed in the request) is not a known dataset → 404. */
public final class DatasetNotFoundException extends QueryException {
    private final String ref;

    public DatasetNotFoundException(String ref, String message) {
        super(message);
        this.ref = ref;
    }

    public DatasetNotFoundException(String ref) {
        this(ref, "dataset not found: " + ref);
    }

    /** The reference as the user wrote it. */
    public String ref() {
        return ref;
    }

    @Override
    public int httpStatus() {
        return 404;
    }
}
