package dev.sluice.fn.local;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A fresh data folder per test run (every @QuarkusTest of this module except those whose profile opts out). */
public class TempDataDir implements QuarkusTestResourceLifecycleManager {
    /** The node's data folder, for tests that compare served bytes with what is stored. */
    static volatile Path DATA;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory(Path.of("target"), "data-");
            DATA = dir.toAbsolutePath();
            // No timer: these suites compare heads and stored objects, which a background transform would move under
            // them. FlowsEndToEndTest runs the node with its timer (its own profile and data folder).
            return Map.of("sluice.data", dir.toAbsolutePath().toString(), "sluice.max-body-bytes", String.valueOf(LocalNodeTest.MAX_BODY),
                    "sluice.flows.tick-interval", "0S");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {}
}
