package dev.sluice.engine.provisioning;

import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineProvisioner;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One child JVM per engine version ({@code sluice.engine.dialect.D.versions.V.classpath}), several versions side by
 * side. A child is started the first time its version is asked for, then reused; a child that died is started again
 * on the next request. The build recorded is the one the child reports. {@link #close()} stops every child (and a
 * shutdown hook does, should this JVM exit without closing).
 */
public final class ProcessEngineProvisioner implements EngineProvisioner {
    private final ProvisionerConfig config;
    private final String javaCommand;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, EngineProcess> children = new HashMap<>();
    private final Thread shutdownHook = new Thread(this::stopAll, "engine-process-cleanup");
    private boolean closed;

    public ProcessEngineProvisioner(ProvisionerConfig config) {
        this.config = config;
        String configured = config.process().javaCommand();
        this.javaCommand = configured != null ? configured
                : Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The dialect's configured default version. */
    @Override
    public Optional<Engine> engineFor(String dialect) {
        ProvisionerConfig.DialectSettings settings = config.settingsFor(dialect);
        if (settings == null || settings.defaultVersion() == null) return Optional.empty();
        return engineFor(dialect, settings.defaultVersion());
    }

    /**
     * The engine of one configured version; starts its JVM if it is not running. Empty if the version is not
     * configured or its engines do not run {@code dialect}. Throws {@link EngineProvisioningException} if the child
     * fails to start.
     */
    public Optional<Engine> engineFor(String dialect, String version) {
        ProvisionerConfig.DialectSettings settings = config.settingsFor(dialect);
        if (settings == null || !settings.versions().containsKey(version)) return Optional.empty();
        Optional<EngineProcess> child = child(dialect, version);
        if (child.isEmpty()) return Optional.empty();
        EngineTransport transport = new HttpEngineTransport(http, () -> requireChild(dialect, version), config.process().requestTimeout());
        return Optional.of(new RemoteEngine("process", dialect, child.get().engine(), new LocalFileStaging(), transport));
    }

    /** Process ids of the running children (for operators and tests). */
    public synchronized List<Long> childPids() {
        List<Long> pids = new ArrayList<>();
        children.values().forEach(c -> pids.add(c.pid()));
        return pids;
    }

    private URI requireChild(String dialect, String version) {
        return child(dialect, version)
                .orElseThrow(() -> new EngineTransportException("engine version " + version + " no longer runs " + dialect))
                .uri();
    }

    private synchronized Optional<EngineProcess> child(String dialect, String version) {
        if (closed) throw new EngineProvisioningException("engine provisioner is closed");
        String key = dialect.toLowerCase(java.util.Locale.ROOT) + "@" + version;
        EngineProcess running = children.get(key);
        if (running != null && running.isAlive()) return Optional.of(running);
        if (running != null) {
            running.close();
            children.remove(key);
        }
        ProvisionerConfig.ProcessVersion v = config.settingsFor(dialect).versions().get(version);
        Optional<EngineProcess> started = EngineProcess.start(key, javaCommand, v, dialect, config.process().startTimeout(), http);
        started.ifPresent(p -> children.put(key, p));
        return started;
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is running or ran
        }
    }

    private synchronized void stopAll() {
        closed = true;
        children.values().forEach(EngineProcess::close);
        children.clear();
    }
}
