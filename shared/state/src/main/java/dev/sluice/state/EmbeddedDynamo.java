package dev.sluice.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A DynamoDB-compatible server started by Sluice itself: <a href="https://github.com/architect/dynalite">dynalite</a>
 * (Apache-2.0, LevelDB-backed) run with Node.js as a child process, persisting into {@code dataDir} so a restart on
 * the same folder keeps every item. The process is destroyed on {@link #close()} and on JVM shutdown.
 *
 * <p>The npm package lives in {@code shared/state/dynalite} (pinned by its package-lock); the Maven build runs
 * {@code npm ci} there when {@code node_modules} is missing. Its location is taken from, in order: the explicit
 * argument, the system property {@code sluice.dynalite.dir}, the environment variable {@code SLUICE_DYNALITE_DIR},
 * and {@code shared/state/dynalite} in the working directory or one of its parents.
 */
public final class EmbeddedDynamo implements AutoCloseable {
    static final String HELP = "embedded DynamoDB needs Node.js ≥ 20 and `npm ci` in shared/state/dynalite";
    static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final Path dataDir;
    private final Thread shutdownHook;
    private volatile Duration shutdownGrace = Duration.ZERO;

    private EmbeddedDynamo(Process process, int port, Path dataDir) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
        this.shutdownHook = new Thread(this::stopAtShutdown, "embedded-dynamo-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts dynalite on a free loopback port, persisting into {@code dataDir}. */
    public static EmbeddedDynamo start(Path dataDir) {
        return start(dataDir, locatePackage(null), DEFAULT_START_TIMEOUT);
    }

    public static EmbeddedDynamo start(Path dataDir, Path packageDir, Duration startTimeout) {
        Path cli = packageDir.resolve("node_modules/dynalite/cli.js");
        if (!Files.isRegularFile(cli)) {
            throw new StateUnavailableException(HELP + " (no " + cli + ")");
        }
        String node = nodeExecutable();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(node, cli.toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--path", dataDir.toAbsolutePath().toString(),
                "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"));
        Process p;
        try {
            p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(dataDir.resolve("dynalite.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new StateUnavailableException(HELP + " (cannot run '" + node + "': " + e.getMessage() + ")", e);
        }
        EmbeddedDynamo db = new EmbeddedDynamo(p, port, dataDir);
        try {
            db.awaitReady(startTimeout);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /** Readiness: poll a TCP connect to the port until it answers, the process dies, or the deadline passes. */
    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new StateUnavailableException(HELP + " (dynalite exited with code " + process.exitValue()
                        + "; see " + dataDir.resolve("dynalite.log") + ")");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new StateUnavailableException(HELP + " (dynalite did not listen on port " + port + " within "
                        + timeout.toSeconds() + "s)");
            }
            try {
                process.waitFor(20, TimeUnit.MILLISECONDS); // back-off that also notices an early exit
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StateUnavailableException("interrupted while starting embedded DynamoDB", e);
            }
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * For an owner that closes this store in its own orderly shutdown (an application framework's shutdown hook, which
     * the JVM runs concurrently with this one): the JVM shutdown hook then waits up to {@code grace} for that close
     * before it kills the process, so the owner's last writes (finishing tasks, draining queues) still reach it.
     */
    public EmbeddedDynamo closedByOwnerAtShutdown(Duration grace) {
        this.shutdownGrace = grace;
        return this;
    }

    private void stopAtShutdown() {
        try {
            if (!shutdownGrace.isZero()) process.waitFor(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // JVM is already exiting; the hook runs anyway
        }
    }

    /** Finds the npm project that holds dynalite. */
    public static Path locatePackage(Path explicit) {
        if (explicit != null) return explicit;
        String prop = System.getProperty("sluice.dynalite.dir");
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        String env = System.getenv("SLUICE_DYNALITE_DIR");
        if (env != null && !env.isBlank()) return Path.of(env);
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/state/dynalite");
            if (Files.isDirectory(candidate)) return candidate;
            if (dir.getFileName() != null && dir.getFileName().toString().equals("state")
                    && Files.isDirectory(dir.resolve("dynalite"))) return dir.resolve("dynalite");
        }
        throw new StateUnavailableException(HELP + " (shared/state/dynalite not found; set sluice.dynalite.dir)");
    }

    /** Node.js: {@code $SLUICE_NODEJS} or {@code node} on the PATH ({@code $SLUICE_NODE} is the CLI's node URL). */
    private static String nodeExecutable() {
        String node = System.getenv().getOrDefault("SLUICE_NODEJS", "node");
        try {
            Process v = new ProcessBuilder(node, "--version").redirectErrorStream(true).start();
            String out = new String(v.getInputStream().readAllBytes()).strip();
            if (!v.waitFor(10, TimeUnit.SECONDS) || v.exitValue() != 0) throw new IOException("exit " + out);
            int major = Integer.parseInt(out.replaceFirst("^v", "").split("\\.")[0]);
            if (major < 20) throw new StateUnavailableException(HELP + " (found Node.js " + out + ")");
            return node;
        } catch (IOException | NumberFormatException e) {
            throw new StateUnavailableException(HELP + " (Node.js not found: " + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateUnavailableException(HELP, e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
