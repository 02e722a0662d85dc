package dev.sluice.odf;

/** Slice of one input used by a transform: blocks {@code (prev, new]} and offsets {@code (prev, new]}. */
public record ExecuteTransformInput(
        DatasetId datasetId, Multihash prevBlockHash, Multihash newBlockHash, Long prevOffset, Long newOffset) {}
