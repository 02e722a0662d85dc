package dev.sluice.fn.local;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared reference fixtures beside the checkout ({@code ../shared/fixtures}), as integration-tests finds them. */
final class Fixtures {
    private Fixtures() {}

    static Path manifests() {
        String prop = System.getProperty("sluice.sharedDir");
        if (prop != null && Files.isDirectory(Path.of(prop, "fixtures"))) return Path.of(prop, "fixtures", "manifests");
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolveSibling("shared").resolve("fixtures");
            if (Files.isDirectory(candidate)) return candidate.resolve("manifests");
        }
        throw new IllegalStateException("cannot find ../shared/fixtures beside the checkout");
    }

    /** Creates player-scores then leaderboard through POST /datasets (201, or 409 when an earlier test made them). */
    static void createLeaderboard(NodeEndToEndSuite t) throws Exception {
        for (String name : new String[] {"player-scores", "leaderboard"}) {
            String yaml = Files.readString(manifests().resolve("kamu-cli__leaderboard__" + name + ".yaml"));
            int status = t.send("POST", "datasets", "application/yaml", yaml).statusCode();
            if (status != 201 && status != 409) throw new AssertionError("creating " + name + ": HTTP " + status);
        }
    }
}
