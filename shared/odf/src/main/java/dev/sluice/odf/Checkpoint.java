package dev.sluice.odf;

/** An engine/ingest checkpoint object, named by its physical hash. */
public record Checkpoint(Multihash physicalHash, long size) {}
