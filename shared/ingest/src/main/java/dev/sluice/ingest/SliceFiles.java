package dev.sluice.ingest;

import dev.sluice.odf.Multihash;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.util.Optional;
import java.util.UUID;

/**
 * Data slices as local files: in place when the store keeps files, otherwise fetched once into a cache keyed by
 * physical hash (slices are immutable, so a cached copy never goes stale) and checked against that hash.
 */
public final class SliceFiles {
    private final Path cacheDir;

    public SliceFiles(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    public Path local(Dataset ds, Multihash physicalHash) throws IOException {
        String key = DatasetLayout.data(ds.id(), physicalHash);
        Optional<Path> inPlace = ds.store().localFile(key);
        if (inPlace.isPresent()) return inPlace.get();
        Path cached = cacheDir.resolve(physicalHash.toMultibase());
        if (Files.isRegularFile(cached)) return cached;
        Files.createDirectories(cacheDir);
        Path temp = cacheDir.resolve(".tmp-" + UUID.randomUUID());
        var md = Multihash.newSha3();
        try (InputStream in = ds.openData(physicalHash); OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), md)) {
            in.transferTo(out);
        }
        Multihash actual = new Multihash(Multihash.SHA3_256, md.digest());
        if (!actual.equals(physicalHash)) {
            Files.deleteIfExists(temp);
            throw new IOException(key + " is corrupt: its bytes hash to " + actual);
        }
        Files.move(temp, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return cached;
    }
}
