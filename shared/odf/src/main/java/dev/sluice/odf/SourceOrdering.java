package dev.sluice.odf;

/** ODF SourceOrdering (FlatBuffers enum order). */
public enum SourceOrdering {
    ByEventTime,
    ByName
}
