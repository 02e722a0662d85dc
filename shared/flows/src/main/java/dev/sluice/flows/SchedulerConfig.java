package dev.sluice.flows;

import java.time.Duration;

/**
 * Knobs of the flow system.
 *
 * @param maxConcurrent the concurrency budget: tasks handed to workers (dispatched or running) at any time; a tick
 *     dispatches only up to it. Overlapping ticks may each fill the budget (a soft limit then): ticks normally
 *     do not overlap, and a hard limit would need a counter item every dispatch contends on.
 * @param maxClaimsPerTick due flows claimed by one tick at most (the rest wait for the next tick)
 * @param leaseDuration how long a running task's lease lasts unless renewed; an expired lease is re-queued
 * @param dispatchLease how long a dispatched task may wait for a worker to pick it up before it is re-queued
 * @param tickLease how long a tick event stays claimed by the delivery that processes it
 * @param maxRequeues a running task whose lease expires this many times fails ("worker lost")
 * @param tickThreads conditional writes a tick issues in parallel (claims, dispatch moves): they are independent,
 *     and against a remote DynamoDB a tick's time is mostly round trips
 * @param reactiveRecheck how long a reactive flow with nothing pending waits before a tick compares its inputs with
 *     what its last run consumed (the safety net for a commit whose reactive trigger was lost, e.g. a crash right
 *     after the head swap); zero: no recheck, such a flow waits for the trigger alone
 */
public record SchedulerConfig(int maxConcurrent, int maxClaimsPerTick, Duration leaseDuration, Duration dispatchLease,
        Duration tickLease, int maxRequeues, int tickThreads, Duration reactiveRecheck) {
    /** The default {@link #reactiveRecheck}: a lost trigger delays a transform by an hour at most. */
    public static final Duration DEFAULT_REACTIVE_RECHECK = Duration.ofHours(1);

    public SchedulerConfig {
        if (maxConcurrent < 1) throw new IllegalArgumentException("maxConcurrent must be at least 1");
        if (maxClaimsPerTick < 1) throw new IllegalArgumentException("maxClaimsPerTick must be at least 1");
        if (leaseDuration.isNegative() || leaseDuration.isZero()) throw new IllegalArgumentException("leaseDuration must be positive");
        if (dispatchLease.isNegative() || dispatchLease.isZero()) throw new IllegalArgumentException("dispatchLease must be positive");
        if (tickLease.isNegative() || tickLease.isZero()) throw new IllegalArgumentException("tickLease must be positive");
        if (maxRequeues < 0) throw new IllegalArgumentException("maxRequeues must be 0 or more");
        if (tickThreads < 1) throw new IllegalArgumentException("tickThreads must be at least 1");
        if (reactiveRecheck == null || reactiveRecheck.isNegative()) throw new IllegalArgumentException("reactiveRecheck must be 0 or more");
    }

    /** With the default {@link #reactiveRecheck}. */
    public SchedulerConfig(int maxConcurrent, int maxClaimsPerTick, Duration leaseDuration, Duration dispatchLease,
            Duration tickLease, int maxRequeues, int tickThreads) {
        this(maxConcurrent, maxClaimsPerTick, leaseDuration, dispatchLease, tickLease, maxRequeues, tickThreads, DEFAULT_REACTIVE_RECHECK);
    }

    public static SchedulerConfig defaults() {
        return new SchedulerConfig(4, 1000, Duration.ofMinutes(15), Duration.ofMinutes(5), Duration.ofMinutes(5), 3, 8);
    }

    public SchedulerConfig withMaxConcurrent(int n) {
        return new SchedulerConfig(n, maxClaimsPerTick, leaseDuration, dispatchLease, tickLease, maxRequeues, tickThreads, reactiveRecheck);
    }

    public SchedulerConfig withLeaseDuration(Duration d) {
        return new SchedulerConfig(maxConcurrent, maxClaimsPerTick, d, dispatchLease, tickLease, maxRequeues, tickThreads, reactiveRecheck);
    }

    public SchedulerConfig withMaxClaimsPerTick(int n) {
        return new SchedulerConfig(maxConcurrent, n, leaseDuration, dispatchLease, tickLease, maxRequeues, tickThreads, reactiveRecheck);
    }

    public SchedulerConfig withReactiveRecheck(Duration d) {
        return new SchedulerConfig(maxConcurrent, maxClaimsPerTick, leaseDuration, dispatchLease, tickLease, maxRequeues, tickThreads, d);
    }

    public SchedulerConfig withTickThreads(int n) {
        return new SchedulerConfig(maxConcurrent, maxClaimsPerTick, leaseDuration, dispatchLease, tickLease, maxRequeues, n, reactiveRecheck);
    }
}
