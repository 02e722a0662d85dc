package dev.sluice.odf;

/** Source caching policy. */
public sealed interface SourceCaching {
    default String kind() {
        return getClass().getSimpleName();
    }

    record Forever() implements SourceCaching {}
}
