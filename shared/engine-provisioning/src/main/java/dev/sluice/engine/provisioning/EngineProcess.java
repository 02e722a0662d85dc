package dev.sluice.engine.provisioning;

import dev.sluice.engine.runner.EngineRunnerMain;
import dev.sluice.engine.runner.WireResponse;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One engine runner in a child JVM, serving HTTP on an ephemeral loopback port. Started by {@link #start}, which
 * returns once {@code GET /health} answers (or fails, killing the child, when the child exits or the deadline
 * passes). The child also exits by itself when this JVM does ({@code --parent-pid}).
 */
final class EngineProcess implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EngineProcess.class.getName());
    private static final Duration POLL = Duration.ofMillis(50);

    private final String label;
    private final Process process;
    private final Path dir;
    private final URI uri;
    private final WireResponse.EngineInfo engine;

    private EngineProcess(String label, Process process, Path dir, URI uri, WireResponse.EngineInfo engine) {
        this.label = label;
        this.process = process;
        this.dir = dir;
        this.uri = uri;
        this.engine = engine;
    }

    /**
     * Starts a child JVM for {@code dialect} and waits until it is healthy.
     *
     * @return empty (and no child left running) if the child has no engine for {@code dialect}
     */
    static Optional<EngineProcess> start(String label, String javaCommand, ProvisionerConfig.ProcessVersion version, String dialect,
                                         Duration startTimeout, HttpClient http) {
        Path dir;
        try {
            dir = Files.createTempDirectory("sluice-engine-");
        } catch (IOException e) {
            throw new EngineProvisioningException("cannot create a directory for engine " + label + ": " + e, e);
        }
        Path portFile = dir.resolve("port");
        Path log = dir.resolve("engine.log");
        List<String> command = new ArrayList<>();
        command.add(javaCommand);
        command.addAll(version.jvmArgs());
        command.add("-cp");
        command.add(String.join(File.pathSeparator, version.classpath()));
        command.add(EngineRunnerMain.class.getName());
        command.addAll(List.of("http", "--host", "127.0.0.1", "--port", "0", "--port-file", portFile.toString(),
                "--parent-pid", Long.toString(ProcessHandle.current().pid())));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            deleteDir(dir);
            throw new EngineProvisioningException("cannot start engine " + label + " (" + javaCommand + "): " + e, e);
        }
        boolean ready = false;
        try {
            long deadline = System.nanoTime() + startTimeout.toNanos();
            String lastProblem = "no port yet";
            while (true) {
                if (!process.isAlive()) {
                    throw new EngineProvisioningException("engine " + label + " exited with status " + process.exitValue()
                            + " before it was ready; its output:\n" + tail(log));
                }
                if (Files.exists(portFile)) {
                    URI uri = URI.create("http://127.0.0.1:" + Files.readString(portFile).trim());
                    try {
                        Optional<WireResponse.EngineInfo> engine = HttpEngineTransport.probe(http, uri, dialect, Duration.ofSeconds(5));
                        if (engine.isEmpty()) return Optional.empty();
                        ready = true;
                        LOG.log(System.Logger.Level.INFO, "engine " + label + " ready at " + uri + ": " + engine.get());
                        return Optional.of(new EngineProcess(label, process, dir, uri, engine.get()));
                    } catch (IOException e) {
                        lastProblem = e.toString();
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new EngineProvisioningException("engine " + label + " not healthy within " + startTimeout
                            + " (" + lastProblem + "); its output:\n" + tail(log));
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (IOException e) {
            throw new EngineProvisioningException("engine " + label + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineProvisioningException("interrupted while starting engine " + label, e);
        } finally {
            if (!ready) {
                stop(process);
                deleteDir(dir);
            }
        }
    }

    URI uri() {
        return uri;
    }

    WireResponse.EngineInfo engine() {
        return engine;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        stop(process);
        deleteDir(dir);
        LOG.log(System.Logger.Level.DEBUG, "engine " + label + " stopped");
    }

    /** SIGTERM, then SIGKILL if it is still running after a grace period; waits for the exit. */
    static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
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
    }

    private static String tail(Path log) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(0, f.length() - 4000);
            byte[] bytes = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private static void deleteDir(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.deleteIfExists(f);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete " + dir + ": " + e);
        }
    }
}
