package dev.sluice.fn.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./sluice up} as a user runs it (the packaged fast-jar, through the launcher): it serves, Ctrl-C (SIGINT)
 * stops it and its embedded state store, and a second start on the same data folder sees everything.
 */
class LauncherProcessIT {
    @TempDir Path data;

    @TempDir Path javaTmp;

    @Test
    void upServesStopsCleanlyAndRestartsOnTheSameFolder() throws Exception {
        String head;
        try (Node node = Node.start(data, null)) {
            String yaml = Files.readString(Fixtures.manifests().resolve("kamu-cli__leaderboard__player-scores.yaml"));
            assertEquals(201, node.send("POST", "datasets", "application/yaml", yaml).statusCode());
            HttpResponse<String> pushed = node.send("POST", "kamu/player-scores/ingest", "application/x-ndjson", LocalNodeTest.SCORES);
            assertEquals(200, pushed.statusCode(), pushed.body());
            head = LocalNodeTest.JSON.readTree(pushed.body()).get("newHead").asText();
        }
        // The second node runs DuckDB (the CLI's SQL) with its own java.io.tmpdir, to see what DuckDB leaves there.
        try (Node node = Node.start(data, javaTmp)) {
            JsonNode list = LocalNodeTest.JSON.readTree(node.send("GET", "datasets", null, null).body());
            assertEquals("kamu/player-scores", list.get("datasets").get(0).get("alias").asText());
            assertEquals(head, list.get("datasets").get(0).get("head").asText());
            JsonNode tail = LocalNodeTest.JSON.readTree(node.send("GET", "kamu/player-scores/tail", null, null).body());
            assertEquals(3, tail.get("data").size());

            // The CLI finds the node through $SLUICE_NODE.
            assertTrue(cli(node, "list").lines().anyMatch(l -> l.startsWith("kamu/player-scores ")));
            assertEquals("n\n3\n", cli(node, "sql", "select count(*) as n from \"kamu/player-scores\"", "-o", "csv"));
            // DuckDB loaded its native library from next to the driver jar, not from a copy in the temp folder
            // (functions/pom.xml, duckdb-native-libs).
            try (var files = Files.list(javaTmp)) {
                List<String> copies = files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("libduckdb_java")).toList();
                assertEquals(List.of(), copies);
            }
        }
    }

    @Test
    void theDuckDbDriverJarShipsWithoutItsNativeLibrariesWhichLieNextToIt() throws Exception {
        Path lib = Node.repoRoot().resolve("functions/local-node/target/quarkus-app/lib/main");
        Path jar;
        try (var files = Files.list(lib)) {
            jar = files.filter(f -> f.getFileName().toString().startsWith("org.duckdb.duckdb_jdbc-")).findFirst().orElseThrow();
        }
        try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
            assertTrue(zip.getEntry("org/duckdb/DuckDBNative.class") != null, "the driver's classes are there");
            assertEquals(List.of(), zip.stream().map(e -> e.getName()).filter(n -> n.startsWith("libduckdb_java")).toList());
        }
        for (String arch : List.of("amd64", "arm64")) {
            Path so = lib.resolve("libduckdb_java.so_linux_" + arch);
            assertTrue(Files.size(so) > 1_000_000, so + " is a library");
        }
    }

    /** {@code ./sluice ARGS} as a process with {@code SLUICE_NODE} set to the node; its standard output. */
    private static String cli(Node node, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Node.repoRoot().resolve("sluice").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("SLUICE_SKIP_BUILD", "1"); // the reactor has just packaged the CLI
        pb.environment().put("SLUICE_NODE", node.base.toString());
        pb.environment().remove("SLUICE_WORKSPACE");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the CLI finished");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** One {@code ./sluice up} process; closing it sends SIGINT, as Ctrl-C does, and checks nothing is left running. */
    static final class Node implements AutoCloseable {
        static final HttpClient HTTP = HttpClient.newHttpClient();
        final Process process;
        final URI base;
        final List<ProcessHandle> children;

        private Node(Process process, URI base) {
            this.process = process;
            this.base = base;
            this.children = process.descendants().toList();
        }

        /** {@code javaTmp}: the node's java.io.tmpdir (through SLUICE_JAVA_OPTS), or null for the default. */
        static Node start(Path data, Path javaTmp) throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            ProcessBuilder pb = new ProcessBuilder(repoRoot().resolve("sluice").toString(), "up", "--port", Integer.toString(port),
                    "--data", data.toString());
            pb.environment().put("SLUICE_SKIP_BUILD", "1"); // the reactor has just packaged the node
            if (javaTmp != null) pb.environment().put("SLUICE_JAVA_OPTS", "-Djava.io.tmpdir=" + javaTmp);
            pb.redirectErrorStream(true);
            Process p = pb.start();
            // A node that never gets ready must fail the test, not hang it: stop it after a generous start budget.
            var watchdog = java.util.concurrent.CompletableFuture.runAsync(p::destroyForcibly,
                    java.util.concurrent.CompletableFuture.delayedExecutor(180, TimeUnit.SECONDS));
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            // Ready when the node prints its address (it does so after the state store and HTTP server are up).
            for (String line; (line = out.readLine()) != null; ) {
                seen.append(line).append('\n');
                if (line.startsWith("sluice node on http://")) {
                    watchdog.cancel(false);
                    Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "node-output");
                    drain.setDaemon(true);
                    drain.start();
                    return new Node(p, URI.create("http://127.0.0.1:" + port + "/"));
                }
            }
            p.waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("./sluice up exited before serving:\n" + seen);
        }

        static Path repoRoot() {
            for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
                if (Files.isExecutable(p.resolve("sluice")) && Files.isDirectory(p.resolve("functions"))) return p;
            }
            throw new IllegalStateException("cannot find the repository root");
        }

        HttpResponse<String> send(String method, String path, String contentType, String body) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
            if (contentType != null) b.header("Content-Type", contentType);
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        @Override
        public void close() throws Exception {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "node stopped after SIGINT");
            for (ProcessHandle child : children) {
                child.onExit().get(30, TimeUnit.SECONDS);
                assertFalse(child.isAlive(), "child process " + child.pid() + " stopped with the node");
            }
        }
    }
}
