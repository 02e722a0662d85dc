package dev.sluice.it;

import dev.sluice.cli.CliRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./sluice compact}: merges small slices, keeps the data, is a no-op the second time, refuses bad input. */
class CliCompactTest {
    @TempDir Path ws;
    @TempDir Path files;

    static String manifest(String name) {
        return Fixtures.fixtures().resolve("manifests").resolve(name).toString();
    }

    @Test
    void compactsPushedSlicesWithoutChangingTheData() throws Exception {
        assertEquals(0, Cli.run(ws, "apply", manifest("kamu-cli__leaderboard__player-scores.yaml"),
                manifest("kamu-cli__leaderboard__leaderboard.yaml")).exit());
        for (int m = 1; m <= 6; m++) {
            Path f = files.resolve("m" + m + ".ndjson");
            Files.writeString(f, "{\"match_time\": \"2000-01-0" + m + "T00:00:00Z\", \"match_id\": " + m + ", \"player_id\": \"p" + m
                    + "\", \"score\": " + (m * 10) + "}\n");
            assertEquals(0, Cli.run(ws, "push", "player-scores", f.toString()).exit());
        }
        String sql = "SELECT \"offset\", match_id, player_id, score FROM \"player-scores\" ORDER BY \"offset\"";
        CliRun.Result before = Cli.run(ws, "sql", sql, "-o", "csv");
        assertEquals(0, before.exit(), before::toString);

        // Seed, AddPushSource, SetVocab, SetDataSchema + 6 AddData → the same 4 + 2 AddData of 4 and 2 records.
        CliRun.Result c = Cli.run(ws, "compact", "player-scores", "--max-slice-records", "4");
        assertEquals(0, c.exit(), c::toString);
        Matcher m = Pattern.compile("compacted player-scores: 10 → 6 blocks, 6 → 2 data slices, head (\\w+) → (\\w+)").matcher(c.out());
        assertTrue(m.find(), c.out());

        CliRun.Result after = Cli.run(ws, "sql", sql, "-o", "csv");
        assertEquals(before.out(), after.out(), "same rows, same offsets");
        assertEquals(7, after.out().lines().count());
        CliRun.Result verify = Cli.run(ws, "verify", "player-scores");
        assertEquals(0, verify.exit(), verify::toString);
        assertTrue(verify.out().contains("verified (6 blocks, 2 data slices, 0 checkpoints)"), verify.out());
        assertEquals(6, verify.out().lines().filter(l -> l.startsWith("garbage: ") && l.contains("/blocks/")).count(),
                "the 6 replaced AddData blocks stay until GC: " + verify.out());
        assertEquals(6, verify.out().lines().filter(l -> l.startsWith("garbage: ") && l.contains("/data/")).count(),
                "and the 6 merged-away slices: " + verify.out());

        CliRun.Result again = Cli.run(ws, "compact", "player-scores", "--max-slice-records", "4");
        assertEquals(0, again.exit(), again::toString);
        assertTrue(again.out().contains("player-scores is already compact: 6 blocks, 2 data slices (head " + m.group(2) + " unchanged)"),
                again.out());
    }

    @Test
    void badInputIsRefusedWithAClearErrorAndChangesNothing() {
        assertEquals(0, Cli.run(ws, "apply", manifest("kamu-cli__leaderboard__player-scores.yaml"),
                manifest("kamu-cli__leaderboard__leaderboard.yaml")).exit());
        CliRun.Result zero = Cli.run(ws, "compact", "player-scores", "--max-slice-records", "0");
        assertEquals(1, zero.exit());
        assertEquals("error: max slice records must be positive, got 0", zero.err().strip());
        CliRun.Result derivative = Cli.run(ws, "compact", "leaderboard");
        assertEquals(1, derivative.exit());
        assertTrue(derivative.err().startsWith("error: dataset leaderboard is a derivative: hard compaction applies to root datasets only"),
                derivative.err());
        CliRun.Result missing = Cli.run(ws, "compact", "nope");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().startsWith("error: ") && missing.err().contains("nope"), missing.err());
        CliRun.Result notANumber = Cli.run(ws, "compact", "player-scores", "--max-slice-size", "lots");
        assertEquals(2, notANumber.exit(), "usage error");
    }
}
