package dev.sluice.flows;

import java.time.Duration;
import java.time.Instant;

/**
 * What makes a flow due (kamu's trigger rules): a schedule — {@link Interval} or {@link Cron} — or {@link Reactive},
 * new records arriving in the flow's inputs, batched by count and waiting time. A flow without a trigger runs only
 * when triggered manually.
 */
public sealed interface FlowTrigger {
    Duration MAX_BATCHING_INTERVAL = Duration.ofHours(24);

    /** A schedule: interval or cron. */
    sealed interface Schedule extends FlowTrigger {
        /** When a newly configured (or resumed) schedule first fires. */
        Instant firstFire(Instant now);

        /** The slot after {@code slot} that is later than {@code now} (missed slots are skipped, not caught up). */
        Instant nextFire(Instant slot, Instant now);
    }

    /** Every {@code every}, anchored at the previous slot (no drift); the first run is immediate. */
    record Interval(Duration every) implements Schedule {
        public Interval {
            if (every == null || every.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new FlowConfigException("interval must be at least 1 second, got " + every);
            }
            if (every.compareTo(Duration.ofDays(366)) > 0) throw new FlowConfigException("interval must be at most 366 days, got " + every);
            if (every.toMillis() % 1000 != 0) throw new FlowConfigException("interval must be whole seconds, got " + every);
        }

        @Override
        public Instant firstFire(Instant now) {
            return now;
        }

        @Override
        public Instant nextFire(Instant slot, Instant now) {
            long every = this.every.toMillis();
            long base = slot == null ? now.toEpochMilli() : slot.toEpochMilli();
            long behind = now.toEpochMilli() - base;
            long steps = behind < 0 ? 1 : behind / every + 1;
            return Instant.ofEpochMilli(base + steps * every);
        }
    }

    /** A 5-field cron schedule in UTC. */
    record Cron(CronExpression expression) implements Schedule {
        public Cron {
            if (expression == null) throw new FlowConfigException("cron trigger needs an expression");
        }

        public static Cron of(String expression) {
            return new Cron(CronExpression.parse(expression));
        }

        @Override
        public Instant firstFire(Instant now) {
            return next(now);
        }

        @Override
        public Instant nextFire(Instant slot, Instant now) {
            return next(slot != null && slot.isAfter(now) ? slot : now);
        }

        private Instant next(Instant after) {
            return expression.nextAfter(after).orElseThrow(() -> new IllegalStateException("cron '" + expression + "' has no next fire time"));
        }
    }

    /**
     * Reactive (kamu's {@code forNewData: Buffering}): due as soon as {@code minRecordsToAwait} new input records have
     * accumulated, or {@code maxBatchingInterval} after the first of them arrived, whichever comes first.
     * {@code Reactive(1, 0)} is kamu's {@code Immediate}.
     */
    record Reactive(long minRecordsToAwait, Duration maxBatchingInterval) implements FlowTrigger {
        public Reactive {
            if (minRecordsToAwait < 1) throw new FlowConfigException("minRecordsToAwait must be at least 1, got " + minRecordsToAwait);
            if (maxBatchingInterval == null || maxBatchingInterval.isNegative()) {
                throw new FlowConfigException("maxBatchingInterval must be 0 or more, got " + maxBatchingInterval);
            }
            if (maxBatchingInterval.compareTo(MAX_BATCHING_INTERVAL) > 0) {
                throw new FlowConfigException("maxBatchingInterval must be at most 24h, got " + maxBatchingInterval);
            }
        }

        public static Reactive immediate() {
            return new Reactive(1, Duration.ZERO);
        }

        /** When a flow with {@code pending} records, the first of which arrived at {@code firstAt}, becomes due (null: never). */
        public Instant dueAt(long pending, Instant firstAt, Instant now) {
            if (pending <= 0 || firstAt == null) return null;
            if (pending >= minRecordsToAwait) return now;
            return firstAt.plus(maxBatchingInterval);
        }
    }
}
