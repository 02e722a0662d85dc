package dev.sluice.engine;

import dev.sluice.odf.Transform;

/**
 * An ODF engine: runs one transform step of a derivative dataset (the ODF engine contract, {@code ExecuteTransform}).
 * Data are exchanged by files: the engine reads the input slices named in the request, writes the output slice and its
 * next checkpoint to the paths it is given, and assigns the system columns itself. The coordinator hashes the files and
 * commits the {@code ExecuteTransform} block; an engine never touches the metadata chain.
 *
 * <p>Implementations must be deterministic: the same request (inputs, checkpoint, system time, next offset) gives the
 * same output bytes, so a derivative can be deleted and recomputed from metadata alone.
 */
public interface Engine {
    /** Engine name as recorded in blocks, e.g. {@code duckdb}. */
    String name();

    /** The exact build (engine library version and Sluice engine version), recorded in the block's extra attributes. */
    String build();

    /** True if this engine runs SQL written for {@code dialect} (the {@code Transform.Sql.engine} of a manifest). */
    default boolean accepts(String dialect) {
        return name().equalsIgnoreCase(dialect);
    }

    /**
     * True if this engine computes {@code transform} by re-running it over each input's whole history (recompute and
     * diff) rather than over the new data alone: the coordinator then also passes the slices consumed earlier
     * ({@link TransformRequestInput#priorDataPaths}). An engine that cannot tell (e.g. a remote one) may answer true:
     * the only cost is making the older slices available.
     */
    default boolean recomputes(Transform.Sql transform) {
        return false;
    }

    /** Runs one transform; never throws for a bad query (that is {@link TransformResponse.InvalidQuery}). */
    TransformResponse transform(TransformRequest request);
}
