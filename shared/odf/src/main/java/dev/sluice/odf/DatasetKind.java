package dev.sluice.odf;

/** ODF dataset kind; constant names are the ODF names (FlatBuffers enum order). */
public enum DatasetKind {
    Root,
    Derivative
}
