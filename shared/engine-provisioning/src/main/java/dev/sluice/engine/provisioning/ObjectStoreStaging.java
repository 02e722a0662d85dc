package dev.sluice.engine.provisioning;

import dev.sluice.engine.TransformRequest;
import dev.sluice.engine.TransformRequestInput;
import dev.sluice.engine.runner.Location;
import dev.sluice.engine.runner.WireRequest;
import dev.sluice.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Remote engines: each invocation gets {@code <prefix><invocationId>/} in the staging store, with the inputs under
 * {@code in/}, the outputs at {@code out/data} and {@code out/checkpoint}, and (for engines that read their request
 * from the store) {@code request.json} / {@code response.json}. Everything under the invocation's folder is deleted
 * when the staged request is closed, whatever the outcome.
 */
final class ObjectStoreStaging implements Staging {
    private static final System.Logger LOG = System.getLogger(ObjectStoreStaging.class.getName());

    private final ObjectStore store;
    private final String prefix;

    ObjectStoreStaging(ObjectStore store, String prefix) {
        this.store = store;
        this.prefix = prefix == null ? "" : prefix;
    }

    ObjectStore store() {
        return store;
    }

    String folder(String invocationId) {
        return prefix + invocationId + "/";
    }

    String requestKey(String invocationId) {
        return folder(invocationId) + "request.json";
    }

    String responseKey(String invocationId) {
        return folder(invocationId) + "response.json";
    }

    @Override
    public Staged stage(String invocationId, TransformRequest request) throws IOException {
        String folder = folder(invocationId);
        Map<Path, String> keys = new LinkedHashMap<>();
        try {
            int n = 0;
            for (TransformRequestInput input : request.queryInputs()) {
                for (Path p : input.dataPaths()) {
                    if (!keys.containsKey(p)) keys.put(p, upload(folder + "in/" + (n++) + "-" + keyName(p), p));
                }
                if (input.schemaFile() != null && !keys.containsKey(input.schemaFile())) {
                    keys.put(input.schemaFile(), upload(folder + "in/" + (n++) + "-" + keyName(input.schemaFile()), input.schemaFile()));
                }
            }
            if (request.prevCheckpointPath() != null) {
                keys.put(request.prevCheckpointPath(), upload(folder + "in/prev-checkpoint", request.prevCheckpointPath()));
            }
        } catch (IOException | RuntimeException e) {
            delete(folder);
            throw e;
        }
        String dataKey = folder + "out/data";
        String checkpointKey = folder + "out/checkpoint";
        keys.put(request.newDataPath(), dataKey);
        keys.put(request.newCheckpointPath(), checkpointKey);
        WireRequest wire = WireRequest.from(request, p -> Location.ofKey(keys.get(p)));
        return new Staged() {
            @Override
            public WireRequest wire() {
                return wire;
            }

            @Override
            public boolean collect() throws IOException {
                download(checkpointKey, request.newCheckpointPath());
                return download(dataKey, request.newDataPath());
            }

            @Override
            public void close() {
                delete(folder);
            }
        };
    }

    /** The file's name, kept for readable staging keys, reduced to characters every object store accepts. */
    private static String keyName(Path file) {
        return file.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private String upload(String key, Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "input file to stage is missing");
        store.putIfAbsent(key, file);
        return key;
    }

    /** Copies the object to {@code target} through a temporary sibling, so a failed copy leaves no partial file. */
    private boolean download(String key, Path target) throws IOException {
        if (!store.exists(key)) return false;
        Path tmp = target.resolveSibling(target.getFileName() + ".staging");
        try (InputStream in = store.openStream(key)) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return true;
    }

    Optional<byte[]> get(String key) throws IOException {
        return store.get(key);
    }

    void put(String key, byte[] bytes) throws IOException {
        store.putIfAbsent(key, bytes);
    }

    private void delete(String folder) {
        try {
            for (String key : store.list(folder)) store.delete(key);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not clean staging folder " + folder + " in " + store.describe() + ": " + e);
        }
    }
}
