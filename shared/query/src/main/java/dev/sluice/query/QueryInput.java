package dev.sluice.query;

import dev.sluice.odf.DatasetId;
import dev.sluice.odf.Multihash;

/**
 * A dataset a query read: the table name as written in the SQL, the dataset it resolved to, and the block it was
 * read as of (the head, or the pinned block). Together with the query this makes the answer reproducible.
 */
public record QueryInput(String table, DatasetId id, String alias, Multihash blockHash, int slices) {}
