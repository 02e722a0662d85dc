package dev.sluice.fn.common;

import dev.sluice.flows.FlowSystem;
import dev.sluice.flows.FlowTaskExecutor;
import dev.sluice.flows.SchedulerConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.util.List;

/**
 * The flow system of this process, built over the node's state store. Executors are the application's
 * {@link FlowTaskExecutor} beans (one per flow type); tasks run locally on a bounded pool until a cloud dispatcher
 * is configured.
 */
@ApplicationScoped
public class FlowNode {
    private final FlowSystem flows;

    public FlowNode(Node node, FlowsConfig config, Instance<FlowTaskExecutor> executors) {
        if (node.state() == null) {
            flows = null;
            return;
        }
        List<FlowTaskExecutor> list = executors.stream().toList();
        flows = FlowSystem.builder(node.state().tables()).clock(Clock.systemUTC()).executors(list)
                .config(new SchedulerConfig(config.maxConcurrent(), config.maxClaimsPerTick(), config.lease(), config.dispatchLease(),
                        config.tickLease(), config.maxRequeues(), config.tickThreads()))
                .build();
    }

    /** The flow system; 503 when the node runs without a state store. */
    public FlowSystem flows() {
        if (flows == null) throw new ApiException(503, "state-unavailable", "flows need the state store (sluice.state is 'none')");
        return flows;
    }

    @PreDestroy
    void close() {
        if (flows != null) flows.close();
    }
}
