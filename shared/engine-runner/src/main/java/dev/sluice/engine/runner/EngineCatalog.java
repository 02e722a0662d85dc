package dev.sluice.engine.runner;

import dev.sluice.engine.Engine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The engines on the class path ({@code META-INF/services/dev.sluice.engine.Engine}). An engine named like the dialect
 * wins over one that merely {@link Engine#accepts accepts} it; ties go to the engine whose class name sorts first, so
 * the choice does not depend on class-path order.
 */
public final class EngineCatalog {
    private final List<Engine> engines;

    public EngineCatalog(List<Engine> engines) {
        List<Engine> sorted = new ArrayList<>(engines);
        sorted.sort(Comparator.comparing((Engine e) -> e.getClass().getName()));
        this.engines = List.copyOf(sorted);
    }

    /** Engines registered with {@link ServiceLoader} on the given class loader. */
    public static EngineCatalog load(ClassLoader classLoader) {
        List<Engine> found = new ArrayList<>();
        ServiceLoader.load(Engine.class, classLoader).forEach(found::add);
        return new EngineCatalog(found);
    }

    public static EngineCatalog load() {
        return load(Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader()
                : EngineCatalog.class.getClassLoader());
    }

    public List<Engine> engines() {
        return engines;
    }

    public Optional<Engine> find(String dialect) {
        if (dialect == null) return Optional.empty();
        for (Engine e : engines) {
            if (e.name().equalsIgnoreCase(dialect)) return Optional.of(e);
        }
        for (Engine e : engines) {
            if (e.accepts(dialect)) return Optional.of(e);
        }
        return Optional.empty();
    }

    /** e.g. {@code duckdb (duckdb 1.5.4 / sluice 0.1.0)}, for "not available" messages. */
    public String describe() {
        if (engines.isEmpty()) return "no engines";
        return String.join(", ", engines.stream().map(e -> e.name() + " (" + e.build() + ")").toList());
    }
}
