package dev.sluice.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The pushed body. It may be opened more than once: when another writer commits first, the push is merged again
 * on top of the new head (offsets and dedup depend on it), so the input is read again.
 */
@FunctionalInterface
public interface IngestSource {
    InputStream open() throws IOException;

    static IngestSource ofFile(Path file) {
        return () -> Files.newInputStream(file);
    }

    static IngestSource ofBytes(byte[] bytes) {
        return () -> new java.io.ByteArrayInputStream(bytes);
    }
}
