package dev.sluice.it;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared reference fixtures that lie beside the checkout ({@code ../shared/fixtures}). */
final class Fixtures {
    private Fixtures() {}

    static Path sharedDir() {
        String prop = System.getProperty("sluice.sharedDir");
        if (prop != null && Files.isDirectory(Path.of(prop, "fixtures"))) return Path.of(prop).normalize();
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolveSibling("shared");
            if (Files.isDirectory(candidate.resolve("fixtures"))) return candidate;
        }
        throw new IllegalStateException("cannot find ../shared/fixtures beside the checkout");
    }

    static Path fixtures() {
        return sharedDir().resolve("fixtures");
    }

    static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isExecutable(p.resolve("sluice")) && Files.isDirectory(p.resolve("cli"))) return p;
        }
        throw new IllegalStateException("cannot find the repository root");
    }
}
