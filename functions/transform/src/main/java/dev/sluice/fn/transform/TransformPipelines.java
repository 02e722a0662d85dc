package dev.sluice.fn.transform;

import dev.sluice.compaction.Compactor;
import dev.sluice.engine.EngineProvisioner;
import dev.sluice.engine.InProcessEngineProvisioner;
import dev.sluice.engine.provisioning.EngineProvisioners;
import dev.sluice.engine.provisioning.ProvisionerConfig;
import dev.sluice.fn.common.Node;
import dev.sluice.pipelines.CompactionExecutor;
import dev.sluice.pipelines.ResetExecutor;
import dev.sluice.pipelines.TransformExecutor;
import dev.sluice.transform.TransformService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Properties;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * What this function runs transforms with: the engine provisioner chosen by {@code sluice.engine.*} (engine-provisioning's
 * {@link ProvisionerConfig}: in-process by default, or a JVM process per engine version, a Kubernetes Job, a Knative
 * Service, an AWS Lambda), the {@link TransformService} over the node's repository, and the TRANSFORM, RESET and
 * COMPACTION flow executors.
 */
@ApplicationScoped
public class TransformPipelines {
    private static final Logger LOG = Logger.getLogger(TransformPipelines.class);

    /**
     * {@code sluice.engine.*} as application properties or system properties (the keys carry dialect names and versions,
     * e.g. {@code sluice.engine.dialect.duckdb.versions.1.classpath}, which environment variable names cannot spell).
     */
    static Properties engineProperties(Config config) {
        Properties p = new Properties();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(ProvisionerConfig.PREFIX)) config.getOptionalValue(name, String.class).ifPresent(v -> p.setProperty(name, v));
        }
        return p;
    }

    @Produces
    @Singleton
    EngineProvisioner engines(Config config) {
        ProvisionerConfig pc = ProvisionerConfig.fromProperties(engineProperties(config));
        LOG.debugf("engine backend: %s", pc.backend().key());
        // In-process: shared/engine's provisioner, which also closes the engines (DuckDB's native memory) on shutdown;
        // engines are found on the application's class loader.
        if (pc.backend() == ProvisionerConfig.Backend.IN_PROCESS) return InProcessEngineProvisioner.load(Thread.currentThread().getContextClassLoader());
        return EngineProvisioners.create(pc);
    }

    void close(@Disposes EngineProvisioner engines) {
        engines.close();
    }

    @Produces
    @Singleton
    TransformService transforms(Node node, EngineProvisioner engines) {
        return new TransformService(node.repository(), engines, node.scratchDir().resolve("transform"), Clock.systemUTC());
    }

    @Produces
    @Singleton
    TransformExecutor transformExecutor(Node node, TransformService transforms) {
        return new TransformExecutor(node.repository(), transforms);
    }

    @Produces
    @Singleton
    ResetExecutor resetExecutor(Node node, TransformService transforms) {
        return new ResetExecutor(node.repository(), transforms);
    }

    @Produces
    @Singleton
    CompactionExecutor compactionExecutor(Node node) {
        return new CompactionExecutor(node.repository(), new Compactor(node.scratchDir().resolve("compaction")));
    }
}
