package dev.sluice.flows;

/**
 * Runs the work of one flow type (ingest, transform, compaction, reset) for one task. Executors are plugged in by the
 * application; the runner calls {@link #execute} once per attempt, under a lease, and records the outcome.
 *
 * <p>An attempt can run more than once (a worker that loses its lease, e.g. by pausing longer than the lease, has its
 * result discarded and the task is re-queued), so the work must be safe to repeat — as ODF commits are: a repeated
 * ingest of unchanged data adds no block. A thrown exception counts as a retryable failure.
 */
public interface FlowTaskExecutor {
    FlowType type();

    TaskOutcome execute(FlowTaskContext ctx) throws Exception;
}
