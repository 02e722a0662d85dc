package dev.sluice.storage;

import dev.sluice.odf.Multihash;

/**
 * {@link Dataset#replaceHead} found {@code refs/head} somewhere else than expected (another writer committed in the
 * meantime). Nothing was changed; retryable by re-reading the head and re-planning.
 */
public class HeadMovedException extends CommitConflictException {
    private final String dataset;
    private final Multihash expected;
    private final Multihash actual;

    public HeadMovedException(String dataset, Multihash expected, Multihash actual) {
        super(dataset, 1);
        this.dataset = dataset;
        this.expected = expected;
        this.actual = actual;
    }

    @Override
    public String getMessage() {
        return "head of " + dataset + " moved from " + expected + " to " + actual + " meanwhile; nothing was changed, retry";
    }

    public Multihash expected() {
        return expected;
    }

    /** The head found instead (null if it could not be read back). */
    public Multihash actual() {
        return actual;
    }
}
