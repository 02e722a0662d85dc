package dev.sluice.odf;

import java.time.Instant;
import java.util.Objects;

/** One block of a dataset's metadata chain. {@code prevBlockHash} is null only for the Seed block. */
public record MetadataBlock(Instant systemTime, Multihash prevBlockHash, long sequenceNumber, MetadataEvent event) {
    /** Manifest kind of a binary block (multicodec odf-metadata-block). */
    public static final long MANIFEST_KIND = 0x400000;
    /** Manifest version written; versions 2 and 3 are read. */
    public static final int MANIFEST_VERSION = 3;

    public MetadataBlock {
        Objects.requireNonNull(systemTime, "systemTime");
        Objects.requireNonNull(event, "event");
    }
}
