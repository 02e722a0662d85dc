package dev.sluice.ingest.poll;

import dev.sluice.ingest.IngestException;
import dev.sluice.ingest.IngestPipeline;
import dev.sluice.ingest.IngestResult;
import dev.sluice.ingest.IngestSource;
import dev.sluice.ingest.Preprocessor;
import dev.sluice.odf.FetchStep;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.PrepStep;
import dev.sluice.odf.SourceCaching;
import dev.sluice.odf.SourceState;
import dev.sluice.odf.chain.ChainState;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.HashedBlock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Polling ingest: one poll of a root dataset's active {@code SetPollingSource} — fetch (Url over http, https or
 * file; FilesGlob) → prepare steps (Decompress, Pipe) → then exactly the push path ({@link IngestPipeline}: read,
 * preprocess, merge, slice, SetDataSchema + AddData). The AddData carries the source's new state ({@code odf/etag},
 * {@code odf/last-modified}, …), which the next poll reads back from the chain to ask only for what changed.
 *
 * <p>A poll commits at most one AddData (FilesGlob: the next pending file; {@link PollResult#hasMore()} says poll
 * again), so any failure — fetch, prepare, bad data, merge — leaves the head where it was. Fetch failures are
 * {@link FetchException}s that say whether a retry may help; Container, Mqtt and EthereumLogs sources are stored
 * in metadata but not run ({@link UnsupportedSourceException}).
 *
 * <p>Concurrent polls of one dataset: if another poll commits a new source state between this poll's fetch and
 * commit, this one stops without writing (its data was fetched for the old state).
 */
public final class PollingIngest {
    private final Path scratchDir;
    private final Clock clock;
    private final Preprocessor preprocessor;
    private final IngestPipeline pipeline;
    private final HttpFetch http = new HttpFetch();

    public PollingIngest(Path scratchDir, Clock clock, Preprocessor preprocessor) {
        this.scratchDir = scratchDir;
        this.clock = clock;
        this.preprocessor = preprocessor;
        this.pipeline = new IngestPipeline(scratchDir, clock, preprocessor);
    }

    public PollingIngest(Path scratchDir, Clock clock) {
        this(scratchDir, clock, null);
    }

    public PollingIngest(Path scratchDir) {
        this(scratchDir, Clock.systemUTC());
    }

    /** The same ingest with a preprocess engine for sources that have a {@code preprocess} query. */
    public PollingIngest withPreprocessor(Preprocessor p) {
        return new PollingIngest(scratchDir, clock, p);
    }

    public PollResult poll(Dataset ds, PollOptions options) {
        PollOptions o = options == null ? PollOptions.defaults() : options;
        Redactor redactor = new Redactor(o.secretValues());
        try {
            return pollOnce(ds, o, redactor);
        } catch (RuntimeException e) {
            throw redactor.scrub(e);
        }
    }

    private PollResult pollOnce(Dataset ds, PollOptions o, Redactor redactor) {
        ChainState state = ds.state();
        MetadataEvent.SetPollingSource source = activeSource(ds, state);
        checkRunnable(source.fetch());
        SourceState prev = SourceStates.latest(ds, state.head());
        // Only a Url can be uncacheable: FilesGlob and file: URLs always have a state.
        if (source.fetch() instanceof FetchStep.Url && state.lastOffset() != null && prev == null && !o.fetchUncacheable) {
            return PollResult.unchanged(PollResult.Status.UNCACHEABLE, state.head(), null,
                    "the source gave no ETag or Last-Modified when it was last fetched and the dataset has data;"
                            + " fetching it again would ingest the same content (fetchUncacheable overrides)");
        }
        if (source.fetch() instanceof FetchStep.Url u && u.cache() instanceof SourceCaching.Forever && state.lastOffset() != null) {
            return PollResult.unchanged(PollResult.Status.UP_TO_DATE, state.head(), prev,
                    "the source is cached forever (cache: Forever) and was ingested already");
        }
        Instant now = clock.instant();
        List<Path> owned = new ArrayList<>();
        try {
            FetchOutcome fetched = fetch(source.fetch(), prev, now, o, redactor);
            if (fetched instanceof FetchOutcome.UpToDate u) {
                return PollResult.unchanged(PollResult.Status.UP_TO_DATE, state.head(), prev, redactor.clean(u.reason()));
            }
            FetchOutcome.Data data = (FetchOutcome.Data) fetched;
            if (data.owned()) owned.add(data.file());
            Path body = data.file();
            List<PrepStep> steps = source.prepare() == null ? List.of() : source.prepare();
            if (!steps.isEmpty()) {
                body = Prepare.run(steps, body, scratchDir, o, redactor);
                owned.add(body);
            } else if (!data.owned()) {
                // A local file is copied first, so a retried commit reads exactly what was fetched.
                body = copy(body);
                owned.add(body);
            }
            return ingest(ds, state.head(), source, prev, data, body, redactor.clean(data.what()));
        } catch (IOException e) {
            throw new UncheckedIOException(redactor.clean(e.getMessage()), new IOException(redactor.clean(e.toString())));
        } finally {
            for (Path p : owned) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a scratch file left behind is only garbage
                }
            }
        }
    }

    private PollResult ingest(Dataset ds, Multihash fetchedAt, MetadataEvent.SetPollingSource source, SourceState prev,
            FetchOutcome.Data data, Path body, String fetched) {
        boolean[] raced = {false};
        IngestResult r = pipeline.run(ds, IngestSource.ofFile(body), s -> {
            if (!Objects.equals(s.pollingSource(), source)) {
                throw new IngestException("the polling source of " + ds.alias() + " changed while it was polled; nothing was committed");
            }
            if (!s.head().equals(fetchedAt) && !Objects.equals(SourceStates.latest(ds, s.head()), prev)) {
                raced[0] = true;
                return IngestPipeline.Decision.done(new IngestResult(s.head(), s.head(), 0, 0, null, false, 0));
            }
            return IngestPipeline.Decision.ingest(new IngestPipeline.Plan("the polling source of " + ds.alias(), source.read(),
                    source.preprocess(), source.merge(), data.eventTime(), data.state(), null));
        });
        if (raced[0]) {
            return new PollResult(PollResult.Status.UP_TO_DATE, r.oldHead(), r.newHead(), 0, 0, null,
                    SourceStates.latest(ds, r.newHead()), false, fetched, "another poll committed this source's data first");
        }
        boolean committed = r.committed();
        return new PollResult(committed ? PollResult.Status.UPDATED : PollResult.Status.UP_TO_DATE, r.oldHead(), r.newHead(),
                r.rowsRead(), r.rowsAdded(), r.newData(), committed ? data.state() : prev, data.hasMore(), fetched,
                committed ? null : "the fetched data adds nothing new");
    }

    private FetchOutcome fetch(FetchStep step, SourceState prev, Instant now, PollOptions o, Redactor redactor) throws IOException {
        if (step instanceof FetchStep.FilesGlob g) return LocalFetch.glob(g, prev, now, o);
        FetchStep.Url u = (FetchStep.Url) step;
        if (u.url() == null || u.url().isBlank()) throw new FetchException("the Url fetch step has no url", false);
        String url = Templates.apply(u.url(), o, "the url of the Url fetch step");
        String shown = redactor.clean(url);
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new FetchException("invalid url " + shown + ": " + redactor.clean(e.getReason()), false);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        switch (scheme) {
            case "file" -> {
                Path path;
                try {
                    path = Path.of(uri);
                } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                    throw new FetchException("invalid file url " + shown + ": " + redactor.describe(e), false);
                }
                FetchOutcome f = LocalFetch.file(path, u.eventTime(), prev, now, o);
                return f instanceof FetchOutcome.Data d
                        ? new FetchOutcome.Data(d.file(), d.owned(), d.state(), d.eventTime(), d.hasMore(), shown) : f;
            }
            case "http", "https" -> {
                if (uri.getHost() == null) throw new FetchException("invalid url " + shown + ": no host", false);
                List<FetchStep.RequestHeader> headers = new ArrayList<>();
                if (u.headers() != null) {
                    for (FetchStep.RequestHeader h : u.headers()) {
                        headers.add(new FetchStep.RequestHeader(h.name(),
                                Templates.apply(h.value(), o, "header '" + h.name() + "' of the Url fetch step")));
                    }
                }
                return http.fetch(uri, shown, headers, u.eventTime(), prev, now, o, redactor, scratchDir);
            }
            default -> throw new FetchException("unsupported url scheme '" + scheme + "' in " + shown + " (http, https and file are supported)", false);
        }
    }

    /** The active polling source; a clear error when there is none or it was disabled. */
    private static MetadataEvent.SetPollingSource activeSource(Dataset ds, ChainState state) {
        if (state.pollingSource() != null) return state.pollingSource();
        for (HashedBlock b : ds.blocksFrom(state.head())) {
            if (b.block().event() instanceof MetadataEvent.DisablePollingSource) {
                throw new IngestException("the polling source of " + ds.alias() + " is disabled (DisablePollingSource at block "
                        + b.block().sequenceNumber() + "); nothing to poll");
            }
        }
        throw new IngestException("dataset " + ds.alias() + " has no polling source (SetPollingSource); nothing to poll");
    }

    private static void checkRunnable(FetchStep step) {
        if (step instanceof FetchStep.Url || step instanceof FetchStep.FilesGlob) return;
        if (step instanceof FetchStep.Container) {
            throw new UnsupportedSourceException("Container", "fetch step Container is not supported: this node does not run"
                    + " containers to fetch data (publish the data at a Url or push it instead)");
        }
        throw new UnsupportedSourceException(step.kind(), "fetch step " + step.kind() + " is stored in the dataset's metadata but"
                + " not run yet: polling " + step.kind() + " sources is not supported by this node; nothing was changed");
    }

    private Path copy(Path file) throws IOException {
        Files.createDirectories(scratchDir);
        Path copy = Files.createTempFile(scratchDir, ".fetch-", ".data");
        try {
            Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return copy;
        } catch (IOException e) {
            Files.deleteIfExists(copy);
            throw new FetchException("cannot read " + file + ": " + e.getMessage(), false);
        }
    }
}
