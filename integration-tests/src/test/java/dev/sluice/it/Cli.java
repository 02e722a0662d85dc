package dev.sluice.it;

import dev.sluice.cli.CliRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the CLI in-process against a workspace and captures what it prints. */
final class Cli {
    private Cli() {}

    static CliRun.Result run(Path workspace, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (workspace != null) {
            all.add("--workspace");
            all.add(workspace.toString());
        }
        return runRaw(all.toArray(String[]::new));
    }

    static CliRun.Result runRaw(String... args) {
        return CliRun.run(args);
    }
}
