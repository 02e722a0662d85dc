package dev.sluice.odf;

/** Input of a derivative; {@code datasetRef} must be a {@code did:odf:} once committed. */
public record TransformInput(String datasetRef, String alias) {}
