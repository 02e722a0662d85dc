package dev.sluice.odf;

/** Closed interval {@code [start, end]} of record offsets. */
public record OffsetInterval(long start, long end) {}
