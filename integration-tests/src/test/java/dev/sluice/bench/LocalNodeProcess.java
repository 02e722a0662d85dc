package dev.sluice.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The local node as {@code ./sluice up} runs it — the packaged fast-jar of functions/local-node in its own JVM (same
 * JVM options), data folder and state store as given — for benchmarks that drive it over HTTP. bench.sh builds the
 * jar. Closing it stops the node (SIGTERM, a graceful Quarkus stop that also stops an embedded store) and awaits its
 * children.
 */
final class LocalNodeProcess implements AutoCloseable {
    static final Duration START_BUDGET = Duration.ofSeconds(180);

    final Process process;
    final URI base;
    final HttpClient http;
    private final Path log;

    private LocalNodeProcess(Process process, URI base, Path log) {
        this.process = process;
        this.base = base;
        this.log = log;
        // HTTP/1.1: the node serves no cleartext HTTP/2 upgrade (see functions/common's configuration).
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Starts a node on a free loopback port over {@code data}; {@code state} is {@code sluice.state} (embedded, none, URI). */
    static LocalNodeProcess start(Path data, String state) throws Exception {
        Path root = repoRoot();
        Path jar = root.resolve("functions/local-node/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) throw new IllegalStateException("not built: " + jar + " (integration-tests/bench.sh builds it)");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.createDirectories(data);
        Path log = data.resolveSibling(data.getFileName() + "-node.log");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-modules=jdk.incubator.vector", "-Dsluice.data=" + data, "-Dquarkus.http.port=" + port,
                "-Dsluice.state=" + state, "-Dsluice.dynalite.dir=" + root.resolve("shared/state/dynalite"), "-jar", jar.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LocalNodeProcess node = new LocalNodeProcess(p, URI.create("http://127.0.0.1:" + port + "/"), log);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }, "local-node-cleanup"));
        try {
            node.awaitReady();
        } catch (Exception e) {
            node.close();
            throw e;
        }
        return node;
    }

    /** Ready when the catalogue answers (the port opens only after start-up, the state store included). */
    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + START_BUDGET.toNanos();
        while (true) {
            if (!process.isAlive()) throw new IllegalStateException("the node exited; log:\n" + Files.readString(log));
            try {
                HttpResponse<String> r = send("GET", "datasets", null, HttpRequest.BodyPublishers.noBody());
                if (r.statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException("the node did not answer in time; log:\n" + Files.readString(log));
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
    }

    HttpResponse<String> send(String method, String path, String contentType, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(10));
        if (contentType != null) b.header("Content-Type", contentType);
        return http.send(b.method(method, body).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request that must answer 2xx; its body. */
    String ok(String method, String path, String contentType, HttpRequest.BodyPublisher body) throws IOException, InterruptedException {
        HttpResponse<String> r = send(method, path, contentType, body);
        if (r.statusCode() / 100 != 2) throw new IllegalStateException(method + " /" + path + " answered " + r.statusCode() + ": " + r.body());
        return r.body();
    }

    static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isExecutable(p.resolve("sluice")) && Files.isDirectory(p.resolve("functions"))) return p;
        }
        throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
    }

    /** Removes a benchmark's temp folder (slices of every iteration: gigabytes). */
    static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Override
    public void close() throws Exception {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        for (ProcessHandle c : children) {
            try {
                c.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                c.destroyForcibly();
            }
        }
    }
}
