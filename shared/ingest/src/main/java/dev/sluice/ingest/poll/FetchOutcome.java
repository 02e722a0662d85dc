package dev.sluice.ingest.poll;

import dev.sluice.odf.SourceState;
import java.nio.file.Path;
import java.time.Instant;

/** What a fetch step produced. */
sealed interface FetchOutcome {
    /** The source has nothing new (304, same ETag or Last-Modified, no pending file). */
    record UpToDate(String reason) implements FetchOutcome {}

    /**
     * New data in {@code file}.
     *
     * @param owned     the file is a scratch copy to delete after the poll (false: the source's own file, read in place)
     * @param state     source state to commit with the data; null when the source gave none
     * @param eventTime event time for rows without one; null = system time
     * @param hasMore   more pending data (FilesGlob: more files after this one)
     * @param what      what was fetched, for results and messages (URL with secrets masked, or file path)
     */
    record Data(Path file, boolean owned, SourceState state, Instant eventTime, boolean hasMore, String what) implements FetchOutcome {}
}
