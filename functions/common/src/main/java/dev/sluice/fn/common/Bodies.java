package dev.sluice.fn.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Request bodies with the configured size limit enforced while reading (413 past it, also when no length is given). */
public final class Bodies {
    private Bodies() {}

    /**
     * Checks a declared Content-Length before anything is read, and returns the body to read: an empty stream for a
     * declared length of 0, because the REST layer's blocking body stream never signals the end of an empty body (the
     * read would wait for the HTTP read timeout).
     */
    public static InputStream checked(InputStream body, String contentLength, long limit) {
        return declaredLength(contentLength, limit) == 0 ? InputStream.nullInputStream() : body;
    }

    /** The declared Content-Length within the limit (413 past it, 400 when malformed), or -1 when none is given. */
    public static long declaredLength(String contentLength, long limit) {
        if (contentLength == null || contentLength.isBlank()) return -1;
        long declared;
        try {
            declared = Long.parseLong(contentLength.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid Content-Length");
        }
        if (declared < 0) throw ApiException.badRequest("invalid Content-Length");
        if (declared > limit) throw ApiException.tooLarge(limit);
        return declared;
    }

    /**
     * Copies the body into a new file under {@code dir} (ingest may read a push twice when another writer commits
     * first, so the body must be re-readable). The caller deletes the file.
     */
    public static Path spool(InputStream in, Path dir, long limit) throws IOException {
        Files.createDirectories(dir);
        Path file = Files.createTempFile(dir, ".upload-", ".bin");
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buf)) >= 0; ) {
                total += n;
                if (total > limit) throw ApiException.tooLarge(limit);
                out.write(buf, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return file;
    }

    /** Reads a small body into memory, within the limit. */
    public static byte[] read(InputStream in, long limit) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (bytes.length > limit) throw ApiException.tooLarge(limit);
        return bytes;
    }
}
