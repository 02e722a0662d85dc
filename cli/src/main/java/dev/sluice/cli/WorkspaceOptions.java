package dev.sluice.cli;

import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --workspace DIR}: the local folder holding datasets (default {@code ./.sluice}, or $SLUICE_WORKSPACE). */
final class WorkspaceOptions {
    @Option(
            names = {"-w", "--workspace"},
            paramLabel = "DIR",
            description = "Workspace folder (default: $SLUICE_WORKSPACE or ./.sluice).")
    Path workspace;

    Path dir() {
        if (workspace != null) return workspace;
        String env = System.getenv("SLUICE_WORKSPACE");
        return Path.of(env != null && !env.isBlank() ? env : ".sluice");
    }

    /** kamu's single-tenant account: in a workspace {@code kamu/name} means the dataset {@code name}. */
    static final String DEFAULT_ACCOUNT = "kamu";

    /** Datasets live under {@code <workspace>/datasets/<did>/…}, as in a kamu workspace. */
    DatasetRepository repository() {
        return new DatasetRepository(new FileSystemObjectStore(dir().resolve("datasets")), java.time.Clock.systemUTC(), DEFAULT_ACCOUNT);
    }
}
