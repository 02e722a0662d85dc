package dev.sluice.flows;

import dev.sluice.state.items.FlowItem;
import dev.sluice.state.items.TaskItem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Mapping between the stored items of shared/state and the flow domain (config, status, views). */
final class FlowItems {
    static final String INTERVAL = "INTERVAL";
    static final String CRON = "CRON";
    static final String REACTIVE = "REACTIVE";
    /** Task logs keep their first lines: an item must stay far below DynamoDB's 400 KB. */
    static final int MAX_LOG_LINES = 100;
    static final int MAX_LOG_LINE = 500;

    private FlowItems() {}

    static FlowType type(FlowItem f) {
        return FlowType.valueOf(f.getFlowType());
    }

    static boolean paused(FlowItem f) {
        return Boolean.FALSE.equals(f.getEnabled());
    }

    static FlowStatus status(FlowItem f) {
        if (paused(f)) return FlowStatus.PAUSED;
        return f.getStatus() == null ? FlowStatus.WAITING : FlowStatus.valueOf(f.getStatus());
    }

    static int intOr0(Integer i) {
        return i == null ? 0 : i;
    }

    static long longOr0(Long l) {
        return l == null ? 0 : l;
    }

    static FlowTrigger trigger(FlowItem f) {
        if (f.getTriggerKind() == null) return null;
        return switch (f.getTriggerKind()) {
            case INTERVAL -> new FlowTrigger.Interval(Duration.ofSeconds(f.getPeriodSeconds()));
            case CRON -> FlowTrigger.Cron.of(f.getCron());
            case REACTIVE -> new FlowTrigger.Reactive(f.getMinRecords(), Duration.ofMillis(longOr0(f.getMaxBatchingMs())));
            default -> throw new IllegalStateException("unknown trigger kind " + f.getTriggerKind() + " on " + f);
        };
    }

    static FlowConfig config(FlowItem f) {
        RetryPolicy retry = f.getRetryMaxAttempts() == null ? RetryPolicy.NONE
                : new RetryPolicy(f.getRetryMaxAttempts(), Duration.ofMillis(longOr0(f.getRetryMinDelayMs())),
                        RetryPolicy.Backoff.valueOf(f.getRetryBackoff()));
        StopPolicy stop = f.getStopAfterFailures() == null ? StopPolicy.NEVER : new StopPolicy.AfterConsecutiveFailures(f.getStopAfterFailures());
        return new FlowConfig(trigger(f), retry, stop, intOr0(f.getPriority()), f.getOptions());
    }

    static void applyConfig(FlowItem f, FlowConfig c) {
        f.setTriggerKind(null);
        f.setPeriodSeconds(null);
        f.setCron(null);
        f.setMinRecords(null);
        f.setMaxBatchingMs(null);
        FlowTrigger t = c.trigger();
        if (t instanceof FlowTrigger.Interval i) {
            f.setTriggerKind(INTERVAL);
            f.setPeriodSeconds(i.every().toSeconds());
        } else if (t instanceof FlowTrigger.Cron cron) {
            f.setTriggerKind(CRON);
            f.setCron(cron.expression().text());
        } else if (t instanceof FlowTrigger.Reactive r) {
            f.setTriggerKind(REACTIVE);
            f.setMinRecords(r.minRecordsToAwait());
            f.setMaxBatchingMs(r.maxBatchingInterval().toMillis());
        }
        boolean retries = c.retry().maxAttempts() > 1;
        f.setRetryMaxAttempts(retries ? c.retry().maxAttempts() : null);
        f.setRetryMinDelayMs(retries ? c.retry().minDelay().toMillis() : null);
        f.setRetryBackoff(retries ? c.retry().backoff().name() : null);
        f.setStopAfterFailures(c.stop() instanceof StopPolicy.AfterConsecutiveFailures a ? a.failures() : null);
        f.setPriority(c.priority());
        f.setOptions(c.options().isEmpty() ? null : c.options());
    }

    static Instant instant(Long ms) {
        return ms == null ? null : Instant.ofEpochMilli(ms);
    }

    static FlowView view(FlowItem f) {
        FlowStatus status = status(f);
        Long next = switch (status) {
            case WAITING, RETRYING -> f.getDueAt();
            case RUNNING -> f.getNextDueAt();
            case PAUSED -> null;
        };
        return new FlowView(f.getDatasetId(), type(f), config(f), status, f.getPausedReason(), instant(next), f.getActiveTaskId(),
                intOr0(f.getConsecutiveFailures()), longOr0(f.getPendingRecords()), f.getLastTaskId(),
                f.getLastStatus() == null ? null : TaskStatus.valueOf(f.getLastStatus()), f.getLastOutcome(), f.getLastError(), f.getLastFinishedAt(),
                f.getLastSuccessAt());
    }

    static TaskView view(TaskItem t) {
        return new TaskView(t.getTaskId(), t.getDatasetId(), FlowType.valueOf(t.getFlowType()), TaskStatus.valueOf(t.getStatus()),
                t.getTrigger() == null ? null : TriggerCause.valueOf(t.getTrigger()), t.getTriggerDetail(), intOr0(t.getPriority()),
                t.getAttempt() == null ? 1 : t.getAttempt(), instant(t.getCreatedAt()), t.getStartedAt(), t.getFinishedAt(),
                t.getOutcome(), t.getError(), t.getNewRecords(), longOr0(t.getInputRecords()), t.getLog() == null ? List.of() : t.getLog(),
                intOr0(t.getRequeues()));
    }

    /** Appends to a task's log, keeping the first {@value #MAX_LOG_LINES} lines (the last slot says how many were dropped). */
    static void appendLog(TaskItem t, List<String> lines) {
        List<String> log = t.getLog() == null ? new ArrayList<>() : new ArrayList<>(t.getLog());
        for (String line : lines) {
            String l = line.length() > MAX_LOG_LINE ? line.substring(0, MAX_LOG_LINE) + "…" : line;
            if (log.size() < MAX_LOG_LINES - 1) {
                log.add(l);
            } else if (log.size() == MAX_LOG_LINES - 1) {
                log.add("… (further lines dropped)");
            }
        }
        t.setLog(log);
    }

    static void appendLog(TaskItem t, String line) {
        appendLog(t, List.of(line));
    }

    static Map<String, String> options(FlowItem f) {
        return f.getOptions() == null ? Map.of() : f.getOptions();
    }
}
