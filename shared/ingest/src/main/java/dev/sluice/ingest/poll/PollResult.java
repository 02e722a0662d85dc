package dev.sluice.ingest.poll;

import dev.sluice.odf.Multihash;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.odf.SourceState;

/**
 * Outcome of one poll.
 *
 * @param status      {@link Status#UPDATED} when a block was committed (data, or only the new source state when the
 *                    merge found nothing new); otherwise nothing was written
 * @param newData     offsets of the committed slice; null when none
 * @param sourceState the source state the dataset now has (committed or unchanged); null when it has none
 * @param hasMore     more is pending (FilesGlob: files after this one); poll again
 * @param fetched     what was fetched (URL with secrets masked, or file path); null when nothing was
 * @param detail      why nothing was committed, for people (e.g. "answered 304 Not Modified"); null when updated
 */
public record PollResult(
        Status status,
        Multihash oldHead,
        Multihash newHead,
        long rowsRead,
        long rowsAdded,
        OffsetInterval newData,
        SourceState sourceState,
        boolean hasMore,
        String fetched,
        String detail) {

    public enum Status {
        /** A block was committed. */
        UPDATED,
        /** The source had nothing new, or what it had added nothing and changed no state. */
        UP_TO_DATE,
        /**
         * Not fetched: the source gives no ETag or Last-Modified and the dataset already has data, so fetching would
         * ingest the same content again (kamu's rule); {@link PollOptions#fetchUncacheable} overrides.
         */
        UNCACHEABLE
    }

    public boolean committed() {
        return !oldHead.equals(newHead);
    }

    static PollResult unchanged(Status status, Multihash head, SourceState state, String detail) {
        return new PollResult(status, head, head, 0, 0, null, state, false, null, detail);
    }
}
