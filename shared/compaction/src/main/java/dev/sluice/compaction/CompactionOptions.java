package dev.sluice.compaction;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of one hard compaction.
 *
 * @param maxSliceSize          a merged slice gathers consecutive slices while the sum of their file sizes stays at
 *                              or below this many bytes (kamu's default 300 MB); a single larger slice stays alone
 * @param maxSliceRecords       ... and while their record count stays at or below this (kamu's default 10 000)
 * @param keepMetadataOnly      drop all data blocks (AddData, ExecuteTransform) and keep only the metadata events —
 *                              kamu's "reset to metadata"; also allowed on derivatives
 * @param idempotencyRetention  AddData blocks carrying a push idempotency key and younger than this (by system time,
 *                              against the compactor's clock) are left as they are, so a retried push still finds its
 *                              key; older ones are merged and their keys dropped
 */
public record CompactionOptions(long maxSliceSize, long maxSliceRecords, boolean keepMetadataOnly, Duration idempotencyRetention) {
    /** kamu's {@code DEFAULT_MAX_SLICE_SIZE}. */
    public static final long DEFAULT_MAX_SLICE_SIZE = 300_000_000L;
    /** kamu's {@code DEFAULT_MAX_SLICE_RECORDS}. */
    public static final long DEFAULT_MAX_SLICE_RECORDS = 10_000L;
    public static final Duration DEFAULT_IDEMPOTENCY_RETENTION = Duration.ofHours(24);

    public CompactionOptions {
        if (maxSliceSize <= 0) throw new CompactionException("max slice size must be a positive number of bytes, got " + maxSliceSize);
        if (maxSliceRecords <= 0) throw new CompactionException("max slice records must be positive, got " + maxSliceRecords);
        Objects.requireNonNull(idempotencyRetention, "idempotencyRetention");
        if (idempotencyRetention.isNegative()) throw new CompactionException("idempotency retention must not be negative");
    }

    public static CompactionOptions defaults() {
        return new CompactionOptions(DEFAULT_MAX_SLICE_SIZE, DEFAULT_MAX_SLICE_RECORDS, false, DEFAULT_IDEMPOTENCY_RETENTION);
    }

    public CompactionOptions withMaxSliceSize(long bytes) {
        return new CompactionOptions(bytes, maxSliceRecords, keepMetadataOnly, idempotencyRetention);
    }

    public CompactionOptions withMaxSliceRecords(long records) {
        return new CompactionOptions(maxSliceSize, records, keepMetadataOnly, idempotencyRetention);
    }

    public CompactionOptions withKeepMetadataOnly(boolean keep) {
        return new CompactionOptions(maxSliceSize, maxSliceRecords, keep, idempotencyRetention);
    }

    public CompactionOptions withIdempotencyRetention(Duration retention) {
        return new CompactionOptions(maxSliceSize, maxSliceRecords, keepMetadataOnly, retention);
    }
}
