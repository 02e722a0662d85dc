package dev.sluice.odf.codec;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared fixtures folder ({@code <sharedDir>/fixtures}). */
final class Fixtures {
    private Fixtures() {}

    /**
     * The shared folder: the {@code sluice.sharedDir} system property (set by the parent pom's surefire
     * config) when it holds {@code fixtures/}, else the first ancestor of the working directory that has a
     * {@code shared/fixtures} child.
     */
    static Path sharedDir() {
        String prop = System.getProperty("sluice.sharedDir");
        if (prop != null && Files.isDirectory(Path.of(prop, "fixtures"))) return Path.of(prop).toAbsolutePath().normalize();
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("shared").resolve("fixtures"))) return p.resolve("shared");
        }
        throw new IllegalStateException("shared fixtures folder not found (set -Dsluice.sharedDir)");
    }

    static Path fixtures() {
        return sharedDir().resolve("fixtures");
    }
}
