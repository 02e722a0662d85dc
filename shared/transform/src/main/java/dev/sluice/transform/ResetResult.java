package dev.sluice.transform;

import dev.sluice.odf.Multihash;

/**
 * What {@link TransformService#reset} did.
 *
 * @param droppedBlocks blocks cut from the chain (their objects stay in storage as garbage)
 * @param keptEvents    metadata events after the first transform that were re-appended on the reset chain
 */
public record ResetResult(String dataset, Multihash oldHead, Multihash newHead, int droppedBlocks, int keptEvents) {
    public boolean changed() {
        return !oldHead.equals(newHead);
    }
}
