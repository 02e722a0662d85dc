package dev.sluice.storage;

import dev.sluice.odf.MetadataBlock;
import dev.sluice.odf.Multihash;

/** Outcome of a successful commit: the head moved from {@code oldHead} to {@code newHead}. */
public record CommitResult(Multihash oldHead, Multihash newHead, MetadataBlock block, int attempts) {
    public long sequenceNumber() {
        return block.sequenceNumber();
    }
}
