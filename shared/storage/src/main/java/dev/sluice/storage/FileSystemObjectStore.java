package dev.sluice.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link ObjectStore} on a local (or shared POSIX) filesystem: key {@code a/b/c} is the file {@code <root>/a/b/c}.
 *
 * <ul>
 *   <li>Every write goes to a {@code .tmp-<uuid>} file in the target directory, is fsynced, and is then published
 *       atomically; the directory is fsynced afterwards so an acknowledged write survives a crash. Leftover temp
 *       files from a crash are invisible to reads and listings.</li>
 *   <li>{@link #putIfAbsent} publishes with a hard link ({@code link(2)} fails if the name exists), so it never
 *       replaces an object, even with writers in other processes and without any lock. A local file on the same
 *       filesystem is linked as it is (after an fsync) rather than copied.</li>
 *   <li>{@link #compareAndSet} holds a per-key lock: an in-JVM lock (file locks are per process, and a second lock
 *       from the same JVM would throw instead of wait) plus an OS file lock on {@code <root>/.locks/<sha256(key)>}.
 *       Under the lock it compares versions and renames the temp file over the object.</li>
 *   <li>Version token = lowercase hex SHA-256 of the content.</li>
 * </ul>
 *
 * <p>Keys that are compare-and-set targets should be created with {@code compareAndSet(key, null, …)} (not
 * putIfAbsent) so their lock file exists before the object does; {@link #delete} then serialises with CAS on them.
 * Lock files are never deleted (deleting a lock file safely needs inode checks); there is one per CAS key.
 */
public final class FileSystemObjectStore implements ObjectStore {

    static final String TEMP_PREFIX = ".tmp-";
    static final String LOCK_DIR = ".locks";

    /** In-JVM half of the per-key lock, shared by all instances so two stores on one root also exclude each other. */
    private static final ReentrantLock[] JVM_LOCKS = new ReentrantLock[64];
    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
    /** A concurrent delete may prune the directory a writer just created; the writer recreates it and retries. */
    private static final int MAX_DIR_RACE_RETRIES = 20;

    static {
        for (int i = 0; i < JVM_LOCKS.length; i++) {
            JVM_LOCKS[i] = new ReentrantLock();
        }
    }

    private final Path root;

    public FileSystemObjectStore(Path root) {
        try {
            Files.createDirectories(root);
            // Canonical path: the in-JVM lock is chosen by lock-file path, so aliases of one root must agree.
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open object store root " + root, e);
        }
    }

    public Path root() {
        return root;
    }

    // ---------------------------------------------------------------------------------------------- reads

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        Path file = path(key);
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // A directory ("a" when "a/b" exists: EISDIR, a plain IOException) or a file in place of a parent
            // directory (ENOTDIR): no such object.
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public InputStream openStream(String key) throws IOException {
        Path file = path(key);
        if (Files.isDirectory(file)) {
            throw new NoSuchFileException(key);
        }
        try {
            return Files.newInputStream(file);
        } catch (FileSystemException e) {
            if (!Files.isRegularFile(file)) {
                NoSuchFileException absent = new NoSuchFileException(key);
                absent.initCause(e);
                throw absent;
            }
            throw e;
        }
    }

    @Override
    public Optional<Versioned> getVersioned(String key) throws IOException {
        return get(key).map(bytes -> new Versioned(bytes, version(bytes)));
    }

    @Override
    public boolean exists(String key) throws IOException {
        return Files.isRegularFile(path(key));
    }

    @Override
    public long size(String key) throws IOException {
        Path file = path(key);
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            return attrs.isRegularFile() ? attrs.size() : -1;
        } catch (FileSystemException e) { // includes NoSuchFileException and "not a directory"
            return -1;
        }
    }

    // --------------------------------------------------------------------------------------------- writes

    @Override
    public boolean putIfAbsent(String key, byte[] bytes) throws IOException {
        Path target = writablePath(key);
        if (Files.exists(target)) {
            return false; // cheap path for idempotent retries of content-addressed writes
        }
        Path temp = writeTemp(target, channel -> writeFully(channel, bytes));
        return publishNoReplace(key, target, temp, false);
    }

    @Override
    public boolean putIfAbsent(String key, Path file) throws IOException {
        Path target = writablePath(key);
        if (Files.exists(target)) {
            return false;
        }
        Boolean linked = linkIfAbsent(target, file);
        if (linked != null) {
            return linked;
        }
        Path temp = writeTemp(target, channel -> {
            try (FileChannel source = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = source.size();
                long position = 0;
                while (position < size) {
                    long n = channel.transferFrom(source, position, size - position);
                    if (n <= 0) {
                        throw new IOException("Source file shrank while copying: " + file);
                    }
                    position += n;
                }
            }
        });
        return publishNoReplace(key, target, temp, false);
    }

    @Override
    public boolean compareAndSet(String key, String expectedVersion, byte[] newBytes) throws IOException {
        Path target = writablePath(key);
        return withKeyLock(key, () -> {
            Optional<byte[]> current = get(key);
            if (expectedVersion == null) {
                if (current.isPresent()) {
                    return false;
                }
                Path temp = writeTemp(target, channel -> writeFully(channel, newBytes));
                // Still no-replace: a concurrent putIfAbsent on the same key does not take the lock.
                return publishNoReplace(key, target, temp, true);
            }
            if (current.isEmpty() || !expectedVersion.equals(version(current.get()))) {
                return false;
            }
            Path temp = writeTemp(target, channel -> writeFully(channel, newBytes));
            try {
                // rename(2): readers see either the old or the new file, never a partial one.
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
            fsyncDirectory(target.getParent());
            return true;
        });
    }

    @Override
    public void delete(String key) throws IOException {
        Path target = path(key);
        if (Files.isDirectory(target)) {
            return; // "a" while "a/b" exists: there is no object "a"
        }
        if (Files.exists(lockFile(key))) {
            // A CAS key: serialise with compareAndSet so a CAS cannot resurrect the object after this delete.
            withKeyLock(key, () -> Files.deleteIfExists(target));
        } else {
            Files.deleteIfExists(target);
        }
        fsyncDirectory(target.getParent());
        pruneEmptyDirectories(target.getParent());
    }

    // ------------------------------------------------------------------------------------------- listings

    @Override
    public List<String> list(String prefix) throws IOException {
        Path start = prefixDir(prefix);
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(start) && isHidden(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && !isHidden(file)) {
                    keys.add(toKey(file));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // deleted (or pruned) while we walked
                }
                throw e;
            }
        });
        Collections.sort(keys);
        return keys;
    }

    /**
     * Immediate children of {@code prefix}, sorted: object names as-is, "directories" with a trailing '/' (like S3
     * common prefixes, relative to the prefix). A directory counts only if it holds at least one object.
     */
    @Override
    public List<String> listChildren(String prefix) throws IOException {
        Path start = prefixDir(prefix);
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        List<String> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(start)) {
            for (Path entry : entries) {
                if (isHidden(entry)) {
                    continue;
                }
                String name = entry.getFileName().toString();
                if (Files.isRegularFile(entry)) {
                    children.add(name);
                } else if (Files.isDirectory(entry) && containsObject(entry)) {
                    children.add(name + "/");
                }
            }
        }
        Collections.sort(children);
        return children;
    }

    @Override
    public String describe() {
        return root.toUri().toString();
    }

    @Override
    public String toString() {
        return "FileSystemObjectStore[" + describe() + "]";
    }

    /** The version token {@link #getVersioned} reports for some content: lowercase hex SHA-256. */
    public static String version(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    // ------------------------------------------------------------------------------------------- internals

    private interface ContentWriter {
        void write(FileChannel channel) throws IOException;
    }

    private interface LockedAction<T> {
        T run() throws IOException;
    }

    @Override
    public Optional<Path> localFile(String key) {
        Path p = path(key);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    private Path path(String key) {
        return root.resolve(Keys.requireValidKey(key));
    }

    /**
     * S3 allows objects "a" and "a/b" side by side; a filesystem cannot. Writing "a" while "a/b" exists is an
     * error here rather than a misleading "already exists".
     */
    private Path writablePath(String key) throws IOException {
        Path target = path(key);
        if (Files.isDirectory(target)) {
            throw new FileAlreadyExistsException(target.toString(), null,
                    "cannot write object '" + key + "': other objects use it as a directory");
        }
        return target;
    }

    private Path prefixDir(String prefix) {
        Keys.requireValidPrefix(prefix);
        return prefix.isEmpty() ? root : root.resolve(prefix.substring(0, prefix.length() - 1));
    }

    private Path lockFile(String key) {
        // Flat directory named by key hash: no per-key directories, so object directories stay prunable.
        return root.resolve(LOCK_DIR).resolve(version(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private String toKey(Path file) {
        Path relative = root.relativize(file);
        StringBuilder key = new StringBuilder();
        for (Path segment : relative) {
            if (key.length() > 0) {
                key.append('/');
            }
            key.append(segment);
        }
        return key.toString();
    }

    private static boolean isHidden(Path path) {
        return path.getFileName().toString().startsWith(".");
    }

    /** Writes a fsynced temp file next to {@code target}; the caller publishes or deletes it. */
    private Path writeTemp(Path target, ContentWriter writer) throws IOException {
        Path dir = target.getParent();
        for (int attempt = 0; ; attempt++) {
            Files.createDirectories(dir);
            Path temp = dir.resolve(TEMP_PREFIX + UUID.randomUUID());
            FileChannel channel;
            try {
                channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (NoSuchFileException e) {
                if (attempt < MAX_DIR_RACE_RETRIES) {
                    continue; // directory pruned by a concurrent delete between createDirectories and open
                }
                throw e;
            }
            try (channel) {
                writer.write(channel);
                channel.force(true);
                return temp;
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
        }
    }

    /**
     * Publishes the caller's file itself as {@code target} (link(2) after an fsync of the file): a slice is then
     * written once, not copied. Returns whether this call created the object, or null when the file cannot be linked
     * there (another filesystem, no hard links), and the caller copies instead.
     */
    private Boolean linkIfAbsent(Path target, Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.force(true);
        }
        for (int attempt = 0; ; attempt++) {
            Files.createDirectories(target.getParent());
            try {
                Files.createLink(target, file);
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (NoSuchFileException e) {
                if (Files.exists(file) && attempt < MAX_DIR_RACE_RETRIES) {
                    continue; // directory pruned by a concurrent delete between createDirectories and link
                }
                throw e;
            } catch (UnsupportedOperationException | FileSystemException e) {
                return null;
            }
            fsyncDirectory(target.getParent());
            return true;
        }
    }

    /**
     * Publishes {@code temp} as {@code target} unless target exists; always removes the temp name. Uses link(2),
     * which is atomic and never replaces. On filesystems without hard links it falls back to check-then-rename
     * under the key lock (safe as long as every writer of that filesystem falls back too, which they do).
     */
    private boolean publishNoReplace(String key, Path target, Path temp, boolean lockHeld) throws IOException {
        try {
            try {
                Files.createLink(target, temp);
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException | FileSystemException e) {
                LockedAction<Boolean> moveIfAbsent = () -> {
                    if (Files.exists(target)) {
                        return false;
                    }
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                    return true;
                };
                if (!(lockHeld ? moveIfAbsent.run() : withKeyLock(key, moveIfAbsent))) {
                    return false;
                }
            }
            fsyncDirectory(target.getParent());
            return true;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private <T> T withKeyLock(String key, LockedAction<T> action) throws IOException {
        Path lockFile = lockFile(key);
        ReentrantLock jvmLock = JVM_LOCKS[Math.floorMod(lockFile.hashCode(), JVM_LOCKS.length)];
        jvmLock.lock();
        try {
            Files.createDirectories(lockFile.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                return action.run();
            }
        } finally {
            jvmLock.unlock();
        }
    }

    private static void writeFully(FileChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Makes a just-created or renamed directory entry durable. Windows cannot open directories; skip there. */
    private static void fsyncDirectory(Path dir) throws IOException {
        if (WINDOWS) {
            return;
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (NoSuchFileException e) {
            // pruned concurrently: nothing left to make durable
        }
    }

    /** Removes now-empty parent directories up to (not including) the root, so listings match S3's. */
    private void pruneEmptyDirectories(Path dir) throws IOException {
        while (dir != null && !dir.equals(root) && dir.startsWith(root)) {
            try {
                Files.delete(dir);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return;
            }
            dir = dir.getParent();
        }
    }

    private static boolean containsObject(Path dir) throws IOException {
        boolean[] found = {false};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                return !d.equals(dir) && isHidden(d) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && !isHidden(file)) {
                    found[0] = true;
                    return FileVisitResult.TERMINATE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        return found[0];
    }
}
