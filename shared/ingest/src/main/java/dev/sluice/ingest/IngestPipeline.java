package dev.sluice.ingest;

import dev.sluice.data.OdfArrow;
import dev.sluice.data.SliceResult;
import dev.sluice.data.SliceWriter;
import dev.sluice.data.merge.MergeResult;
import dev.sluice.data.merge.MergeStrategyImpl;
import dev.sluice.data.merge.PreviousData;
import dev.sluice.data.read.ReadOptions;
import dev.sluice.data.read.RecordReader;
import dev.sluice.data.read.RecordReaders;
import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DataSlice;
import dev.sluice.odf.ExtraAttributes;
import dev.sluice.odf.MergeStrategy;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.ReadStep;
import dev.sluice.odf.SourceState;
import dev.sluice.odf.Transform;
import dev.sluice.odf.chain.ChainState;
import dev.sluice.storage.CommitConflictException;
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
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The one write path of root datasets, shared by push and polling ingest: read the body with the source's read step
 * → preprocess → merge with the existing data by the source's strategy → write one Parquet slice (physical and
 * logical hash computed while writing) → store it → commit SetDataSchema (when the schema first appears or grows)
 * and AddData (carrying the source's new state, if it has one).
 *
 * <p>Every step before the commit is private to the call; the commit is the one compare-and-set of the head. If
 * another writer commits first, the body is merged and written again on the new head (a Ledger or Snapshot result
 * depends on it), up to {@link #MAX_ATTEMPTS} times. What an attempt does is decided by the caller from the chain
 * state that attempt builds on ({@link Decision}), so a retry sees the current sources, keys and source state.
 */
public final class IngestPipeline {
    static final int MAX_ATTEMPTS = 8;

    private final Path scratchDir;
    private final SliceFiles sliceFiles;
    private final Clock clock;
    private final Preprocessor preprocessor;

    public IngestPipeline(Path scratchDir, Clock clock, Preprocessor preprocessor) {
        this.scratchDir = scratchDir;
        this.sliceFiles = new SliceFiles(scratchDir.resolve("slice-cache"));
        this.clock = clock;
        this.preprocessor = preprocessor;
    }

    /**
     * How one attempt ingests the body.
     *
     * @param source         what the source is called in messages, e.g. {@code push source 'default'}
     * @param eventTime      event time of rows whose event-time column is missing; null = the system time
     * @param newSourceState committed with the data, or alone when the merge adds nothing; null = none
     * @param extra          extra attributes of the AddData block; null = none
     */
    public record Plan(String source, ReadStep read, Transform preprocess, MergeStrategy merge, Instant eventTime,
            SourceState newSourceState, ExtraAttributes extra) {}

    /** The caller's decision for an attempt: ingest by a plan, or stop with a result (nothing is written). */
    public sealed interface Decision {
        record Ingest(Plan plan) implements Decision {}

        record Done(IngestResult result) implements Decision {}

        static Decision ingest(Plan plan) {
            return new Ingest(plan);
        }

        static Decision done(IngestResult result) {
            return new Done(result);
        }
    }

    /**
     * Ingests {@code body} into {@code ds}. {@code decide} is called once per attempt with the chain state it builds
     * on; it may throw (e.g. {@link IngestException}) to abort without writing.
     */
    public IngestResult run(Dataset ds, IngestSource body, Function<ChainState, Decision> decide) {
        for (int attempt = 1; ; attempt++) {
            ChainState state = ds.state();
            Decision d = decide.apply(state);
            if (d instanceof Decision.Done done) return done.result();
            Plan plan = ((Decision.Ingest) d).plan();
            if (plan.preprocess() != null && !(plan.preprocess() instanceof Transform.Sql && preprocessor != null)) {
                throw new IngestException(plan.source() + " has a preprocess query but no SQL engine is configured for it");
            }
            try {
                Attempt a = prepare(ds, state, plan, body);
                try {
                    if (a.slice == null && plan.newSourceState() == null) {
                        return new IngestResult(state.head(), state.head(), a.rowsRead, 0, null, false, attempt);
                    }
                    IngestResult r = commit(ds, state, plan, a, attempt);
                    if (r != null) return r;
                    if (attempt >= MAX_ATTEMPTS) throw new CommitConflictException(ds.alias(), attempt);
                } finally {
                    Files.deleteIfExists(a.file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** {@code schema}: the slice file's, as a reader derives it from the footer (null without a slice). */
    private record Attempt(Path file, SliceResult slice, DataSchema schema, long rowsRead) {}

    private Attempt prepare(Dataset ds, ChainState state, Plan plan, IngestSource body) throws IOException {
        Files.createDirectories(scratchDir);
        Path file = Files.createTempFile(scratchDir, ".ingest-", ".parquet");
        Instant now = clock.instant();
        SliceWriter.Options opts = SliceWriter.options()
                .startOffset(state.nextOffset())
                .systemTime(now)
                .fallbackEventTime(plan.eventTime() == null ? now : plan.eventTime())
                .vocabulary(state.vocab())
                .eventTimeColumn(state.vocab().eventTimeColumn());
        try (BufferAllocator allocator = new RootAllocator();
                InputStream in = body.open();
                RecordReader reader = RecordReaders.open(plan.read(), in, ReadOptions.defaults().allocator(allocator));
                Batches data = Batches.of(reader, plan.preprocess(), preprocessor, allocator)) {
            opts.allocator(allocator);
            SliceResult result;
            if (plan.merge() instanceof MergeStrategy.Append) {
                // Append needs no previous data: stream batches straight into the slice (bounded memory).
                try (SliceWriter w = SliceWriter.open(file, data.schema(), opts)) {
                    while (data.hasNext()) w.write(data.next());
                    result = w.finish();
                    return finish(file, result, w, reader.rowsRead());
                }
            }
            MergeStrategyImpl merge = MergeStrategyImpl.of(plan.merge(), state.vocab(), allocator);
            Iterable<VectorSchemaRoot> batches = () -> data;
            try (MergeResult merged = merge.merge(previous(ds, state), data.schema(), batches)) {
                if (merged.isEmpty()) return new Attempt(file, null, null, reader.rowsRead());
                try (SliceWriter w = SliceWriter.open(file, merged.schema(), opts.opColumn())) {
                    merged.writeTo(w);
                    result = w.finish();
                    return finish(file, result, w, reader.rowsRead());
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    private static Attempt finish(Path file, SliceResult result, SliceWriter w, long rowsRead) {
        if (result.rowCount() == 0) return new Attempt(file, null, null, rowsRead);
        return new Attempt(file, result, OdfArrow.fromArrow(w.fileSchema()), rowsRead);
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

    /** Returns null when another writer moved the head first (the caller redoes the attempt on the new head). */
    private IngestResult commit(Dataset ds, ChainState built, Plan plan, Attempt a, int attempt) throws IOException {
        DataSlice slice = null;
        DataSchema schema = null;
        if (a.slice != null) {
            slice = a.slice.toDataSlice();
            ds.putData(slice.physicalHash(), a.file);
            schema = a.schema;
        }
        try {
            return commitBlocks(ds, built, plan, a, slice, schema, attempt);
        } catch (StaleHead | CommitConflictException e) {
            return null;
        }
    }

    private IngestResult commitBlocks(Dataset ds, ChainState built, Plan plan, Attempt a, DataSlice slice, DataSchema schema, int attempt) {
        Multihash startHead = built.head();
        ChainState base = built;
        if (schema != null && (built.schema() == null || !built.schema().equals(schema))) {
            // The schema first appears or grows: record it before the data that uses it (additive rule checked by the validator).
            DataSchema s0 = schema;
            CommitResult cr = ds.commit(s -> {
                if (!s.head().equals(startHead)) throw new StaleHead();
                return new MetadataEvent.SetDataSchema(null, s0);
            }, 1);
            base = ds.stateAt(cr.newHead());
        }
        Multihash expectedHead = base.head();
        // The watermark never moves back and, once set, is carried by every AddData (also one with no new data).
        Instant watermark = a.slice == null ? base.watermark() : max(base.watermark(), a.slice.maxEventTime());
        DataSlice data = slice;
        CommitResult r = ds.commit(s -> {
            if (!s.head().equals(expectedHead)) throw new StaleHead();
            return new MetadataEvent.AddData(s.lastCheckpoint(), s.lastOffset(), data, null, watermark, plan.newSourceState(), plan.extra());
        }, 1);
        long added = a.slice == null ? 0 : a.slice.rowCount();
        return new IngestResult(startHead, r.newHead(), a.rowsRead, added, slice == null ? null : slice.offsetInterval(), false, attempt);
    }

    private static Instant max(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.isAfter(b) ? a : b;
    }

    /** The head moved between reading and committing: the merged slice is stale. */
    private static final class StaleHead extends RuntimeException {
        StaleHead() {
            super(null, null, false, false);
        }
    }
}
