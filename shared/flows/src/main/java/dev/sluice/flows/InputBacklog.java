package dev.sluice.flows;

/**
 * What the log says a derivative's transform has not consumed yet: the reactive trigger's recheck. The trigger itself
 * is fed by commits ({@link InputUpdates}); if that call is lost (the process died right after a head swap), the
 * downstream flow would wait for the next commit. So a reactive flow with nothing pending is due again after
 * {@link SchedulerConfig#reactiveRecheck}, and the tick asks this — not a table — whether its inputs moved past what
 * its last run consumed.
 */
@FunctionalInterface
public interface InputBacklog {
    /**
     * Records in the inputs of derivative {@code datasetId} that its latest transform did not consume; an input whose
     * chain was rewritten under it (compaction, reset) counts as at least 1, so the transform runs and recovers.
     * 0: up to date.
     *
     * @throws RuntimeException when the log cannot be read; the tick then runs the transform, whose task reports it
     */
    long unconsumedRecords(String datasetId);
}
