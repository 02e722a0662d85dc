package dev.sluice.fn.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.cli.CliRun;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every CLI command that has a node mode, run with {@code --node URL} against the local node: apply, list, push (file
 * and stdin), tail, log, sql. Where the node's data folder can also be read locally, the node's output must equal the
 * local mode's byte for byte.
 */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class CliAgainstNodeTest {
    @TestHTTPResource("/")
    URI base;

    @TempDir Path files;

    CliRun.Result node(String... args) {
        return node(new byte[0], args);
    }

    CliRun.Result node(byte[] stdin, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--node", base.toString()));
        return CliRun.run(stdin, all.toArray(String[]::new));
    }

    /** The same command on the node's data folder as a local workspace. */
    CliRun.Result local(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--workspace", TempDataDir.DATA.toString()));
        return CliRun.run(all.toArray(String[]::new));
    }

    static CliRun.Result ok(CliRun.Result r) {
        assertEquals(0, r.exit(), r::toString);
        return r;
    }

    /** The leaderboard fixtures as {@code <prefix>-scores} and {@code <prefix>-board} (other tests share the node). */
    private List<Path> manifests(String prefix) throws Exception {
        Path scores = files.resolve(prefix + "-scores.yaml");
        Files.writeString(scores, Files.readString(Fixtures.manifests().resolve("kamu-cli__leaderboard__player-scores.yaml"))
                .replace("name: player-scores", "name: " + prefix + "-scores"));
        Path board = files.resolve(prefix + "-board.yaml");
        Files.writeString(board, Files.readString(Fixtures.manifests().resolve("kamu-cli__leaderboard__leaderboard.yaml"))
                .replace("name: leaderboard", "name: " + prefix + "-board").replace("datasetRef: player-scores", "datasetRef: " + prefix + "-scores"));
        return List.of(board, scores); // the derivative first: apply orders them
    }

    @Test
    void everyCommandWorksAgainstTheNode() throws Exception {
        List<Path> manifests = manifests("cli");
        CliRun.Result dry = node("apply", "--dry-run", manifests.get(0).toString());
        assertEquals(1, dry.exit(), dry::toString);
        assertTrue(dry.out().contains("invalid cli-board: unresolved inputs cli-scores"), dry.out());

        CliRun.Result applied = ok(node("apply", manifests.get(0).toString(), manifests.get(1).toString()));
        assertTrue(applied.out().matches("(?s)created cli-scores did:odf:\\w+ head \\w{8}\ncreated cli-board did:odf:\\w+ head \\w{8}\n"), applied.out());
        assertEquals("exists  cli-scores (unchanged)\nexists  cli-board (unchanged)\n",
                ok(node("apply", manifests.get(0).toString(), manifests.get(1).toString())).out());
        assertTrue(ok(node("apply", "--dry-run", manifests.get(0).toString())).out().startsWith("exists  cli-board"));

        String list = ok(node("list")).out();
        assertTrue(list.startsWith("NAME "), list);
        assertTrue(list.lines().anyMatch(l -> l.matches("kamu/cli-scores +Root +3 +\\w{8} +did:odf:\\w+")), list);
        assertTrue(list.lines().anyMatch(l -> l.matches("kamu/cli-board +Derivative +3 +\\w{8} +did:odf:\\w+")), list);

        Path first = files.resolve("match1.ndjson");
        Files.writeString(first, """
                {"match_time": "2000-01-01T00:00:00Z", "match_id": 1, "player_id": "Alice", "score": 100}
                {"match_time": "2000-01-01T00:00:00Z", "match_id": 1, "player_id": "Bob", "score": 80}
                """);
        Path both = files.resolve("both.ndjson");
        Files.writeString(both, Files.readString(first) + """
                {"match_time": "2000-01-02T00:00:00Z", "match_id": 2, "player_id": "Alice", "score": 70}
                """);
        assertTrue(ok(node("push", "cli-scores", first.toString())).out().matches("read 2 rows, added 2 \\[offsets 0\\.\\.1], head \\w{8}\n"));
        assertTrue(ok(node("push", "kamu/cli-scores", both.toString(), "--idempotency-key", "k2")).out()
                .matches("read 3 rows, added 1 \\[offsets 2\\.\\.2], head \\w{8}\n"));
        assertTrue(ok(node("push", "cli-scores", both.toString(), "--idempotency-key", "k2")).out().startsWith("already pushed with key k2"));
        assertTrue(ok(node("push", "cli-scores", first.toString())).out().matches("read 2 rows, nothing new to add \\(head \\w{8} unchanged\\)\n"));
        byte[] piped = "{\"match_time\": \"2000-01-03T00:00:00Z\", \"match_id\": 3, \"player_id\": \"Charlie\", \"score\": 90}\n"
                .getBytes(StandardCharsets.UTF_8);
        assertTrue(ok(node(piped, "push", "cli-scores", "-", "--format", "ndjson")).out().matches("read 1 rows, added 1 \\[offsets 3\\.\\.3], head \\w{8}\n"));

        // Read commands print exactly what local mode prints for the same datasets.
        for (String[] cmd : List.of(
                new String[] {"tail", "cli-scores", "-n", "3"},
                new String[] {"tail", "cli-board"},
                new String[] {"log", "cli-scores", "--oneline"},
                new String[] {"log", "cli-board"},
                new String[] {"log", "cli-scores", "-n", "2"},
                new String[] {"sql", "SELECT player_id, sum(score) AS total FROM \"cli-scores\" GROUP BY player_id ORDER BY total DESC", "-o", "csv"},
                new String[] {"sql", "SELECT match_id, player_id, score FROM \"kamu/cli-scores\" ORDER BY \"offset\"", "-o", "json"},
                new String[] {"sql", "SELECT * FROM \"cli-scores\" ORDER BY \"offset\"", "-o", "ndjson", "--limit", "2"},
                new String[] {"sql", "SELECT player_id, count(*) AS n, max(score) AS best FROM \"cli-scores\" GROUP BY 1 ORDER BY 1", "-o", "table"})) {
            CliRun.Result remote = ok(node(cmd));
            assertEquals(ok(local(cmd)).out(), remote.out(), String.join(" ", cmd));
        }
        assertEquals(List.of("player_id,total", "Alice,170", "Charlie,90", "Bob,80"),
                ok(node("sql", "SELECT player_id, sum(score) AS total FROM \"cli-scores\" GROUP BY player_id ORDER BY total DESC", "-o", "csv")).out().lines().toList());
        List<String> tail = ok(node("tail", "cli-scores", "-n", "2")).out().lines().toList();
        assertEquals(4, tail.size(), tail.toString());
        assertTrue(tail.get(0).startsWith("offset") && tail.get(3).startsWith("3 ") && tail.get(3).contains("Charlie"), tail.toString());
        // Seed, AddPushSource, SetVocab, then SetDataSchema with the first push and three AddData.
        assertEquals(7, ok(node("log", "cli-scores", "--oneline")).out().lines().count());
    }

    /** Node errors are the node's message on one line, with a non-zero exit code; nothing is half-done. */
    @Test
    void nodeErrorsAreShownWithTheNodesMessage() throws Exception {
        CliRun.Result missing = node("tail", "no-such");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().startsWith("error: dataset not found: kamu/no-such (HTTP 404 from GET " + base), missing.err());
        assertEquals(1, node("log", "kamu/no-such").exit());

        ok(node("apply", manifests("err").get(1).toString()));
        Path broken = files.resolve("broken.ndjson");
        Files.writeString(broken, "{\"match_time\": \"2000-01-01T00:00:00Z\", \"match_id\": \"x\"}\n");
        CliRun.Result bad = node("push", "err-scores", broken.toString());
        assertEquals(1, bad.exit());
        assertTrue(bad.err().startsWith("error: ") && bad.err().contains("match_id") && bad.err().contains("HTTP 400"), bad.err());
        CliRun.Result empty = node(new byte[0], "push", "err-scores", "-");
        assertEquals(1, empty.exit());
        assertTrue(empty.err().contains("the request body is empty"), empty.err());

        CliRun.Result escape = node("sql", "SELECT * FROM read_csv('/etc/passwd')");
        assertEquals(1, escape.exit());
        assertTrue(escape.err().startsWith("error: ") && escape.err().contains("HTTP 4") && !escape.out().contains("root:"), escape.toString());

        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        CliRun.Result down = CliRun.run("list", "--node", "http://127.0.0.1:" + closed + "/");
        assertEquals(1, down.exit());
        assertTrue(down.err().startsWith("error: cannot reach the node at http://127.0.0.1:" + closed), down.err());
        CliRun.Result both = CliRun.run("list", "--node", base.toString(), "--workspace", files.toString());
        assertEquals(1, both.exit());
        assertTrue(both.err().contains("not both"), both.err());
        assertEquals(1, CliRun.run("list", "--node", "ftp://x/").exit());
    }
}
