package dev.sluice.ingest.poll;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Options of one poll (fluent, like {@link dev.sluice.data.read.ReadOptions}).
 *
 * <ul>
 *   <li><b>Variables</b> for {@code ${{ env.NAME }}} templates in a Url step's url and header values. Values set with
 *       {@link #secret} are replaced by {@code ***} in every message and exception this poll produces.
 *   <li><b>Local files</b>: relative FilesGlob paths resolve against {@link #baseDir} (default: the working
 *       directory). {@link #fileRoots} limits {@code file:} URLs and globs to some folders; null (the default)
 *       allows any readable file, an empty list none — a node that runs other people's manifests sets it.
 *   <li><b>Pipe</b> prepare steps run a command of the manifest; {@link #allowPipe} turns them off.
 *   <li><b>Timeouts</b>: connecting, waiting for the response headers, the whole download, a Pipe command.
 *   <li>{@link #fetchUncacheable}: as kamu, a source that gave no ETag or Last-Modified is not fetched again once
 *       the dataset has data (it would re-ingest the same content every time) unless this is set.
 * </ul>
 */
public final class PollOptions {
    private final Map<String, String> variables = new LinkedHashMap<>();
    private final Set<String> secretNames = new TreeSet<>();
    Path baseDir;
    List<Path> fileRoots;
    boolean allowPipe = true;
    Duration connectTimeout = Duration.ofSeconds(30);
    Duration responseTimeout = Duration.ofMinutes(2);
    Duration fetchTimeout = Duration.ofMinutes(30);
    Duration pipeTimeout = Duration.ofMinutes(30);
    boolean fetchUncacheable;

    public static PollOptions defaults() {
        return new PollOptions();
    }

    /** A template variable whose value may appear in messages. */
    public PollOptions variable(String name, String value) {
        variables.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
        secretNames.remove(name);
        return this;
    }

    /** A template variable whose value never appears in a message, log line or exception. */
    public PollOptions secret(String name, String value) {
        variables.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
        secretNames.add(name);
        return this;
    }

    public PollOptions variables(Map<String, String> plain) {
        plain.forEach(this::variable);
        return this;
    }

    public PollOptions secrets(Map<String, String> secret) {
        secret.forEach(this::secret);
        return this;
    }

    public PollOptions baseDir(Path dir) {
        this.baseDir = dir;
        return this;
    }

    /** Folders local files may be read from; null = any. */
    public PollOptions fileRoots(List<Path> roots) {
        this.fileRoots = roots == null ? null : List.copyOf(roots);
        return this;
    }

    public PollOptions allowPipe(boolean allow) {
        this.allowPipe = allow;
        return this;
    }

    public PollOptions connectTimeout(Duration d) {
        this.connectTimeout = positive(d);
        return this;
    }

    /** Longest wait for the response status and headers after the request is sent. */
    public PollOptions responseTimeout(Duration d) {
        this.responseTimeout = positive(d);
        return this;
    }

    /** Longest time a whole download (headers and body) may take. */
    public PollOptions fetchTimeout(Duration d) {
        this.fetchTimeout = positive(d);
        return this;
    }

    public PollOptions pipeTimeout(Duration d) {
        this.pipeTimeout = positive(d);
        return this;
    }

    public PollOptions fetchUncacheable(boolean fetch) {
        this.fetchUncacheable = fetch;
        return this;
    }

    String value(String name) {
        return variables.get(name);
    }

    /** The values to hide from messages. */
    List<String> secretValues() {
        return secretNames.stream().map(variables::get).toList();
    }

    Path resolvedBaseDir() {
        return (baseDir == null ? Path.of("") : baseDir).toAbsolutePath().normalize();
    }

    private static Duration positive(Duration d) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException("timeout must be positive");
        return d;
    }

    /** Names only: values (secret or not) are not printed. */
    @Override
    public String toString() {
        return "PollOptions{variables=" + variables.keySet() + ", secrets=" + secretNames + ", fileRoots=" + fileRoots
                + ", allowPipe=" + allowPipe + "}";
    }
}
