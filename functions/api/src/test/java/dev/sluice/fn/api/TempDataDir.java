package dev.sluice.fn.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A fresh data folder per test run. */
public class TempDataDir implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory(Path.of("target"), "data-");
            // A budget of one task at a time: FlowResourceTest holds one running to get another queued.
            return Map.of("sluice.data", dir.toAbsolutePath().toString(), "sluice.max-body-bytes", "100000", "sluice.flows.max-concurrent", "1");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {}
}
