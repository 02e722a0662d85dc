package dev.sluice.ingest;

import dev.sluice.odf.Multihash;
import dev.sluice.odf.OffsetInterval;

/**
 * Outcome of one push. {@code newData} is null when the merge left nothing to add (e.g. a Ledger push of rows already
 * seen); {@code duplicate} when the idempotency key had already been committed, in which case nothing was written.
 */
public record IngestResult(
        Multihash oldHead,
        Multihash newHead,
        long rowsRead,
        long rowsAdded,
        OffsetInterval newData,
        boolean duplicate,
        int attempts) {
    public boolean committed() {
        return !oldHead.equals(newHead);
    }
}
