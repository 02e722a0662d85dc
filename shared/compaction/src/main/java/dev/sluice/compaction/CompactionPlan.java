package dev.sluice.compaction;

import dev.sluice.odf.DatasetVocabulary;
import dev.sluice.odf.Multihash;
import dev.sluice.storage.HashedBlock;
import java.util.List;

/**
 * What a compaction does with each block of the chain at {@code oldHead}, oldest first: every block belongs to
 * exactly one step, in chain order.
 */
record CompactionPlan(Multihash oldHead, List<HashedBlock> chain, List<Step> steps) {
    sealed interface Step {
        List<HashedBlock> blocks();
    }

    /** The block stays (re-linked if an earlier step changed the chain). */
    record Keep(HashedBlock block) implements Step {
        public List<HashedBlock> blocks() {
            return List.of(block);
        }
    }

    /** Two or more consecutive AddData blocks become one; {@code vocab} names the system columns of their slices. */
    record Merge(List<HashedBlock> blocks, DatasetVocabulary vocab) implements Step {}

    /** The block is left out (keep-metadata-only drops data blocks). */
    record Drop(HashedBlock block) implements Step {
        public List<HashedBlock> blocks() {
            return List.of(block);
        }
    }

    /** Index of the first step that is not a {@link Keep}; {@code steps.size()} when nothing changes. */
    int firstChange() {
        for (int i = 0; i < steps.size(); i++) if (!(steps.get(i) instanceof Keep)) return i;
        return steps.size();
    }

    boolean isNoop() {
        return firstChange() == steps.size();
    }
}
