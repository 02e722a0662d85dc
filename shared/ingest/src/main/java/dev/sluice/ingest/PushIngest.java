package dev.sluice.ingest;

import dev.sluice.data.OdfArrow;
import dev.sluice.data.SliceResult;
import dev.sluice.data.SliceWriter;
import dev.sluice.data.merge.MergeResult;
import dev.sluice.data.merge.MergeStrategyImpl;
import dev.sluice.data.merge.PreviousData;
import dev.sluice.data.read.RecordReader;
import dev.sluice.data.read.RecordReaders;
import dev.sluice.data.read.ReadOptions;
import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DataSlice;
import dev.sluice.odf.ExtraAttributes;
import dev.sluice.odf.MergeStrategy;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.ReadStep;
import dev.sluice.odf.Transform;
import dev.sluice.odf.chain.ChainState;
import dev.sluice.storage.CommitResult;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.HashedBlock;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Push ingest as a library call: read the body with the push source's read step (or the given media type) →
 * merge with the existing data by the source's strategy → write one Parquet slice (physical and logical hash
 * computed while writing) → store it → commit SetDataSchema (when the schema first appears or grows) and AddData.
 *
 * <p>Every step before the commit is private to this call; the commit is the one compare-and-set of the head. If
 * another writer commits first, the push is merged and written again on the new head (a Ledger or Snapshot result
 * depends on it), up to {@link #MAX_ATTEMPTS} times. An idempotency key is recorded in the AddData block's extra
 * attributes, so the log itself says whether a key was committed: the same key twice commits once.
 */
public final class PushIngest {
    /** Extra attribute holding the idempotency key of the push that produced an AddData block. */
    public static final String IDEMPOTENCY_KEY_ATTRIBUTE = "sluice.dev/idempotencyKey";
    static final int MAX_ATTEMPTS = 8;
    /** How far back the chain is searched for an idempotency key (the index makes this a lookup later). */
    static final int IDEMPOTENCY_WINDOW_BLOCKS = 10_000;

    private final Path scratchDir;
    private final SliceFiles sliceFiles;
    private final Clock clock;
    private final Preprocessor preprocessor;

    public PushIngest(Path scratchDir, Clock clock, Preprocessor preprocessor) {
        this.scratchDir = scratchDir;
        this.sliceFiles = new SliceFiles(scratchDir.resolve("slice-cache"));
        this.clock = clock;
        this.preprocessor = preprocessor;
    }

    public PushIngest(Path scratchDir, Clock clock) {
        this(scratchDir, clock, null);
    }

    public PushIngest(Path scratchDir) {
        this(scratchDir, Clock.systemUTC());
    }

    /** The same ingest with a preprocess engine for sources that have a {@code preprocess} query. */
    public PushIngest withPreprocessor(Preprocessor p) {
        return new PushIngest(scratchDir, clock, p);
    }

    /**
     * @param sourceName    push source; null when the dataset has exactly one
     * @param mediaType     format of the body (e.g. {@code text/csv}); null = the source's own read step
     * @param idempotencyKey null, or a key that makes a retried push commit once
     */
    public IngestResult ingest(Dataset ds, String sourceName, String mediaType, IngestSource body, String idempotencyKey) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 256 || idempotencyKey.chars().anyMatch(c -> c < 0x20))) {
            throw new IngestException("idempotency key must be 1–256 printable characters");
        }
        for (int attempt = 1; ; attempt++) {
            ChainState state = ds.state();
            if (idempotencyKey != null) {
                IngestResult dup = findCommitted(ds, state, idempotencyKey);
                if (dup != null) return dup;
            }
            MetadataEvent.AddPushSource source = pickSource(ds, state, sourceName);
            ReadStep step = mediaType == null ? source.read() : RecordReaders.forMediaType(source.read(), mediaType);
            if (source.preprocess() != null && !(source.preprocess() instanceof Transform.Sql && preprocessor != null)) {
                throw new IngestException("push source '" + source.sourceName() + "' has a preprocess query but no SQL engine is configured for it");
            }
            try {
                Attempt a = prepare(ds, state, source, step, body);
                try {
                    if (a.slice == null) {
                        return new IngestResult(state.head(), state.head(), a.rowsRead, 0, null, false, attempt);
                    }
                    IngestResult r = commit(ds, state, a, idempotencyKey, attempt);
                    if (r != null) return r;
                    if (attempt >= MAX_ATTEMPTS) {
                        throw new dev.sluice.storage.CommitConflictException(ds.alias(), attempt);
                    }
                } finally {
                    Files.deleteIfExists(a.file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private record Attempt(Path file, SliceResult slice, Schema schema, long rowsRead) {}

    private Attempt prepare(Dataset ds, ChainState state, MetadataEvent.AddPushSource source, ReadStep step, IngestSource body)
            throws IOException {
        Files.createDirectories(scratchDir);
        Path file = Files.createTempFile(scratchDir, ".push-", ".parquet");
        Instant now = clock.instant();
        SliceWriter.Options opts = SliceWriter.options()
                .startOffset(state.nextOffset())
                .systemTime(now)
                .fallbackEventTime(now)
                .vocabulary(state.vocab())
                .eventTimeColumn(state.vocab().eventTimeColumn());
        try (BufferAllocator allocator = new RootAllocator();
                InputStream in = body.open();
                RecordReader reader = RecordReaders.open(step, in, ReadOptions.defaults().allocator(allocator));
                Batches data = Batches.of(reader, source.preprocess(), preprocessor, allocator)) {
            opts.allocator(allocator);
            SliceResult result;
            if (source.merge() instanceof MergeStrategy.Append) {
                // Append needs no previous data: stream batches straight into the slice (bounded memory).
                try (SliceWriter w = SliceWriter.open(file, data.schema(), opts)) {
                    while (data.hasNext()) w.write(data.next());
                    result = w.finish();
                }
                return finish(file, result, reader.rowsRead());
            }
            MergeStrategyImpl merge = MergeStrategyImpl.of(source.merge(), state.vocab(), allocator);
            Iterable<VectorSchemaRoot> batches = () -> data;
            try (MergeResult merged = merge.merge(previous(ds, state), data.schema(), batches)) {
                if (merged.isEmpty()) return new Attempt(file, null, null, reader.rowsRead());
                try (SliceWriter w = SliceWriter.open(file, merged.schema(), opts.opColumn())) {
                    merged.writeTo(w);
                    result = w.finish();
                }
            }
            return finish(file, result, reader.rowsRead());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    private static Attempt finish(Path file, SliceResult result, long rowsRead) {
        if (result.rowCount() == 0) return new Attempt(file, null, null, rowsRead);
        return new Attempt(file, result, null, rowsRead);
    }

    /** Existing slices in offset order, as local files. */
    private PreviousData previous(Dataset ds, ChainState state) throws IOException {
        if (state.lastOffset() == null) return PreviousData.none();
        List<Path> files = new ArrayList<>();
        for (HashedBlock b : ds.blocksFrom(state.head())) {
            if (b.block().event() instanceof MetadataEvent.AddData a && a.newData() != null) {
                files.add(sliceFiles.local(ds, a.newData().physicalHash()));
            }
        }
        Collections.reverse(files);
        return PreviousData.ofSlices(files);
    }

    /** Returns null when another writer moved the head first (the caller redoes the push on the new head). */
    private IngestResult commit(Dataset ds, ChainState built, Attempt a, String key, int attempt) throws IOException {
        DataSlice slice = a.slice.toDataSlice();
        ds.putData(slice.physicalHash(), a.file);
        DataSchema schema = sliceSchema(a.file);
        try {
            return commitBlocks(ds, built, a, slice, schema, key, attempt);
        } catch (StaleHead | dev.sluice.storage.CommitConflictException e) {
            return null;
        }
    }

    private IngestResult commitBlocks(Dataset ds, ChainState built, Attempt a, DataSlice slice, DataSchema schema, String key, int attempt) {
        Multihash startHead = built.head();
        ChainState base = built;
        if (built.schema() == null || !built.schema().equals(schema)) {
            // The schema first appears or grows: record it before the data that uses it (additive rule checked by the validator).
            CommitResult cr = ds.commit(s -> {
                if (!s.head().equals(startHead)) throw new StaleHead();
                return new MetadataEvent.SetDataSchema(null, schema);
            }, 1);
            base = ds.stateAt(cr.newHead());
        }
        Multihash expectedHead = base.head();
        Instant watermark = max(base.watermark(), a.slice.maxEventTime());
        ExtraAttributes extra = key == null ? null : new ExtraAttributes(Map.of(IDEMPOTENCY_KEY_ATTRIBUTE, key));
        CommitResult r = ds.commit(s -> {
            if (!s.head().equals(expectedHead)) throw new StaleHead();
            return new MetadataEvent.AddData(s.lastCheckpoint(), s.lastOffset(), slice, null, watermark, null, extra);
        }, 1);
        return new IngestResult(startHead, r.newHead(), a.rowsRead, a.slice.rowCount(), slice.offsetInterval(), false, attempt);
    }

    private static DataSchema sliceSchema(Path file) throws IOException {
        try (var r = dev.sluice.data.SliceReader.open(file, null, 1)) {
            return OdfArrow.fromArrow(r.schema());
        }
    }

    private static Instant max(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.isAfter(b) ? a : b;
    }

    private static MetadataEvent.AddPushSource pickSource(Dataset ds, ChainState state, String name) {
        Map<String, MetadataEvent.AddPushSource> sources = state.pushSources();
        if (sources.isEmpty()) throw new IngestException("dataset " + ds.alias() + " has no push source");
        if (name == null) {
            if (sources.size() == 1) return sources.values().iterator().next();
            throw new IngestException("dataset " + ds.alias() + " has several push sources " + sources.keySet() + "; name one with sourceName");
        }
        MetadataEvent.AddPushSource s = sources.get(name);
        if (s == null) throw new IngestException("dataset " + ds.alias() + " has no push source '" + name + "' (it has " + sources.keySet() + ")");
        return s;
    }

    private static IngestResult findCommitted(Dataset ds, ChainState state, String key) {
        int seen = 0;
        for (HashedBlock b : ds.blocksFrom(state.head())) {
            if (++seen > IDEMPOTENCY_WINDOW_BLOCKS) break;
            if (b.block().event() instanceof MetadataEvent.AddData a && a.extra() != null
                    && Objects.equals(a.extra().entries().get(IDEMPOTENCY_KEY_ATTRIBUTE), key)) {
                long rows = a.newData() == null ? 0 : a.newData().offsetInterval().end() - a.newData().offsetInterval().start() + 1;
                return new IngestResult(state.head(), state.head(), 0, rows, a.newData() == null ? null : a.newData().offsetInterval(), true, 0);
            }
        }
        return null;
    }

    /** The head moved between reading and committing: the merged slice is stale. */
    private static final class StaleHead extends RuntimeException {
        StaleHead() {
            super(null, null, false, false);
        }
    }
}
