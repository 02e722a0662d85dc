package dev.sluice.compaction;

/** Progress of a compaction (for task logs); the default does nothing. */
public interface CompactionListener {
    enum Phase {
        /** Reading the chain and grouping AddData blocks into runs. */
        PLAN,
        /** Writing merged slices (data objects). */
        MERGE_SLICES,
        /** Writing the rewritten blocks. */
        WRITE_BLOCKS,
        /** About to move the head (compare-and-set from the planned head). */
        SWAP_HEAD
    }

    CompactionListener NONE = new CompactionListener() {};

    default void beginPhase(Phase phase) {}
}
