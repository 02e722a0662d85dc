package dev.sluice.it;

import dev.sluice.cli.CliRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** push and tail through the CLI, and the real ./sluice launcher as a separate process. */
class CliPushTest {
    @TempDir Path ws;
    @TempDir Path files;

    static Path fixture(String name) {
        return Fixtures.fixtures().resolve("manifests").resolve(name);
    }

    @Test
    void pushTwiceThenTail() throws Exception {
        assertEquals(0, Cli.run(ws, "apply", fixture("kamu-cli__leaderboard__player-scores.yaml").toString()).exit());
        Path first = files.resolve("match1.ndjson");
        Files.writeString(first, """
                {"match_time": "2000-01-01T00:00:00Z", "match_id": 1, "player_id": "Alice", "score": 100}
                {"match_time": "2000-01-01T00:00:00Z", "match_id": 1, "player_id": "Bob", "score": 80}
                """);
        Path both = files.resolve("both.ndjson");
        Files.writeString(both, Files.readString(first) + """
                {"match_time": "2000-01-02T00:00:00Z", "match_id": 2, "player_id": "Alice", "score": 70}
                {"match_time": "2000-01-02T00:00:00Z", "match_id": 2, "player_id": "Charlie", "score": 90}
                """);
        CliRun.Result p1 = Cli.run(ws, "push", "player-scores", first.toString());
        assertEquals(0, p1.exit(), p1::toString);
        assertTrue(p1.out().contains("added 2 [offsets 0..1]"), p1.out());
        CliRun.Result p2 = Cli.run(ws, "push", "player-scores", both.toString(), "--idempotency-key", "k2");
        assertEquals(0, p2.exit(), p2::toString);
        assertTrue(p2.out().contains("read 4 rows, added 2 [offsets 2..3]"), p2.out());
        CliRun.Result p3 = Cli.run(ws, "push", "player-scores", both.toString(), "--idempotency-key", "k2");
        assertTrue(p3.out().contains("already pushed"), p3.out());

        CliRun.Result tail = Cli.run(ws, "tail", "player-scores", "-n", "3");
        assertEquals(0, tail.exit(), tail::toString);
        List<String> lines = tail.out().lines().toList();
        assertEquals(5, lines.size(), tail.out());
        assertTrue(lines.get(0).startsWith("offset") && lines.get(0).contains("player_id"), tail.out());
        assertTrue(lines.get(2).startsWith("1 ") && lines.get(4).startsWith("3 ") && lines.get(4).contains("Charlie"), tail.out());
        assertEquals(0, Cli.run(ws, "verify", "player-scores").exit());

        CliRun.Result sql = Cli.run(ws, "sql", "SELECT player_id, sum(score) AS total FROM \"player-scores\" GROUP BY player_id ORDER BY total DESC", "-o", "csv");
        assertEquals(0, sql.exit(), sql::toString);
        assertEquals(List.of("player_id,total", "Alice,170", "Charlie,90", "Bob,80"), sql.out().lines().toList());
        CliRun.Result escape = Cli.run(ws, "sql", "SELECT * FROM read_csv('/etc/passwd')");
        assertEquals(1, escape.exit());
        assertTrue(escape.err().startsWith("error: ") && !escape.out().contains("root:"), escape.toString());

        CliRun.Result bad = Cli.run(ws, "push", "player-scores", files.resolve("missing.ndjson").toString());
        assertEquals(1, bad.exit());
        assertTrue(bad.err().startsWith("error: ") && bad.err().contains("missing.ndjson"), bad.err());
        Path broken = files.resolve("broken.ndjson");
        Files.writeString(broken, "{\"match_time\": \"2000-01-01T00:00:00Z\", \"match_id\": \"x\"}\n");
        CliRun.Result badData = Cli.run(ws, "push", "player-scores", broken.toString());
        assertEquals(1, badData.exit());
        assertTrue(badData.err().contains("match_id"), badData.err());
    }

    @Test
    void launcherScriptRunsTheCli() throws Exception {
        Path root = Fixtures.repoRoot();
        ProcessBuilder pb = new ProcessBuilder(root.resolve("sluice").toString(), "apply",
                fixture("kamu-cli__leaderboard__player-scores.yaml").toString(), fixture("kamu-cli__leaderboard__leaderboard.yaml").toString(),
                "--workspace", ws.toString());
        pb.environment().put("SLUICE_SKIP_BUILD", "1"); // the reactor has just built cli/target
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("created player-scores") && out.contains("created leaderboard"), out);
    }
}
