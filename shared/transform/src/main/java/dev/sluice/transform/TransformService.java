package dev.sluice.transform;

import dev.sluice.storage.LocalFiles;
import dev.sluice.data.OdfArrow;
import dev.sluice.data.SliceReader;
import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineProvisioner;
import dev.sluice.engine.TransformRequest;
import dev.sluice.engine.TransformRequestInput;
import dev.sluice.engine.TransformResponse;
import dev.sluice.odf.Checkpoint;
import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DataSlice;
import dev.sluice.odf.DatasetId;
import dev.sluice.odf.DatasetKind;
import dev.sluice.odf.ExecuteTransformInput;
import dev.sluice.odf.ExtraAttributes;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.Transform;
import dev.sluice.odf.TransformInput;
import dev.sluice.odf.chain.ChainState;
import dev.sluice.storage.CommitConflictException;
import dev.sluice.storage.CommitResult;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetNotFoundException;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.HashedBlock;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The transform coordinator: brings a derivative dataset up to date with its inputs, one step per input block.
 *
 * <p><b>Steps.</b> Per input, the blocks after the one the derivative last consumed (its latest ExecuteTransform
 * records it) are read; a block that adds data or moves the watermark is a step. Of all inputs' next steps the
 * oldest (block system time, then input order) runs first, consuming that block and the metadata blocks before it.
 * So the derivative's chain is a function of its inputs' chains alone — not of when or how often transforms were
 * triggered — and resetting it and transforming again rebuilds the same data, byte for byte. For the same reason the
 * system time stamped on output rows is the system time of the input block the step consumed, not the clock's
 * (the block itself carries the commit time).
 *
 * <p><b>One step.</b> Build the ODF TransformRequest (new slices of the advancing input, every input's watermarks, the
 * previous checkpoint, next offset; the slices consumed earlier too if the engine recomputes), run it on the engine
 * the provisioner gives for the manifest's dialect, hash the output slice and checkpoint, store them, then commit
 * (SetDataSchema when the output schema first appears or grows, then) ExecuteTransform with the query inputs' block
 * and offset intervals and extra attributes naming the engine and its exact build. Every commit is conditional on
 * the head the step was planned on: a concurrent transform that commits first makes this one re-plan, so no step is
 * ever committed twice. The SetDataSchema and the ExecuteTransform go in with one head swap, after the slice,
 * checkpoint and blocks were stored (concurrently). A step that produces no rows still commits (inputs advanced; watermark, checkpoint) so the
 * same input block is never processed again.
 *
 * <p>Nothing new in any input: no block ("up to date"). An input whose chain lost the block last consumed:
 * {@link InputBreakingChangeException}; {@link #reset} then transform again.
 */
public final class TransformService {
    public static final String ENGINE_ATTRIBUTE = "sluice.dev/engine";
    public static final String ENGINE_BUILD_ATTRIBUTE = "sluice.dev/engineBuild";
    /** Present when the engine stood in for another dialect (e.g. DuckDB for risingwave): the manifest's dialect. */
    public static final String DIALECT_ATTRIBUTE = "sluice.dev/dialect";
    static final int MAX_REPLANS = 16;

    private final DatasetRepository repo;
    private final EngineProvisioner engines;
    private final Path scratchDir;
    private final Clock clock;
    private final InputChains chains;

    public TransformService(DatasetRepository repo, EngineProvisioner engines, Path scratchDir, Clock clock) {
        this.repo = repo;
        this.engines = engines;
        this.scratchDir = scratchDir;
        this.clock = clock;
        this.chains = new InputChains(scratchDir);
    }

    public TransformResult transform(String datasetRef) {
        return transform(repo.get(datasetRef), Integer.MAX_VALUE);
    }

    /**
     * Runs steps until the derivative is up to date or {@code maxSteps} were committed (a bounded call for functions
     * with a time limit; the result says whether more is pending).
     */
    public TransformResult transform(Dataset ds, int maxSteps) {
        ChainState start = derivativeState(ds);
        List<TransformResult.Step> steps = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int replans = 0;
        while (true) {
            ChainState state = ds.state();
            Plan plan = plan(ds, state);
            if (plan.waitingFor != null || plan.step == null) {
                return new TransformResult(ds.alias(), start.head(), state.head(), steps, plan.step == null && plan.waitingFor == null,
                        plan.waitingFor, notes);
            }
            if (steps.size() >= maxSteps) return new TransformResult(ds.alias(), start.head(), state.head(), steps, false, null, notes);
            Instant began = clock.instant();
            TransformResult.Step done = runStep(ds, state, plan, notes);
            if (done == null) {
                if (++replans > MAX_REPLANS) throw new CommitConflictException(ds.alias(), replans);
                continue; // another transform committed first: plan again from its head
            }
            steps.add(done);
            notes.add("step " + done.block().shortForm() + ": input " + done.input() + " block " + done.inputBlock().shortForm()
                    + (done.newData() == null ? ", no new rows" : ", rows " + done.newData().start() + ".." + done.newData().end())
                    + " in " + Duration.between(began, clock.instant()).toMillis() + " ms");
        }
    }

    private ChainState derivativeState(Dataset ds) {
        ChainState s = ds.state();
        if (s.kind() != DatasetKind.Derivative) throw new InvalidTransformException(ds.alias() + " is a root dataset; only derivatives are transformed");
        if (s.transform() == null) throw new InvalidTransformException(ds.alias() + " has no SetTransform");
        return s;
    }

    // ---- planning ---------------------------------------------------------------------------------------------------

    /** The next step, or why there is none. */
    record Plan(MetadataEvent.SetTransform transform, List<InputChains.Range> ranges, InputChains.Range step, String waitingFor,
            List<InputChains.View> views) {}

    Plan plan(Dataset ds, ChainState state) {
        MetadataEvent.SetTransform st = state.transform();
        if (st == null) throw new InvalidTransformException(ds.alias() + " has no SetTransform");
        Map<DatasetId, ExecuteTransformInput> last = lastConsumed(ds, state);
        List<InputChains.Range> idle = new ArrayList<>();
        InputChains.Range best = null;
        int bestIndex = -1;
        List<Multihash> heads = new ArrayList<>();
        for (int i = 0; i < st.inputs().size(); i++) {
            TransformInput in = st.inputs().get(i);
            Dataset input = repo.find(in.datasetRef()).orElseThrow(() -> new DatasetNotFoundException(in.datasetRef() + " (input '" + in.alias() + "' of " + ds.alias() + ")"));
            ExecuteTransformInput prev = last.get(input.id());
            Multihash prevBlock = prev == null ? null : prev.newBlockHash() != null ? prev.newBlockHash() : prev.prevBlockHash();
            Long prevOffset = prev == null ? null : prev.newOffset() != null ? prev.newOffset() : prev.prevOffset();
            Multihash head = input.head().orElseThrow(() -> new DatasetNotFoundException(in.datasetRef()));
            List<HashedBlock> newer = InputChains.between(input, prevBlock, head);
            if (newer == null) throw new InputBreakingChangeException(ds.alias(), in.alias(), input.id(), prevBlock);
            heads.add(head);
            idle.add(new InputChains.Range(input, in.alias(), prevBlock, null, prevOffset, List.of()));
            // The first block that adds data or moves the watermark ends this input's next step.
            Instant wm = chains.factsAt(input, prevBlock).watermark();
            for (int k = 0; k < newer.size(); k++) {
                HashedBlock b = newer.get(k);
                Instant bw = InputChains.watermarkOf(b);
                if (InputChains.dataOf(b) != null || (bw != null && !bw.equals(wm))) {
                    InputChains.Range r = new InputChains.Range(input, in.alias(), prevBlock, b.hash(), prevOffset, newer.subList(0, k + 1));
                    if (best == null || b.block().systemTime().isBefore(best.blocks().get(best.blocks().size() - 1).block().systemTime())) {
                        best = r;
                        bestIndex = i;
                    }
                    break;
                }
            }
        }
        if (best == null) return new Plan(st, idle, null, null, List.of());
        List<InputChains.Range> ranges = new ArrayList<>(idle);
        ranges.set(bestIndex, best);
        List<InputChains.View> views = new ArrayList<>();
        for (int i = 0; i < ranges.size(); i++) {
            InputChains.Range r = ranges.get(i);
            InputChains.View v = chains.viewFor(r.ds(), r.position(), heads.get(i));
            if (v == null) {
                return new Plan(st, ranges, best, "input '" + r.queryAlias() + "' (" + r.ds().alias() + ") has no data schema yet", List.of());
            }
            views.add(v);
        }
        return new Plan(st, ranges, best, null, views);
    }

    /** Per input, the query input of the derivative's latest ExecuteTransform (absent: nothing consumed yet). */
    static Map<DatasetId, ExecuteTransformInput> lastConsumed(Dataset ds, ChainState state) {
        Map<DatasetId, ExecuteTransformInput> out = new LinkedHashMap<>();
        for (HashedBlock b : ds.blocksFrom(state.head())) {
            if (b.block().event() instanceof MetadataEvent.ExecuteTransform x) {
                for (ExecuteTransformInput qi : x.queryInputs()) out.put(qi.datasetId(), qi);
                break;
            }
        }
        return out;
    }

    // ---- one step ---------------------------------------------------------------------------------------------------

    /** Returns null when the head moved before the commit (the caller plans again). */
    private TransformResult.Step runStep(Dataset ds, ChainState state, Plan plan, List<String> notes) {
        Transform.Sql sql = sqlOf(ds, plan.transform());
        Engine engine = engineFor(sql);
        boolean standIn = !engine.name().equalsIgnoreCase(sql.engine());
        Path dir = workDir();
        try {
            StepOutput out = execute(ds, state, plan.transform(), sql, engine, plan.ranges(), plan.views(), systemTimeOf(plan.ranges()), dir);
            if (standIn) {
                notes.add("the " + sql.engine() + " transform of " + ds.alias() + " ran on the " + engine.name() + " engine (" + engine.build()
                        + "): no " + sql.engine() + " engine is provisioned and " + engine.name() + " accepts this query");
            }
            Multihash planned = state.head();
            List<Dataset.StagedFile> files = new ArrayList<>();
            if (out.data != null) files.add(ds.stagedData(out.data.physicalHash(), out.dataFile));
            if (out.checkpoint != null) files.add(ds.stagedCheckpoint(out.checkpoint.physicalHash(), out.checkpointFile));
            List<ExecuteTransformInput> queryInputs = plan.ranges().stream().map(InputChains.Range::executeInput).toList();
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put(ENGINE_ATTRIBUTE, engine.name());
            extra.put(ENGINE_BUILD_ATTRIBUTE, engine.build());
            if (standIn) extra.put(DIALECT_ATTRIBUTE, sql.engine());
            boolean newSchema = out.schema != null && !out.schema.equals(state.schema());
            // One compare-and-set for both blocks: the schema (when it first appears or grows) before the data using it.
            // The slice, checkpoint and blocks are stored side by side before it.
            List<CommitResult> rs = ds.commitAll(files, s -> {
                if (!s.head().equals(planned)) throw new StaleHead();
                Instant wm = max(s.watermark(), out.watermark);
                MetadataEvent.ExecuteTransform x = new MetadataEvent.ExecuteTransform(queryInputs, s.lastCheckpoint(), s.lastOffset(), out.data,
                        out.checkpoint, wm, new ExtraAttributes(extra));
                return newSchema ? List.of(new MetadataEvent.SetDataSchema(null, out.schema), x) : List.of(x);
            }, 1);
            CommitResult r = rs.get(rs.size() - 1);
            return new TransformResult.Step(r.newHead(), plan.step().queryAlias(), plan.step().next(),
                    out.data == null ? null : out.data.offsetInterval(), engine.name(), engine.build());
        } catch (StaleHead | CommitConflictException e) {
            return null;
        } finally {
            LocalFiles.deleteTree(dir);
        }
    }

    /** The engine's answer for one step, hashed. */
    record StepOutput(DataSlice data, Path dataFile, Checkpoint checkpoint, Path checkpointFile, Instant watermark, DataSchema schema) {}

    /**
     * Runs one step on {@code engine} into {@code dir} and hashes what it wrote (shared with the verifier, which re-runs
     * committed steps exactly like this).
     */
    StepOutput execute(Dataset ds, ChainState state, MetadataEvent.SetTransform st, Transform.Sql sql, Engine engine,
            List<InputChains.Range> ranges, List<InputChains.View> views, Instant systemTime, Path dir) {
        try {
            Files.createDirectories(dir);
            boolean withPrior = engine.recomputes(sql);
            List<TransformRequestInput> inputs = new ArrayList<>();
            for (int i = 0; i < ranges.size(); i++) inputs.add(chains.requestInput(ranges.get(i), views.get(i), withPrior));
            Path prevCheckpoint = InputChains.checkpointFile(ds, state.lastCheckpoint(), dir);
            Path dataFile = dir.resolve("out.parquet");
            Path checkpointFile = dir.resolve("out.checkpoint");
            TransformRequest req = new TransformRequest(ds.id(), ds.alias(), systemTime, state.vocab(), sql, inputs, state.nextOffset(),
                    prevCheckpoint, checkpointFile, dataFile);
            TransformResponse resp = engine.transform(req);
            if (resp instanceof TransformResponse.InvalidQuery q) {
                if (!engine.name().equalsIgnoreCase(sql.engine())) {
                    throw new EngineNotAvailableException(sql.engine(), "engine " + sql.engine() + " not available: no " + sql.engine()
                            + " engine is provisioned, and the " + engine.name() + " engine that stands in for it cannot run this query: " + q.message());
                }
                throw new InvalidTransformException("the transform of " + ds.alias() + " is invalid: " + q.message());
            }
            if (resp instanceof TransformResponse.InternalError e) {
                throw new EngineFailedException("the " + engine.name() + " engine failed on " + ds.alias() + ": " + e.message());
            }
            TransformResponse.Success ok = (TransformResponse.Success) resp;
            DataSlice data = null;
            DataSchema schema = null;
            if (ok.newOffsetInterval() != null) {
                if (ok.newOffsetInterval().start() != state.nextOffset()) {
                    throw new EngineFailedException("the engine wrote offsets from " + ok.newOffsetInterval().start() + ", expected " + state.nextOffset());
                }
                data = ok.newData() != null ? reported(ok, dataFile) : hashed(ok, dataFile);
                schema = OdfArrow.fromArrow(SliceReader.schemaOf(dataFile));
            }
            Checkpoint checkpoint = null;
            if (Files.isRegularFile(checkpointFile)) {
                FileHash ch = FileHash.of(checkpointFile);
                checkpoint = new Checkpoint(ch.hash, ch.size);
            }
            return new StepOutput(data, dataFile, checkpoint, checkpointFile, ok.newWatermark(), schema);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The slice as the engine described it. An engine that reports hashes computed them from the bytes as it wrote them
     * ({@code SliceWriter}), so the file is not read again (that was ~15% of a stateless step's CPU); what it says must
     * still agree with the file's size and the offsets it reported. {@code verify} re-hashes stored slices.
     */
    private static DataSlice reported(TransformResponse.Success ok, Path dataFile) throws IOException {
        DataSlice d = ok.newData();
        long size = Files.size(dataFile);
        if (d.physicalHash() == null || d.logicalHash() == null || d.size() != size || !ok.newOffsetInterval().equals(d.offsetInterval())) {
            throw new EngineFailedException("the engine reported slice " + d + " but wrote " + size + " bytes at offsets " + ok.newOffsetInterval());
        }
        return d;
    }

    /** The slice hashed here: for engines that report only offsets (the ODF protocol). */
    private static DataSlice hashed(TransformResponse.Success ok, Path dataFile) throws IOException {
        FileHash fh = FileHash.of(dataFile);
        return new DataSlice(SliceReader.logicalHash(dataFile), fh.hash, ok.newOffsetInterval(), fh.size);
    }

    /** The system time of a step's output rows: that of the newest input block it consumes (reproducible). */
    static Instant systemTimeOf(List<InputChains.Range> ranges) {
        Instant t = null;
        for (InputChains.Range r : ranges) {
            for (HashedBlock b : r.blocks()) {
                Instant s = b.block().systemTime();
                if (t == null || s.isAfter(t)) t = s;
            }
        }
        return t;
    }

    static Transform.Sql sqlOf(Dataset ds, MetadataEvent.SetTransform st) {
        if (!(st.transform() instanceof Transform.Sql sql)) throw new InvalidTransformException(ds.alias() + " has a transform that is not SQL");
        return sql;
    }

    Engine engineFor(Transform.Sql sql) {
        return engines.engineFor(sql.engine()).orElseThrow(() -> new EngineNotAvailableException(sql.engine(),
                "engine " + sql.engine() + " not available: no engine for the " + sql.engine() + " dialect is provisioned"));
    }

    Path workDir() {
        return scratchDir.resolve("transform").resolve(UUID.randomUUID().toString());
    }

    InputChains chains() {
        return chains;
    }

    DatasetRepository repository() {
        return repo;
    }

    // ---- reset ------------------------------------------------------------------------------------------------------

    /**
     * Takes a derivative back to its metadata: the chain is cut before its first ExecuteTransform (and the output
     * SetDataSchema the transform wrote with it), and the metadata events that came later (SetInfo, a new SetTransform…)
     * are re-appended; transform again to recompute the data. Fails with {@link CommitConflictException} if the
     * dataset changes meanwhile. The cut blocks and data stay in storage as garbage. Commit listeners (the state index)
     * are told through {@code headReplaced}, as for compaction.
     */
    public ResetResult reset(Dataset ds) {
        ChainState state = derivativeState(ds);
        List<HashedBlock> chain = new ArrayList<>();
        for (HashedBlock b : ds.blocksFrom(state.head())) chain.add(0, b);
        int first = -1;
        for (int i = 0; i < chain.size(); i++) {
            MetadataEvent e = chain.get(i).block().event();
            if (e instanceof MetadataEvent.ExecuteTransform || e instanceof MetadataEvent.SetDataSchema) {
                first = i;
                break;
            }
        }
        if (first < 0) return new ResetResult(ds.alias(), state.head(), state.head(), 0, 0);
        List<MetadataEvent> kept = new ArrayList<>();
        for (int i = first; i < chain.size(); i++) {
            MetadataEvent e = chain.get(i).block().event();
            if (!(e instanceof MetadataEvent.ExecuteTransform) && !(e instanceof MetadataEvent.SetDataSchema)) kept.add(e);
        }
        CommitResult r = ds.resetTo(state.head(), chain.get(first - 1).hash(), kept);
        return new ResetResult(ds.alias(), state.head(), r.newHead(), chain.size() - first, kept.size());
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    /** The head moved between planning and committing. */
    private static final class StaleHead extends RuntimeException {
        StaleHead() {
            super(null, null, false, false);
        }
    }

    record FileHash(Multihash hash, long size) {
        static FileHash of(Path f) throws IOException {
            var md = Multihash.newSha3();
            long size = 0;
            byte[] buf = new byte[1 << 16];
            try (InputStream in = Files.newInputStream(f)) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                    size += n;
                }
            }
            return new FileHash(new Multihash(Multihash.SHA3_256, md.digest()), size);
        }
    }


    static Instant max(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.isAfter(b) ? a : b;
    }

}
