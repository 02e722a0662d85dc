package dev.sluice.odf.yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/** Locates the shared test material (the folder holding {@code fixtures/}, e.g. /work/shared). */
public final class Fixtures {
    private Fixtures() {}

    /**
     * System property {@code sluice.sharedDir} if that folder exists; otherwise the nearest folder named
     * {@code shared} with a {@code fixtures} subfolder found walking up from the working directory (it is a
     * sibling of the repository checkout).
     */
    public static Path sharedDir() {
        String prop = System.getProperty("sluice.sharedDir");
        if (prop != null && Files.isDirectory(Paths.get(prop))) return Paths.get(prop).toAbsolutePath();
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared");
            if (Files.isDirectory(candidate.resolve("fixtures"))) return candidate;
        }
        throw new IllegalStateException("shared fixtures not found: set -Dsluice.sharedDir=/path/to/shared");
    }

    public static Path path(String relative) {
        return sharedDir().resolve("fixtures").resolve(relative);
    }

    public static String read(String relative) {
        try {
            return Files.readString(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sorted file names (relative to fixtures/) with the given extension in a fixtures subfolder. */
    public static List<String> list(String folder, String ext) {
        try (Stream<Path> s = Files.list(path(folder))) {
            return s.map(p -> folder + "/" + p.getFileName()).filter(n -> n.endsWith(ext)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
