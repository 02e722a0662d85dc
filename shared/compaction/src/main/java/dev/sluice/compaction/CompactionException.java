package dev.sluice.compaction;

/** A compaction that cannot be done as asked (bad options, a derivative dataset, unmergeable slices). Changes nothing. */
public class CompactionException extends RuntimeException {
    public CompactionException(String message) {
        super(message);
    }

    public CompactionException(String message, Throwable cause) {
        super(message, cause);
    }
}
