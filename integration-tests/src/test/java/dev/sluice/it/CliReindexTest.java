package dev.sluice.it;

import dev.sluice.cli.CliRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./sluice reindex over a workspace, with the embedded DynamoDB-compatible store persisted in it. */
class CliReindexTest {
    @TempDir Path ws;

    @Test
    void reindexAllThenOne() throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("apply"));
        try (var s = java.nio.file.Files.list(Fixtures.fixtures().resolve("manifests"))) {
            s.sorted().forEach(p -> args.add(p.toString()));
        }
        assertEquals(0, Cli.run(ws, args.toArray(String[]::new)).exit());
        CliRun.Result all = Cli.run(ws, "reindex");
        assertEquals(0, all.exit(), all::toString);
        assertTrue(all.out().contains("reindexed 5 dataset(s), 17 blocks"), all.out());
        assertTrue(all.out().contains("left alone") && all.out().contains("flows"), all.out());
        CliRun.Result one = Cli.run(ws, "reindex", "leaderboard");
        assertEquals(0, one.exit(), one::toString);
        assertTrue(one.out().contains("reindexed 1 dataset(s), 3 blocks") && one.out().contains("removed 3 stale items"), one.out());
    }
}
