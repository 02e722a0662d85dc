package dev.sluice.odf;

/** A Parquet data slice: logical hash, physical hash (its object name), offsets, size in bytes. */
public record DataSlice(Multihash logicalHash, Multihash physicalHash, OffsetInterval offsetInterval, long size) {}
