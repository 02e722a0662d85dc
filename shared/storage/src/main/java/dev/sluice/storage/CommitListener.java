package dev.sluice.storage;

import dev.sluice.odf.DatasetId;

/**
 * Called after a head swap succeeded (serving stores such as the DynamoDB index hang off this). Must be idempotent:
 * the log is the truth, and a listener that fails is caught up later from it.
 */
@FunctionalInterface
public interface CommitListener {
    void committed(DatasetId id, String alias, CommitResult result);
}
