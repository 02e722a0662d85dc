package dev.sluice.storage;

import dev.sluice.odf.DatasetId;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.chain.ChainState;

/**
 * Called after a head swap succeeded (serving stores such as the DynamoDB index hang off this). Must be idempotent
 * and must not throw (the write has happened; a failure would only hide that from the writer): the log is the truth,
 * and a listener that fails is caught up later from it.
 */
@FunctionalInterface
public interface CommitListener {
    void committed(DatasetId id, String alias, CommitResult result);

    /**
     * Called after {@link Dataset#replaceHead} moved the head to a chain that is not a descendant of the old one
     * (compaction, reset): blocks after the common prefix of the two chains were replaced, and sequence numbers may
     * go down. Listeners that keep per-block state must drop what they hold past the common prefix.
     */
    default void headReplaced(DatasetId id, String alias, Multihash oldHead, Multihash newHead) {}

    /**
     * Called after {@link DatasetRepository#create} made a dataset visible ({@code state}: its chain as created — kind,
     * sources, transform). Creation is not a commit: {@link #committed} is not called for the initial blocks.
     */
    default void created(DatasetId id, String alias, ChainState state) {}
}
