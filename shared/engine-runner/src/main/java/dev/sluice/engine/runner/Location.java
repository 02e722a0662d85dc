package dev.sluice.engine.runner;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where a file of a wire request lives: {@code file:///abs/path} (a local file, for engines on the same machine) or
 * {@code store:<key>} (an object in the runner's staging store, for remote engines).
 */
public sealed interface Location {
    String FILE_SCHEME = "file:";
    String STORE_SCHEME = "store:";

    /** A local file. */
    record LocalFile(Path path) implements Location {
        public LocalFile {
            if (!path.isAbsolute()) throw new InvalidWireRequestException("local file location must be absolute: " + path);
        }

        @Override
        public String toString() {
            return path.toUri().toString();
        }
    }

    /** An object of the staging store, by key. */
    record StoreObject(String key) implements Location {
        public StoreObject {
            if (key.isEmpty() || key.startsWith("/") || key.endsWith("/")) {
                throw new InvalidWireRequestException("invalid store key '" + key + "'");
            }
        }

        @Override
        public String toString() {
            return STORE_SCHEME + key;
        }
    }

    static Location parse(String text) {
        if (text == null || text.isBlank()) throw new InvalidWireRequestException("empty location");
        if (text.regionMatches(true, 0, FILE_SCHEME, 0, FILE_SCHEME.length())) {
            try {
                return new LocalFile(Path.of(URI.create(text)));
            } catch (IllegalArgumentException e) {
                throw new InvalidWireRequestException("invalid file location '" + text + "': " + e.getMessage(), e);
            }
        }
        if (text.startsWith(STORE_SCHEME)) return new StoreObject(text.substring(STORE_SCHEME.length()));
        throw new InvalidWireRequestException("location '" + text + "' must start with file: or store:");
    }

    static Location of(Path path) {
        return new LocalFile(path.toAbsolutePath());
    }

    static Location ofKey(String key) {
        return new StoreObject(key);
    }
}
