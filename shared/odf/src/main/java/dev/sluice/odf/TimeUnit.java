package dev.sluice.odf;

/** ODF TimeUnit; constant names are the ODF names (FlatBuffers enum order). */
public enum TimeUnit {
    Second,
    Millisecond,
    Microsecond,
    Nanosecond
}
