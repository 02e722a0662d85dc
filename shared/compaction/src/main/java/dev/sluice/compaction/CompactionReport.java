package dev.sluice.compaction;

import dev.sluice.odf.Multihash;

/**
 * Outcome of a compaction. {@code oldHead == newHead} when there was nothing to merge. Objects of the replaced
 * blocks and merged-away slices are left in storage (garbage until collected).
 *
 * @param runsMerged    number of merged blocks written (each replaces two or more old blocks)
 * @param attempts      plans made (more than one when concurrent commits forced a re-plan)
 */
public record CompactionReport(
        String dataset,
        Multihash oldHead,
        Multihash newHead,
        int blocksBefore,
        int blocksAfter,
        int slicesBefore,
        int slicesAfter,
        int runsMerged,
        int attempts) {

    public boolean changed() {
        return !oldHead.equals(newHead);
    }
}
