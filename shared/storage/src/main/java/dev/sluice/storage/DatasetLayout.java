package dev.sluice.storage;

import dev.sluice.odf.DatasetId;
import dev.sluice.odf.Multihash;

/** kamu's per-dataset layout: {@code <did without did:odf:>/{blocks,refs,data,checkpoints,info}}. */
public final class DatasetLayout {
    public static final String BLOCKS = "blocks/";
    public static final String DATA = "data/";
    public static final String CHECKPOINTS = "checkpoints/";
    public static final String REFS = "refs/";
    public static final String INFO = "info/";

    private DatasetLayout() {}

    public static String root(DatasetId id) {
        return id.toMultibase() + "/";
    }

    public static String head(DatasetId id) {
        return root(id) + REFS + "head";
    }

    public static String block(DatasetId id, Multihash hash) {
        return root(id) + BLOCKS + hash.toMultibase();
    }

    public static String data(DatasetId id, Multihash physicalHash) {
        return root(id) + DATA + physicalHash.toMultibase();
    }

    public static String checkpoint(DatasetId id, Multihash physicalHash) {
        return root(id) + CHECKPOINTS + physicalHash.toMultibase();
    }

    public static String alias(DatasetId id) {
        return root(id) + INFO + "alias";
    }
}
