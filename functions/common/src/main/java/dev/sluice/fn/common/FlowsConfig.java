package dev.sluice.fn.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The flow system's knobs ({@code sluice.flows.*} properties, or {@code SLUICE_FLOWS_*} environment variables). */
@ConfigMapping(prefix = "sluice.flows")
public interface FlowsConfig {
    /** Concurrency budget: tasks dispatched or running at any time. */
    @WithDefault("4")
    int maxConcurrent();

    /** Due flows claimed per tick at most. */
    @WithDefault("1000")
    int maxClaimsPerTick();

    /** Lease of a running task; an expired lease is re-queued. */
    @WithDefault("15M")
    Duration lease();

    /** How long a dispatched task may wait for a worker before it is re-queued. */
    @WithDefault("5M")
    Duration dispatchLease();

    /** How long a tick event stays claimed by the delivery processing it. */
    @WithDefault("5M")
    Duration tickLease();

    /** A running task whose lease expires this many times fails. */
    @WithDefault("3")
    int maxRequeues();

    /** Conditional writes a tick issues in parallel. */
    @WithDefault("8")
    int tickThreads();
}
