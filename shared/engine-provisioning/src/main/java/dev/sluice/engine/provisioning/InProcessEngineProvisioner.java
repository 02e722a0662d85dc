package dev.sluice.engine.provisioning;

import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineProvisioner;
import dev.sluice.engine.runner.EngineCatalog;
import java.util.Optional;

/** Engines of this JVM, found with ServiceLoader (the default backend: nothing to start, nothing to stage). */
public final class InProcessEngineProvisioner implements EngineProvisioner {
    private final EngineCatalog catalog;

    public InProcessEngineProvisioner(EngineCatalog catalog) {
        this.catalog = catalog;
    }

    public InProcessEngineProvisioner() {
        this(EngineCatalog.load());
    }

    @Override
    public Optional<Engine> engineFor(String dialect) {
        return catalog.find(dialect);
    }
}
