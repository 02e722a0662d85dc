package dev.sluice.storage;

/**
 * Another writer kept moving the head: the commit lost the compare-and-set on {@code refs/head} every attempt.
 * Retryable by the caller; nothing of this commit is visible (only unreferenced objects may remain).
 */
public class CommitConflictException extends StorageException {
    private final int attempts;

    public CommitConflictException(String dataset, int attempts) {
        super("commit to " + dataset + " lost the race for refs/head " + attempts + " times; retry later");
        this.attempts = attempts;
    }

    public int attempts() {
        return attempts;
    }
}
