package dev.sluice.flows;

import dev.sluice.state.TaskRepository;
import java.util.Map;
import java.util.TreeMap;

/**
 * A flow's configuration: trigger (null = manual only), retry and stop policies, priority (0..999, higher is
 * dispatched first) and type-specific options for the executor (e.g. compaction's {@code maxSliceSize},
 * {@code maxSliceRecords}; ingest's {@code fetchUncacheable}).
 */
public record FlowConfig(FlowTrigger trigger, RetryPolicy retry, StopPolicy stop, int priority, Map<String, String> options) {
    /** kamu's compaction defaults ({@code compaction_planner.rs}). */
    public static final Map<String, String> COMPACTION_DEFAULTS = Map.of("maxSliceSize", "300000000", "maxSliceRecords", "10000");

    public FlowConfig {
        if (retry == null) retry = RetryPolicy.NONE;
        if (stop == null) stop = StopPolicy.NEVER;
        if (priority < 0 || priority > TaskRepository.MAX_PRIORITY) {
            throw new FlowConfigException("priority must be 0.." + TaskRepository.MAX_PRIORITY + ", got " + priority);
        }
        options = options == null ? Map.of() : Map.copyOf(new TreeMap<>(options));
    }

    /** Manual only, no retries, never stops, priority 0. */
    public static FlowConfig manual() {
        return new FlowConfig(null, RetryPolicy.NONE, StopPolicy.NEVER, 0, Map.of());
    }

    public static FlowConfig of(FlowTrigger trigger) {
        return new FlowConfig(trigger, RetryPolicy.NONE, StopPolicy.NEVER, 0, Map.of());
    }

    public FlowConfig withRetry(RetryPolicy r) {
        return new FlowConfig(trigger, r, stop, priority, options);
    }

    public FlowConfig withStop(StopPolicy s) {
        return new FlowConfig(trigger, retry, s, priority, options);
    }

    public FlowConfig withPriority(int p) {
        return new FlowConfig(trigger, retry, stop, p, options);
    }

    public FlowConfig withOptions(Map<String, String> o) {
        return new FlowConfig(trigger, retry, stop, priority, o);
    }

    /** Checks that the trigger suits the flow type (kamu: schedules for ingest and compaction, reactive for transform). */
    public FlowConfig validateFor(FlowType type) {
        switch (type) {
            case INGEST, COMPACTION -> {
                if (trigger instanceof FlowTrigger.Reactive) {
                    throw new FlowConfigException(type.label() + " flows take a schedule (interval or cron), not a reactive trigger");
                }
            }
            case TRANSFORM -> { } // reactive or schedule
            case RESET -> {
                if (trigger != null) throw new FlowConfigException("reset flows run only when triggered manually");
            }
        }
        return this;
    }
}
