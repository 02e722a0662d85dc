package dev.sluice.compaction;

import dev.sluice.odf.Multihash;
import dev.sluice.storage.CommitConflictException;

/**
 * Another writer committed while the compaction was being prepared: the head is no longer the one it planned from.
 * Nothing is changed (the rewritten blocks and merged slices stay unreferenced); retrying re-plans from the new head.
 */
public class CompactionConflictException extends CommitConflictException {
    private final String dataset;
    private final Multihash plannedHead;
    private final Multihash actualHead;

    public CompactionConflictException(String dataset, Multihash plannedHead, Multihash actualHead, int attempts) {
        super(dataset, attempts);
        this.dataset = dataset;
        this.plannedHead = plannedHead;
        this.actualHead = actualHead;
    }

    @Override
    public String getMessage() {
        return "compaction of " + dataset + " planned from head " + plannedHead.shortForm() + " but another commit moved it to "
                + (actualHead == null ? "?" : actualHead.shortForm()) + " (" + attempts() + " attempt" + (attempts() == 1 ? "" : "s")
                + "); nothing was changed, retry";
    }

    public Multihash plannedHead() {
        return plannedHead;
    }

    public Multihash actualHead() {
        return actualHead;
    }
}
