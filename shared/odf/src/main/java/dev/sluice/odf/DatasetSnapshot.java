package dev.sluice.odf;

import java.util.List;

/** A dataset definition as written by users ({@code kind: DatasetSnapshot}); never contains Seed. */
public record DatasetSnapshot(String name, DatasetKind kind, List<MetadataEvent> metadata) {
    public static final long MANIFEST_KIND = 0x400001;

    public DatasetSnapshot {
        metadata = metadata == null ? List.of() : List.copyOf(metadata);
    }
}
