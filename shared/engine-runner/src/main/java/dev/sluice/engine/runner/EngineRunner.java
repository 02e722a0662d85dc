package dev.sluice.engine.runner;

import dev.sluice.engine.Engine;
import dev.sluice.engine.TransformRequest;
import dev.sluice.engine.TransformResponse;
import dev.sluice.storage.ObjectStore;
import dev.sluice.storage.ObjectStores;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Runs one wire transform request on an engine of this process: picks the engine for the request's dialect from the
 * {@link EngineCatalog}, stages {@code store:} inputs from the object store into a scratch directory, runs the engine,
 * uploads the output slice and checkpoint to their {@code store:} locations and answers with the engine's response
 * and its exact build. {@code file:} locations are used in place (engines on the same machine).
 *
 * <p>Engine failures and staging failures become an {@code InternalError} response; only a request that cannot be
 * run as sent throws ({@link InvalidWireRequestException}). The scratch directory is deleted after every request.
 * Thread-safe if the engines are.
 */
public final class EngineRunner {
    /** Object store that {@code store:} locations refer to, e.g. {@code s3://bucket/engine-staging?endpoint=…}. */
    public static final String ENV_STORE = "SLUICE_ENGINE_STORE";
    /** Parent of the per-request scratch directories (default: java.io.tmpdir; /tmp is the only writable dir on Lambda). */
    public static final String ENV_WORK_DIR = "SLUICE_ENGINE_WORK_DIR";
    /** {@code true}/{@code false}: whether {@code file:} locations may be read and written. */
    public static final String ENV_LOCAL_FILES = "SLUICE_ENGINE_LOCAL_FILES";

    private static final System.Logger LOG = System.getLogger(EngineRunner.class.getName());

    private final EngineCatalog catalog;
    private final ObjectStore store;
    private final Path workRoot;
    private final boolean localFilesAllowed;

    /**
     * @param store             the store {@code store:} locations live in, or null if this runner serves local requests only
     * @param localFilesAllowed false for runners reachable from elsewhere that should touch only the staging store
     */
    public EngineRunner(EngineCatalog catalog, ObjectStore store, Path workRoot, boolean localFilesAllowed) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.store = store;
        this.workRoot = Objects.requireNonNull(workRoot, "workRoot");
        this.localFilesAllowed = localFilesAllowed;
    }

    /** A runner configured from environment variables ({@link #ENV_STORE}, {@link #ENV_WORK_DIR}, {@link #ENV_LOCAL_FILES}). */
    public static EngineRunner fromEnvironment(Map<String, String> env, boolean localFilesByDefault) {
        return fromEnvironment(env, localFilesByDefault, ObjectStores::open);
    }

    /** As {@link #fromEnvironment(Map, boolean)}, opening the store location with {@code openStore}. */
    public static EngineRunner fromEnvironment(Map<String, String> env, boolean localFilesByDefault,
                                               java.util.function.Function<String, ObjectStore> openStore) {
        String storeLocation = env.get(ENV_STORE);
        ObjectStore store = storeLocation == null || storeLocation.isBlank() ? null : openStore.apply(storeLocation);
        String workDir = env.getOrDefault(ENV_WORK_DIR, System.getProperty("java.io.tmpdir"));
        String localFiles = env.get(ENV_LOCAL_FILES);
        boolean allowLocal = localFiles == null ? localFilesByDefault : parseBoolean(ENV_LOCAL_FILES, localFiles);
        return new EngineRunner(EngineCatalog.load(), store, Path.of(workDir), allowLocal);
    }

    public EngineCatalog catalog() {
        return catalog;
    }

    /** The store {@code store:} locations refer to, if configured. */
    public java.util.Optional<ObjectStore> store() {
        return java.util.Optional.ofNullable(store);
    }

    public WireResponse run(WireRequest request) {
        request.validate();
        checkLocations(request);
        String dialect = request.dialect();
        Engine engine = catalog.find(dialect).orElse(null);
        if (engine == null) {
            return WireResponse.internalError("engine " + dialect + " not available in this runner (it has " + catalog.describe() + ")",
                    null, null);
        }
        WireResponse.EngineInfo info = WireResponse.EngineInfo.of(engine);
        Path scratch = null;
        try {
            Files.createDirectories(workRoot);
            scratch = Files.createTempDirectory(workRoot, "transform-");
            Staging staging = new Staging(scratch);
            TransformRequest local;
            try {
                local = request.toTransformRequest(staging::input, staging::output);
            } catch (UncheckedIOException e) {
                return WireResponse.internalError("staging inputs failed: " + e.getCause().getMessage(), null, info);
            }
            TransformResponse response;
            try {
                response = engine.transform(local);
            } catch (RuntimeException e) {
                return WireResponse.internalError(engine.name() + " failed: " + e, backtrace(e), info);
            }
            if (response instanceof TransformResponse.Success s && s.newOffsetInterval() != null
                    && !Files.isRegularFile(local.newDataPath())) {
                return WireResponse.internalError(engine.name() + " reported rows " + s.newOffsetInterval()
                        + " but wrote no data file", null, info);
            }
            staging.uploadOutputs();
            return WireResponse.from(response, info);
        } catch (IOException | UncheckedIOException e) {
            return WireResponse.internalError("engine runner I/O failed: " + e.getMessage(), backtrace(e), info);
        } finally {
            if (scratch != null) deleteTree(scratch);
        }
    }

    /** Refuses locations this runner may not serve before anything is staged. */
    private void checkLocations(WireRequest request) {
        List<String> all = new ArrayList<>(request.inputLocations());
        all.add(request.newDataPath());
        all.add(request.newCheckpointPath());
        for (String text : all) {
            Location location = Location.parse(text);
            if (location instanceof Location.LocalFile && !localFilesAllowed) {
                throw new InvalidWireRequestException("file: locations are disabled on this runner (" + text + "); stage files in the store");
            }
            if (location instanceof Location.StoreObject && store == null) {
                throw new InvalidWireRequestException("store: location " + text + " but this runner has no store (set " + ENV_STORE + ")");
            }
        }
    }

    /** Maps the locations of one request to local files: downloads inputs, remembers outputs to upload. */
    private final class Staging {
        private final Path scratch;
        private final List<Map.Entry<Path, String>> outputs = new ArrayList<>();
        private int downloads;

        Staging(Path scratch) {
            this.scratch = scratch;
        }

        Path input(Location location) {
            if (location instanceof Location.LocalFile f) return f.path();
            String key = ((Location.StoreObject) location).key();
            try {
                return download(key);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Path output(Location location) {
            if (location instanceof Location.LocalFile f) return f.path();
            String key = ((Location.StoreObject) location).key();
            Path target = scratch.resolve("out").resolve(outputs.size() + "-" + baseName(key));
            try {
                Files.createDirectories(target.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            outputs.add(Map.entry(target, key));
            return target;
        }

        private Path download(String key) throws IOException {
            Path target = scratch.resolve("in").resolve((downloads++) + "-" + baseName(key));
            Files.createDirectories(target.getParent());
            try (InputStream in = store.openStream(key)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        }

        void uploadOutputs() throws IOException {
            for (Map.Entry<Path, String> out : outputs) {
                if (Files.isRegularFile(out.getKey())) {
                    // Staging keys are unique per invocation; an existing object is a retry's copy of the same output.
                    store.putIfAbsent(out.getValue(), out.getKey());
                }
            }
        }
    }

    private static String baseName(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    private static boolean parseBoolean(String name, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, got '" + value + "'");
        };
    }

    static String backtrace(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete scratch directory " + root + ": " + e);
        }
    }
}
