package dev.sluice.flows;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How a failed attempt is retried (kamu's {@code retryPolicy}). {@code maxAttempts} counts every attempt, the first
 * included (1 = no retry). The delay before attempt n+1, after n failures, is {@code minDelay} (Fixed),
 * {@code minDelay·n} (Linear), {@code minDelay·2^(n-1)} (Exponential), or that exponential delay scaled by a random
 * factor in [0.5, 1) (ExponentialWithJitter — "equal jitter", so retries of many flows spread out), capped at 24 h.
 */
public record RetryPolicy(int maxAttempts, Duration minDelay, Backoff backoff) {
    public static final int MAX_ATTEMPTS = 20;
    private static final Duration CAP = Duration.ofHours(24);

    public enum Backoff { FIXED, LINEAR, EXPONENTIAL, EXPONENTIAL_WITH_JITTER;

        public static Backoff parse(String s) {
            for (Backoff b : values()) {
                if (b.name().replace("_", "").equalsIgnoreCase(s == null ? "" : s.replace("_", "").replace("-", ""))) return b;
            }
            throw new FlowConfigException("unknown backoff '" + s + "' (expected Fixed, Linear, Exponential or ExponentialWithJitter)");
        }
    }

    /** No retries. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Backoff.FIXED);

    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
            throw new FlowConfigException("retry maxAttempts must be 1.." + MAX_ATTEMPTS + " (1 = no retry), got " + maxAttempts);
        }
        if (minDelay == null || minDelay.isNegative()) throw new FlowConfigException("retry minDelay must be 0 or more, got " + minDelay);
        if (minDelay.compareTo(CAP) > 0) throw new FlowConfigException("retry minDelay must be at most 24h, got " + minDelay);
        if (backoff == null) throw new FlowConfigException("retry backoff is missing");
    }

    /** Whether attempt {@code attempt} (1-based) may be followed by another. */
    public boolean allowsRetryAfter(int attempt) {
        return attempt < maxAttempts;
    }

    /** The delay before the next attempt after {@code failures} (≥ 1) failed attempts. */
    public Duration delayAfter(int failures, RandomGenerator random) {
        if (failures < 1) throw new IllegalArgumentException("failures must be at least 1");
        long base = minDelay.toMillis();
        long cap = CAP.toMillis();
        long ms = switch (backoff) {
            case FIXED -> base;
            case LINEAR -> saturatingMultiply(base, failures, cap);
            case EXPONENTIAL, EXPONENTIAL_WITH_JITTER -> saturatingMultiply(base, 1L << Math.min(failures - 1, 40), cap);
        };
        ms = Math.min(ms, cap);
        if (backoff == Backoff.EXPONENTIAL_WITH_JITTER) ms = ms / 2 + (long) (random.nextDouble() * (ms - ms / 2));
        return Duration.ofMillis(ms);
    }

    private static long saturatingMultiply(long a, long b, long cap) {
        return a != 0 && b > cap / a ? cap : a * b;
    }
}
