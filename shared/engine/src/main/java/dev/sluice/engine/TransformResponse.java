package dev.sluice.engine;

import dev.sluice.odf.OffsetInterval;
import java.time.Instant;

/** ODF {@code TransformResponse} (the final one; progress messages are not modelled). */
public sealed interface TransformResponse {
    /**
     * @param newOffsetInterval offsets written to {@code newDataPath}, or null if no row was produced
     * @param newWatermark      the output watermark, or null if unchanged/unknown
     */
    record Success(OffsetInterval newOffsetInterval, Instant newWatermark) implements TransformResponse {}

    /** The SQL is wrong or unsupported by this engine: the user's problem, not retried. */
    record InvalidQuery(String message) implements TransformResponse {}

    /** The engine failed: may be retried. */
    record InternalError(String message, String backtrace) implements TransformResponse {}
}
