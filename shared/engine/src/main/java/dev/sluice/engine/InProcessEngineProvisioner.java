package dev.sluice.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The default backend: engines that live in this JVM, found with {@link ServiceLoader} (each engine module registers
 * itself in {@code META-INF/services/dev.sluice.engine.Engine}). An engine named like the dialect wins; otherwise the
 * first engine that {@link Engine#accepts accepts} the dialect stands in for it (DuckDB for datafusion, say), and the
 * coordinator reports that it did.
 */
public final class InProcessEngineProvisioner implements EngineProvisioner {
    private final List<Engine> engines;

    public InProcessEngineProvisioner(List<Engine> engines) {
        this.engines = List.copyOf(engines);
    }

    /** Every engine on the class path of {@code loader}. */
    public static InProcessEngineProvisioner load(ClassLoader loader) {
        List<Engine> found = new ArrayList<>();
        for (Engine e : ServiceLoader.load(Engine.class, loader)) found.add(e);
        return new InProcessEngineProvisioner(found);
    }

    public static InProcessEngineProvisioner load() {
        return load(InProcessEngineProvisioner.class.getClassLoader());
    }

    public List<Engine> engines() {
        return engines;
    }

    @Override
    public Optional<Engine> engineFor(String dialect) {
        if (dialect == null) return Optional.empty();
        for (Engine e : engines) if (e.name().equalsIgnoreCase(dialect)) return Optional.of(e);
        for (Engine e : engines) if (e.accepts(dialect)) return Optional.of(e);
        return Optional.empty();
    }

    @Override
    public void close() {
        for (Engine e : engines) {
            if (e instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing on shutdown; nothing to recover
                }
            }
        }
    }
}
