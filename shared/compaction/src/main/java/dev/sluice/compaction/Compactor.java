package dev.sluice.compaction;

import dev.sluice.data.SliceResult;
import dev.sluice.ingest.SliceFiles;
import dev.sluice.odf.DataSlice;
import dev.sluice.odf.DatasetKind;
import dev.sluice.odf.ExtraAttributes;
import dev.sluice.odf.MetadataBlock;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.odf.SourceState;
import dev.sluice.odf.chain.ChainState;
import dev.sluice.odf.chain.ChainValidationException;
import dev.sluice.odf.chain.ChainValidator;
import dev.sluice.odf.codec.BlockCodec;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetLayout;
import dev.sluice.storage.DatasetNotFoundException;
import dev.sluice.storage.HashedBlock;
import dev.sluice.storage.HeadMovedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Hard compaction of a root dataset (kamu's {@code HardCompaction}): merges runs of consecutive small AddData
 * slices into bigger ones and rewrites the chain. The data does not change — same rows, same offsets, in the same
 * order — but every block from the first merged run on gets a new hash, so derivatives that recorded input blocks
 * see a breaking change ({@link dev.sluice.storage.ChainRewrites#containsBlock}).
 *
 * <p>One attempt: plan from the head ({@link CompactionPlanner}) → write the merged slices → build the new blocks
 * (the prefix before the first run is reused as is; every later block is re-linked with new prev hashes and
 * sequence numbers, keeping its event and system time; a merged block takes the first block's prevOffset and
 * prevCheckpoint and the last one's watermark, source state, checkpoint and system time) and validate them with
 * {@link ChainValidator} → write the blocks → {@link Dataset#replaceHead} from the planned head. A commit that
 * landed meanwhile makes the swap fail: {@link CompactionConflictException}, nothing changed;
 * {@link #compact(Dataset, CompactionOptions, int)} re-plans and tries again. Old objects are left for GC.
 */
public final class Compactor {
    private final Path scratchDir;
    private final Clock clock;
    private final CompactionListener listener;

    /** @param scratchDir where merged slices are written (and remote slices fetched to) before upload; cleaned up after */
    public Compactor(Path scratchDir, Clock clock, CompactionListener listener) {
        this.scratchDir = Objects.requireNonNull(scratchDir, "scratchDir");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    public Compactor(Path scratchDir) {
        this(scratchDir, Clock.systemUTC(), CompactionListener.NONE);
    }

    /** One attempt; throws {@link CompactionConflictException} if another commit moves the head meanwhile. */
    public CompactionReport compact(Dataset ds, CompactionOptions options) {
        return attempt(ds, options, 1);
    }

    /** Up to {@code maxAttempts} attempts, re-planning from the new head after each conflict. */
    public CompactionReport compact(Dataset ds, CompactionOptions options, int maxAttempts) {
        if (maxAttempts < 1) throw new CompactionException("maxAttempts must be at least 1");
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(ds, options, attempt);
            } catch (CompactionConflictException e) {
                if (attempt >= maxAttempts) throw e;
            }
        }
    }

    private CompactionReport attempt(Dataset ds, CompactionOptions opts, int attempt) {
        Multihash head = ds.head().orElseThrow(() -> new DatasetNotFoundException(ds.alias()));
        ChainState state = ds.stateAt(head);
        if (state.kind() != DatasetKind.Root && !opts.keepMetadataOnly()) {
            throw new CompactionException("dataset " + ds.alias() + " is a derivative: hard compaction applies to root datasets only"
                    + " (a derivative's data is rebuilt by its transform)");
        }
        listener.beginPhase(CompactionListener.Phase.PLAN);
        CompactionPlan plan = CompactionPlanner.plan(ds, head, opts, clock.instant());
        int blocksBefore = plan.chain().size();
        int slicesBefore = (int) plan.chain().stream().filter(b -> dataOf(b.block().event()) != null).count();
        if (plan.isNoop()) {
            return new CompactionReport(ds.alias(), head, head, blocksBefore, blocksBefore, slicesBefore, slicesBefore, 0, attempt);
        }
        Path work = null;
        try {
            Files.createDirectories(scratchDir);
            work = Files.createTempDirectory(scratchDir, "compact-");
            listener.beginPhase(CompactionListener.Phase.MERGE_SLICES);
            Rewrite r = rewrite(ds, plan, work);
            listener.beginPhase(CompactionListener.Phase.WRITE_BLOCKS);
            for (HashedBlock b : r.written) ds.store().putIfAbsent(DatasetLayout.block(ds.id(), b.hash()), b.bytes());
            listener.beginPhase(CompactionListener.Phase.SWAP_HEAD);
            try {
                ds.replaceHead(head, r.head);
            } catch (HeadMovedException e) {
                throw new CompactionConflictException(ds.alias(), head, e.actual(), attempt);
            }
            return new CompactionReport(ds.alias(), head, r.head, blocksBefore, r.blocks, slicesBefore, r.slices, r.merged, attempt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (work != null) deleteTree(work);
        }
    }

    /** The rewritten chain: blocks to write (oldest first), its head, and its block / slice / merged-block counts. */
    private record Rewrite(List<HashedBlock> written, Multihash head, int blocks, int slices, int merged) {}

    private Rewrite rewrite(Dataset ds, CompactionPlan plan, Path work) throws IOException {
        SliceFiles sliceFiles = new SliceFiles(work.resolve("slices"));
        List<CompactionPlan.Step> steps = plan.steps();
        int first = plan.firstChange(); // ≥ 1: the Seed is always kept
        ChainState st = null;
        int blocks = 0;
        int slices = 0;
        int merged = 0;
        List<HashedBlock> written = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            CompactionPlan.Step step = steps.get(i);
            MetadataEvent event;
            Instant time;
            if (step instanceof CompactionPlan.Drop) {
                continue;
            } else if (step instanceof CompactionPlan.Keep k) {
                if (i < first) { // the unchanged prefix: reused as is
                    st = ChainValidator.append(st, k.block().hash(), k.block().block());
                    blocks++;
                    if (dataOf(k.block().block().event()) != null) slices++;
                    continue;
                }
                event = k.block().block().event();
                time = k.block().block().systemTime();
            } else {
                CompactionPlan.Merge m = (CompactionPlan.Merge) step;
                event = mergedEvent(ds, m, sliceFiles, work.resolve("merged-" + i + ".parquet"));
                time = m.blocks().get(m.blocks().size() - 1).block().systemTime();
                merged++;
            }
            MetadataBlock block = new MetadataBlock(time, st.head(), st.nextSequenceNumber(), event);
            byte[] bytes = BlockCodec.encode(block);
            Multihash hash = Multihash.sha3(bytes);
            try {
                st = ChainValidator.append(st, hash, block);
            } catch (ChainValidationException e) {
                throw new CompactionException("the compacted chain of " + ds.alias() + " would break a chain rule, nothing was changed: "
                        + e.getMessage(), e);
            }
            written.add(new HashedBlock(hash, block, bytes));
            blocks++;
            if (dataOf(event) != null) slices++;
        }
        return new Rewrite(written, st.head(), blocks, slices, merged);
    }

    /** One AddData for a run: its slices concatenated (offsets unchanged), bounded by its first and last block. */
    private static MetadataEvent.AddData mergedEvent(Dataset ds, CompactionPlan.Merge m, SliceFiles sliceFiles, Path out) throws IOException {
        List<MetadataEvent.AddData> events = new ArrayList<>();
        for (HashedBlock b : m.blocks()) events.add((MetadataEvent.AddData) b.block().event());
        MetadataEvent.AddData first = events.get(0);
        MetadataEvent.AddData last = events.get(events.size() - 1);
        List<DataSlice> parts = events.stream().map(MetadataEvent.AddData::newData).filter(Objects::nonNull).toList();
        DataSlice data;
        if (parts.isEmpty()) {
            data = null;
        } else if (parts.size() == 1) {
            data = parts.get(0); // only watermark/state blocks joined it: the slice itself is reused
        } else {
            data = mergeSlices(ds, m, parts, sliceFiles, out);
        }
        Instant watermark = null;
        SourceState sourceState = null;
        for (MetadataEvent.AddData e : events) { // newest non-null wins, as in kamu
            if (e.newWatermark() != null) watermark = e.newWatermark();
            if (e.newSourceState() != null) sourceState = e.newSourceState();
        }
        Map<String, Object> extra = CompactionPlanner.mergeableExtra(first.extra()); // equal across the run
        return new MetadataEvent.AddData(first.prevCheckpoint(), first.prevOffset(), data, last.newCheckpoint(), watermark,
                sourceState, extra.isEmpty() ? null : new ExtraAttributes(extra));
    }

    private static DataSlice mergeSlices(Dataset ds, CompactionPlan.Merge m, List<DataSlice> parts, SliceFiles sliceFiles, Path out)
            throws IOException {
        long firstSeq = m.blocks().get(0).block().sequenceNumber();
        long lastSeq = m.blocks().get(m.blocks().size() - 1).block().sequenceNumber();
        String what = "blocks #" + firstSeq + "..#" + lastSeq + " of " + ds.alias();
        List<Path> files = new ArrayList<>();
        for (DataSlice p : parts) files.add(sliceFiles.local(ds, p.physicalHash()));
        long start = parts.get(0).offsetInterval().start();
        long end = parts.get(parts.size() - 1).offsetInterval().end();
        try {
            SliceResult r = SliceMerger.merge(files, start, m.vocab(), out, what);
            if (!new OffsetInterval(start, end).equals(r.offsetInterval())) {
                throw new CompactionException("merged slice of " + what + " holds offsets " + r.offsetInterval() + ", its blocks say ["
                        + start + ", " + end + "]");
            }
            ds.putData(r.physicalHash(), out);
            return r.toDataSlice();
        } finally {
            Files.deleteIfExists(out);
            for (Path f : files) if (f.startsWith(out.getParent())) Files.deleteIfExists(f); // fetched copies, not in-place files
        }
    }

    private static DataSlice dataOf(MetadataEvent e) {
        if (e instanceof MetadataEvent.AddData a) return a.newData();
        if (e instanceof MetadataEvent.ExecuteTransform x) return x.newData();
        return null;
    }

    private static void deleteTree(Path dir) {
        try {
            dev.sluice.storage.LocalFiles.deleteTree(dir);
        } catch (java.io.UncheckedIOException ignored) {
            // scratch space only; nothing refers to it
        }
    }
}
