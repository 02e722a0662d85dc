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
 */
public record SchedulerConfig(int maxConcurrent, int maxClaimsPerTick, Duration leaseDuration, Duration dispatchLease,
        Duration tickLease, int maxRequeues, int tickThreads) {
    public SchedulerConfig {
        if (maxConcurrent < 1) throw new IllegalArgumentException("maxConcurrent must be at least 1");
        if (maxClaimsPerTick < 1) throw new IllegalArgumentException("maxClaimsPerTick must be at least 1");
        if (leaseDuration.isNegative() || leaseDuration.isZero()) throw new IllegalArgumentException("leaseDuration must be positive");
        if (dispatchLease.isNegative() || dispatchLease.isZero()) throw new IllegalArgumentException("dispatchLease must be positive");
        if (tickLease.isNegative() || tickLease.isZero()) throw new IllegalArgumentException("tickLease must be positive");
        if (maxRequeues < 0) throw new IllegalArgumentException("maxRequeues must be 0 or more");
        if (tickThreads < 1) throw new IllegalArgumentException("tickThreads must be at least 1");
    }

    public static SchedulerConfig defaults() {
        return new SchedulerConfig(4, 1000, Duration.ofMinutes(15), Duration.ofMinutes(5), Duration.ofMinutes(5), 3, 8);
    }

    public SchedulerConfig withMaxConcurrent(int n) {
        return new SchedulerConfig(n, maxClaimsPerTick, leaseDuration, dispatchLease, tickLease, maxRequeues, tickThreads);
    }

    public SchedulerConfig withLeaseDuration(Duration d) {
        return new SchedulerConfig(maxConcurrent, maxClaimsPerTick, d, dispatchLease, tickLease, maxRequeues, tickThreads);
    }

    public SchedulerConfig withMaxClaimsPerTick(int n) {
        return new SchedulerConfig(maxConcurrent, n, leaseDuration, dispatchLease, tickLease, maxRequeues, tickThreads);
    }

    public SchedulerConfig withTickThreads(int n) {
        return new SchedulerConfig(maxConcurrent, maxClaimsPerTick, leaseDuration, dispatchLease, tickLease, maxRequeues, n);
    }
}
