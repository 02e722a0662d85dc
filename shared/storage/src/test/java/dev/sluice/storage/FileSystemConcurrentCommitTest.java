package dev.sluice.storage;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileSystemConcurrentCommitTest extends ConcurrentCommitContract {
    @TempDir Path root;

    @Override
    ObjectStore store() {
        return new FileSystemObjectStore(root);
    }
}
