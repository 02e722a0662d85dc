package dev.sluice.data;

import dev.sluice.odf.DataSlice;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.OffsetInterval;
import java.nio.file.Path;
import java.time.Instant;

/**
 * What {@link SliceWriter} produced.
 *
 * @param path           the file written, or null when writing to a stream
 * @param size           file size in bytes
 * @param physicalHash   SHA3-256 multihash of the file bytes ({@code f1620…})
 * @param logicalHash    arrow0-sha3-256 multihash of the rows ({@code f9680c00120…})
 * @param offsetInterval closed offset range, null for an empty slice
 * @param rowCount       number of rows
 * @param maxEventTime   largest event_time, null for an empty slice
 */
public record SliceResult(Path path, long size, Multihash physicalHash, Multihash logicalHash,
                          OffsetInterval offsetInterval, long rowCount, Instant maxEventTime) {
    /** The ODF {@code DataSlice} (for AddData/ExecuteTransform); only for non-empty slices. */
    public DataSlice toDataSlice() {
        if (offsetInterval == null) throw new IllegalStateException("empty slice has no DataSlice");
        return new DataSlice(logicalHash, physicalHash, offsetInterval, size);
    }
}
