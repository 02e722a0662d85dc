package dev.sluice.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The one storage SPI Sluice needs: immutable content-addressed objects plus one mutable pointer per dataset.
 * Keys are '/'-separated relative paths (e.g. {@code fed01…/blocks/f1620…}); implementations reject keys with
 * empty, '.' or '..' segments, backslashes or control characters.
 *
 * <p>Commit contract: objects are written with {@link #putIfAbsent} (idempotent because names are hashes), and the
 * only mutation is {@link #compareAndSet} on a ref. A {@code false} from compareAndSet means another writer won;
 * the caller re-reads and retries or reports a conflict.
 */
public interface ObjectStore {

    /** An object's bytes with an opaque version token usable for {@link #compareAndSet}. */
    record Versioned(byte[] bytes, String version) {}

    /** Whole object, or empty when absent. */
    Optional<byte[]> get(String key) throws IOException;

    /** Streaming read for large objects; throws {@link java.nio.file.NoSuchFileException} when absent. */
    InputStream openStream(String key) throws IOException;

    /** Bytes plus version token, or empty when absent. */
    Optional<Versioned> getVersioned(String key) throws IOException;

    boolean exists(String key) throws IOException;

    /** Size in bytes, or -1 when absent. */
    long size(String key) throws IOException;

    /** Writes the object unless the key exists. Returns true if this call created it. Never overwrites. */
    boolean putIfAbsent(String key, byte[] bytes) throws IOException;

    /**
     * Same as {@link #putIfAbsent(String, byte[])} but from a local file (large data slices). The store may keep the
     * file itself (a hard link on the same filesystem) instead of a copy: the caller must not modify the file
     * afterwards (deleting it is fine).
     */
    boolean putIfAbsent(String key, Path file) throws IOException;

    /**
     * Atomically replaces the object if its current version equals {@code expectedVersion}; with
     * {@code expectedVersion == null} creates it only if absent. Returns false (changing nothing) when the
     * precondition fails.
     *
     * <p>Callers write contents that are unique per write (refs hold block hashes). Remote stores rely on that to
     * settle a write whose outcome is unknown — a lost connection, or a 412 answering the client's retry of a PUT that
     * had already succeeded: the write succeeded exactly when the current content is {@code newBytes}.
     */
    boolean compareAndSet(String key, String expectedVersion, byte[] newBytes) throws IOException;

    /** All keys under a prefix (recursive), sorted. A prefix is a key prefix ending with '/' or empty. */
    List<String> list(String prefix) throws IOException;

    /** Immediate child names under a prefix (like a directory listing with a '/' delimiter), sorted. */
    List<String> listChildren(String prefix) throws IOException;

    /** Deletes an object; absent is not an error. */
    void delete(String key) throws IOException;

    /**
     * Capability: the object as a local file, when the store keeps objects as files (lets readers open data slices
     * in place instead of copying them). Empty when unsupported or absent.
     */
    default Optional<Path> localFile(String key) throws IOException {
        return Optional.empty();
    }

    /** Human-readable location for messages, e.g. {@code file:///data} or {@code s3://bucket/prefix}. */
    String describe();
}
