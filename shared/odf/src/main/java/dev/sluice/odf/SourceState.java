package dev.sluice.odf;

/** Resumption state of a source, e.g. kind {@code odf/etag}. */
public record SourceState(String sourceName, String kind, String value) {
    public static final String KIND_ETAG = "odf/etag";
    public static final String KIND_LAST_MODIFIED = "odf/last-modified";
}
