package dev.sluice.flows;

/** What an executor reports: success (with the new records it produced), a retryable failure or a permanent one. */
public sealed interface TaskOutcome {
    /** Success; {@code newRecords} = 0 means the dataset was already up to date. */
    record Success(long newRecords, String summary) implements TaskOutcome {
        public Success {
            if (newRecords < 0) throw new IllegalArgumentException("newRecords must be >= 0");
            if (summary == null || summary.isBlank()) summary = newRecords == 0 ? "up to date" : newRecords + " new records";
        }
    }

    /** A failure that may go away by itself (network, throttling, a busy upstream): retried per the retry policy. */
    record RetryableFailure(String error) implements TaskOutcome {}

    /** A failure that retrying cannot fix (bad configuration, invalid data): not retried. */
    record PermanentFailure(String error) implements TaskOutcome {}

    static TaskOutcome success(long newRecords) {
        return new Success(newRecords, null);
    }

    static TaskOutcome upToDate() {
        return new Success(0, "up to date");
    }

    static TaskOutcome retryable(String error) {
        return new RetryableFailure(error);
    }

    static TaskOutcome permanent(String error) {
        return new PermanentFailure(error);
    }
}
