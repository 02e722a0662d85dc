package dev.sluice.transform;

import dev.sluice.odf.Multihash;
import dev.sluice.odf.OffsetInterval;
import java.util.List;

/**
 * What {@link TransformService#transform} did.
 *
 * @param steps    the ExecuteTransform blocks committed, oldest first (empty: the dataset was up to date)
 * @param upToDate true when no input has anything left to process; false when the call stopped at its step limit
 * @param waitingFor non-null when the transform cannot run yet: the input it waits for and why
 * @param notes    task-log lines, e.g. that DuckDB stood in for the manifest's engine
 */
public record TransformResult(String dataset, Multihash oldHead, Multihash newHead, List<Step> steps, boolean upToDate,
        String waitingFor, List<String> notes) {
    public TransformResult {
        steps = List.copyOf(steps);
        notes = List.copyOf(notes);
    }

    /**
     * One committed step.
     *
     * @param input       query alias of the input whose block this step consumed
     * @param inputBlock  that block
     * @param newData     output offsets, or null when the step produced no rows
     */
    public record Step(Multihash block, String input, Multihash inputBlock, OffsetInterval newData, String engine, String engineBuild) {}
}
