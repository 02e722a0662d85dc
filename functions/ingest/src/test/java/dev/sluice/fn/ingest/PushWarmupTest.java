package dev.sluice.fn.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The warm-up's push succeeds (a failure would only be swallowed at start-up) and leaves no folder behind. */
class PushWarmupTest {
    @Test
    void pushesIntoAThrowawayDatasetAndRemovesIt() throws Exception {
        List<Path> before = warmupDirs();
        new PushWarmup().run();
        assertEquals(before, warmupDirs());
    }

    private static List<Path> warmupDirs() throws Exception {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("sluice-warmup-")).sorted().toList();
        }
    }
}
