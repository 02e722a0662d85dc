package dev.sluice.ingest.poll;

import dev.sluice.ingest.IngestException;
import dev.sluice.odf.EventTimeSource;
import dev.sluice.odf.FetchStep;
import dev.sluice.odf.SourceOrdering;
import dev.sluice.odf.SourceState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Local-file fetches: a {@code file:} URL and FilesGlob. Files are read in place (prepare steps copy them). */
final class LocalFetch {
    private LocalFetch() {}

    /**
     * A {@code file:} URL. State: the file's modification time (ms) as {@code odf/last-modified}; the same time as
     * last poll = up to date. Event time (default fromMetadata): the modification time.
     */
    static FetchOutcome file(Path path, EventTimeSource eventTime, SourceState prev, Instant now, PollOptions o) {
        Path real = readable(path, o);
        Instant mtime = mtime(real);
        Instant prevTime = SourceStates.lastModifiedOf(prev);
        if (mtime.equals(prevTime)) return new FetchOutcome.UpToDate(path + " is unchanged since " + mtime);
        Instant et;
        if (eventTime == null || eventTime instanceof EventTimeSource.FromMetadata) et = mtime;
        else if (eventTime instanceof EventTimeSource.FromSystemTime) et = now;
        else et = EventTimes.fromPath((EventTimeSource.FromPath) eventTime, real.getFileName().toString());
        return new FetchOutcome.Data(real, false, SourceStates.lastModified(mtime), et, false, path.toString());
    }

    private record Candidate(Path path, String name, Instant eventTime) {}

    /**
     * FilesGlob: one poll takes the next pending file (as kamu, each file becomes its own AddData, so the watermark
     * advances file by file and a Snapshot source compares each file with the state before it); {@code hasMore}
     * says more are pending. Order by name (default; state {@code odf/etag} = last file name, kamu's form) or by
     * event time (state = last {@code (event time, name)}; event time fromPath, or fromMetadata = modification time).
     * Files at or before the state are skipped.
     */
    static FetchOutcome glob(FetchStep.FilesGlob g, SourceState prev, Instant now, PollOptions o) {
        if (g.path() == null || g.path().isBlank()) throw new IngestException("FilesGlob needs a path");
        Path pattern = o.resolvedBaseDir().resolve(g.path()).normalize();
        Path base = literalPrefix(pattern);
        checkUnderRoots(realIfExists(base), o, "FilesGlob path " + g.path());
        SourceOrdering order = g.order() == null ? SourceOrdering.ByName : g.order();
        if (order == SourceOrdering.ByEventTime && !(g.eventTime() instanceof EventTimeSource.FromPath
                || g.eventTime() instanceof EventTimeSource.FromMetadata)) {
            throw new IngestException("FilesGlob ordered by event time needs eventTime fromPath or fromMetadata");
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + globText(pattern));
        int depth = pattern.toString().contains("**") ? Integer.MAX_VALUE : pattern.getNameCount() - base.getNameCount();
        List<Path> matched = new ArrayList<>();
        if (Files.isDirectory(base)) {
            try (Stream<Path> s = Files.walk(base, depth)) {
                s.filter(p -> matcher.matches(p) && Files.isRegularFile(p)).forEach(matched::add);
            } catch (IOException | UncheckedIOException e) {
                throw new FetchException("cannot list " + base + " for the FilesGlob path " + g.path() + ": " + e.getMessage(), true);
            }
        }
        String lastName = order == SourceOrdering.ByName ? SourceStates.etagOf(prev) : null;
        SourceStates.GlobPosition lastPos = order == SourceOrdering.ByEventTime ? SourceStates.globPositionOf(prev) : null;
        List<Candidate> pending = new ArrayList<>();
        for (Path p : matched) {
            String name = p.getFileName().toString();
            if (lastName != null && name.compareTo(lastName) <= 0) continue;
            Instant et = eventTime(g.eventTime(), p, name, now);
            if (lastPos != null && new SourceStates.GlobPosition(et, name).compareTo(lastPos) <= 0) continue;
            pending.add(new Candidate(p, name, et));
        }
        if (pending.isEmpty()) {
            boolean seenBefore = lastName != null || lastPos != null;
            if (seenBefore) return new FetchOutcome.UpToDate("no file after the last ingested one matches " + g.path());
            throw new FetchException("no file matches the FilesGlob path " + g.path(), false);
        }
        Comparator<Candidate> cmp = order == SourceOrdering.ByName
                ? Comparator.comparing(Candidate::name).thenComparing(c -> c.path().toString())
                : Comparator.comparing(Candidate::eventTime).thenComparing(Candidate::name).thenComparing(c -> c.path().toString());
        pending.sort(cmp);
        Candidate next = pending.get(0);
        Path real = readable(next.path(), o);
        SourceState state = order == SourceOrdering.ByName ? SourceStates.etag(next.name())
                : SourceStates.globPosition(next.eventTime(), next.name());
        return new FetchOutcome.Data(real, false, state, next.eventTime(), pending.size() > 1, next.path().toString());
    }

    private static Instant eventTime(EventTimeSource src, Path p, String name, Instant now) {
        if (src == null || src instanceof EventTimeSource.FromSystemTime) return now;
        if (src instanceof EventTimeSource.FromPath fp) return EventTimes.fromPath(fp, name);
        return mtime(p);
    }

    /** The leading part of a glob without wildcards: where the walk starts. */
    private static Path literalPrefix(Path pattern) {
        Path base = pattern.getRoot();
        for (Path part : pattern) {
            String s = part.toString();
            if (s.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{')) break;
            base = base == null ? part : base.resolve(part);
        }
        // The last literal component is a file name when the glob has no wildcard at all.
        if (base != null && base.equals(pattern) && base.getParent() != null) base = base.getParent();
        return base == null ? Path.of("") : base;
    }

    private static String globText(Path pattern) {
        // Glob syntax treats backslash as an escape; paths here are absolute and normalised.
        return pattern.toString().replace("\\", "\\\\");
    }

    /** The file's real path, after checking it exists and lies within the allowed folders. */
    static Path readable(Path path, PollOptions o) {
        Path real;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            throw new FetchException("file not found: " + path, false);
        } catch (IOException e) {
            throw new FetchException("cannot read " + path + ": " + e.getMessage(), false);
        }
        if (!Files.isRegularFile(real)) throw new FetchException(path + " is not a regular file", false);
        checkUnderRoots(real, o, path.toString());
        if (!Files.isReadable(real)) throw new FetchException("cannot read " + path + ": permission denied", false);
        return real;
    }

    private static void checkUnderRoots(Path p, PollOptions o, String what) {
        if (o.fileRoots == null) return;
        Path abs = p.toAbsolutePath().normalize();
        for (Path root : o.fileRoots) {
            Path r = root.toAbsolutePath().normalize();
            try {
                if (Files.exists(r)) r = r.toRealPath();
            } catch (IOException e) {
                continue;
            }
            if (abs.startsWith(r)) return;
        }
        throw new FetchException(what + " is outside the folders this node may read local files from", false);
    }

    private static Path realIfExists(Path p) {
        try {
            return Files.exists(p) ? p.toRealPath() : p;
        } catch (IOException e) {
            return p;
        }
    }

    static Instant mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant().truncatedTo(ChronoUnit.MILLIS);
        } catch (IOException e) {
            throw new FetchException("cannot read the modification time of " + p + ": " + e.getMessage(), false);
        }
    }
}
