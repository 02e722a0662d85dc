package dev.sluice.engine;

import dev.sluice.odf.DataSlice;
import dev.sluice.odf.OffsetInterval;
import java.time.Instant;

/** ODF {@code TransformResponse} (the final one; progress messages are not modelled). */
public sealed interface TransformResponse {
    /**
     * @param newOffsetInterval offsets written to {@code newDataPath}, or null if no row was produced
     * @param newWatermark      the output watermark, or null if unchanged/unknown
     * @param newData           Sluice extension: the slice's hashes and size as the engine computed them while writing, or
     *                          null; when given, the coordinator takes both hashes as they are (checking only the size
     *                          and offsets against the file) instead of reading the file back, so an engine must only
     *                          report hashes computed from the bytes it wrote
     */
    record Success(OffsetInterval newOffsetInterval, Instant newWatermark, DataSlice newData) implements TransformResponse {
        /** The ODF form. */
        public Success(OffsetInterval newOffsetInterval, Instant newWatermark) {
            this(newOffsetInterval, newWatermark, null);
        }
    }

    /** The SQL is wrong or unsupported by this engine: the user's problem, not retried. */
    record InvalidQuery(String message) implements TransformResponse {}

    /** The engine failed: may be retried. */
    record InternalError(String message, String backtrace) implements TransformResponse {}
}
