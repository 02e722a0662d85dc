package dev.sluice.flows;

/** When a failing flow stops itself (kamu's trigger stop policy): never, or after N consecutive failed runs (N ≤ 10). */
public sealed interface StopPolicy {
    int MAX_CONSECUTIVE_FAILURES = 10;

    /** Whether the flow pauses after this many consecutive failed runs. */
    boolean stopsAfter(int consecutiveFailures);

    record Never() implements StopPolicy {
        @Override
        public boolean stopsAfter(int consecutiveFailures) {
            return false;
        }
    }

    record AfterConsecutiveFailures(int failures) implements StopPolicy {
        public AfterConsecutiveFailures {
            if (failures < 1 || failures > MAX_CONSECUTIVE_FAILURES) {
                throw new FlowConfigException("stop policy afterConsecutiveFailures must be 1.." + MAX_CONSECUTIVE_FAILURES + ", got " + failures);
            }
        }

        @Override
        public boolean stopsAfter(int consecutiveFailures) {
            return consecutiveFailures >= failures;
        }
    }

    StopPolicy NEVER = new Never();
}
