package dev.sluice.ingest.poll;

import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.SourceState;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.HashedBlock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The polling source's state as kept in AddData blocks ({@code newSourceState}), under kamu's source name
 * {@value #SOURCE_NAME}. Kinds: {@code odf/etag} (a Url's ETag; FilesGlob by name: the last file name, as kamu),
 * {@code odf/last-modified} (RFC 3339; a Url's Last-Modified or a local file's modification time) and
 * {@value #KIND_GLOB_POSITION} (FilesGlob by event time: {@code <event time>|<file name>} of the last file).
 */
final class SourceStates {
    static final String SOURCE_NAME = "odf/polling";
    static final String KIND_GLOB_POSITION = "sluice.dev/files-glob-position";

    private SourceStates() {}

    /** The newest polling source state on the chain ending at {@code head}, or null. */
    static SourceState latest(Dataset ds, Multihash head) {
        for (HashedBlock b : ds.blocksFrom(head)) {
            if (b.block().event() instanceof MetadataEvent.AddData a && a.newSourceState() != null
                    && SOURCE_NAME.equals(a.newSourceState().sourceName())) {
                return a.newSourceState();
            }
        }
        return null;
    }

    static SourceState etag(String value) {
        return new SourceState(SOURCE_NAME, SourceState.KIND_ETAG, value);
    }

    static SourceState lastModified(Instant t) {
        return new SourceState(SOURCE_NAME, SourceState.KIND_LAST_MODIFIED, t.toString());
    }

    static SourceState globPosition(Instant eventTime, String name) {
        return new SourceState(SOURCE_NAME, KIND_GLOB_POSITION, eventTime + "|" + name);
    }

    static String etagOf(SourceState s) {
        return s != null && SourceState.KIND_ETAG.equals(s.kind()) ? s.value() : null;
    }

    /** Null when the state is of another kind or unreadable (then it is ignored, as kamu does). */
    static Instant lastModifiedOf(SourceState s) {
        if (s == null || !SourceState.KIND_LAST_MODIFIED.equals(s.kind())) return null;
        return parseInstant(s.value());
    }

    record GlobPosition(Instant eventTime, String name) implements Comparable<GlobPosition> {
        public int compareTo(GlobPosition o) {
            int c = eventTime.compareTo(o.eventTime);
            return c != 0 ? c : name.compareTo(o.name);
        }
    }

    static GlobPosition globPositionOf(SourceState s) {
        if (s == null || !KIND_GLOB_POSITION.equals(s.kind())) return null;
        int bar = s.value().indexOf('|');
        if (bar < 0) return null;
        Instant t = parseInstant(s.value().substring(0, bar));
        return t == null ? null : new GlobPosition(t, s.value().substring(bar + 1));
    }

    private static Instant parseInstant(String v) {
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
