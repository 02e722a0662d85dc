package dev.sluice.storage;

import java.net.URI;
import java.nio.file.Path;

/** Opens an {@link ObjectStore} from a location string, as used in configuration files and CLI flags. */
public final class ObjectStores {

    private ObjectStores() {}

    /**
     * {@code s3://bucket/prefix?endpoint=…&region=…&pathStyle=…} (see {@link S3Config#parse}),
     * {@code file:///abs/path}, or a plain filesystem path.
     */
    public static ObjectStore open(String location) {
        if (location.regionMatches(true, 0, "s3://", 0, 5)) {
            return S3ObjectStore.create(location);
        }
        if (location.regionMatches(true, 0, "file:", 0, 5)) {
            return new FileSystemObjectStore(Path.of(URI.create(location)));
        }
        if (location.contains("://")) {
            throw new IllegalArgumentException("Unsupported storage location '" + location + "' (use s3:// or file:)");
        }
        return new FileSystemObjectStore(Path.of(location));
    }
}
