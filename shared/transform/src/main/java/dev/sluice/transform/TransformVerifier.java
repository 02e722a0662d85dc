package dev.sluice.transform;

import dev.sluice.engine.Engine;
import dev.sluice.odf.DataSlice;
import dev.sluice.odf.DatasetId;
import dev.sluice.odf.ExecuteTransformInput;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.Transform;
import dev.sluice.odf.TransformInput;
import dev.sluice.odf.chain.ChainState;
import dev.sluice.odf.chain.ChainValidator;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.HashedBlock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.Objects;

/**
 * {@code verify --recompute}: re-runs every ExecuteTransform of a derivative, in a scratch folder, from exactly what
 * the block says it consumed (input block ranges, previous checkpoint, next offset), and compares the physical and
 * logical hashes of the output slice, and the checkpoint's hash, with the block. Deletes and commits nothing. A
 * mismatch means the data does not follow from the inputs by this transform (or the engine build changed — the
 * report names the build each block recorded).
 */
public final class TransformVerifier {
    private final TransformService service;

    public TransformVerifier(TransformService service) {
        this.service = service;
    }

    /** One ExecuteTransform block re-run. */
    public record BlockCheck(long sequenceNumber, Multihash block, Outcome outcome, List<String> details) {
        public BlockCheck {
            details = List.copyOf(details);
        }
    }

    public enum Outcome { MATCH, MISMATCH, ERROR }

    public record Report(String dataset, List<BlockCheck> blocks) {
        public Report {
            blocks = List.copyOf(blocks);
        }

        public boolean ok() {
            return blocks.stream().allMatch(b -> b.outcome() == Outcome.MATCH);
        }
    }

    public Report verify(Dataset ds) {
        List<HashedBlock> chain = new ArrayList<>();
        for (HashedBlock b : ds.blocks()) chain.add(0, b);
        List<BlockCheck> checks = new ArrayList<>();
        Map<DatasetId, Set<Multihash>> inputChains = new HashMap<>();
        ChainState state = null;
        for (HashedBlock b : chain) {
            if (b.block().event() instanceof MetadataEvent.ExecuteTransform x) checks.add(check(ds, state, b, x, inputChains));
            state = ChainValidator.append(state, b.hash(), b.block());
        }
        return new Report(ds.alias(), checks);
    }

    private BlockCheck check(Dataset ds, ChainState before, HashedBlock b, MetadataEvent.ExecuteTransform x,
            Map<DatasetId, Set<Multihash>> inputChains) {
        long seq = b.block().sequenceNumber();
        Path dir = service.workDir();
        try {
            MetadataEvent.SetTransform st = before.transform();
            Transform.Sql sql = TransformService.sqlOf(ds, st);
            List<InputChains.Range> ranges = new ArrayList<>();
            List<InputChains.View> views = new ArrayList<>();
            for (TransformInput in : st.inputs()) {
                DatasetId id = DatasetId.parse(in.datasetRef());
                ExecuteTransformInput qi = x.queryInputs().stream().filter(q -> q.datasetId().equals(id)).findFirst().orElse(null);
                if (qi == null) return new BlockCheck(seq, b.hash(), Outcome.ERROR, List.of("the block does not list input " + in.alias()));
                Dataset input = service.repository().find(id.toDid()).orElse(null);
                if (input == null) return new BlockCheck(seq, b.hash(), Outcome.ERROR, List.of("input " + in.alias() + " (" + id + ") is not in this repository"));
                Multihash head = input.head().orElseThrow();
                List<HashedBlock> blocks = List.of();
                if (qi.newBlockHash() != null) {
                    blocks = InputChains.between(input, qi.prevBlockHash(), qi.newBlockHash());
                    Set<Multihash> onChain = inputChains.computeIfAbsent(id, k -> {
                        Set<Multihash> hashes = new HashSet<>();
                        for (HashedBlock h : input.blocksFrom(head)) hashes.add(h.hash());
                        return hashes;
                    });
                    if (blocks == null || !onChain.contains(qi.newBlockHash())) {
                        return new BlockCheck(seq, b.hash(), Outcome.ERROR, List.of("input " + in.alias() + " no longer has the blocks this step consumed"
                                + " (its history was rewritten)"));
                    }
                }
                InputChains.Range r = new InputChains.Range(input, in.alias(), qi.prevBlockHash(), qi.newBlockHash(), qi.prevOffset(), blocks);
                ranges.add(r);
                InputChains.View v = service.chains().viewFor(input, r.position(), head);
                if (v == null) return new BlockCheck(seq, b.hash(), Outcome.ERROR, List.of("input " + in.alias() + " has no data schema"));
                views.add(v);
            }
            Engine engine = service.engineFor(sql);
            var systemTime = TransformService.systemTimeOf(ranges);
            TransformService.StepOutput out = service.execute(ds, before, st, sql, engine, ranges, views,
                    systemTime != null ? systemTime : b.block().systemTime(), dir);
            List<String> diffs = new ArrayList<>();
            compare(x.newData(), out.data(), diffs);
            Multihash wantCp = x.newCheckpoint() == null ? null : x.newCheckpoint().physicalHash();
            Multihash gotCp = out.checkpoint() == null ? null : out.checkpoint().physicalHash();
            if (!Objects.equals(wantCp, gotCp)) diffs.add("checkpoint: block has " + wantCp + ", recomputed " + gotCp);
            Object recorded = x.extra() == null ? null : x.extra().entries().get(TransformService.ENGINE_BUILD_ATTRIBUTE);
            if (!diffs.isEmpty() && recorded != null && !recorded.equals(engine.build())) {
                diffs.add("the block was written by " + recorded + ", recomputed with " + engine.build());
            }
            return new BlockCheck(seq, b.hash(), diffs.isEmpty() ? Outcome.MATCH : Outcome.MISMATCH, diffs);
        } catch (TransformException | IllegalStateException | java.io.UncheckedIOException e) {
            return new BlockCheck(seq, b.hash(), Outcome.ERROR, List.of(String.valueOf(e.getMessage())));
        } finally {
            dev.sluice.storage.LocalFiles.deleteTree(dir);
        }
    }

    private static void compare(DataSlice want, DataSlice got, List<String> diffs) {
        if (want == null && got == null) return;
        if (want == null || got == null) {
            diffs.add("data: block has " + (want == null ? "none" : want.offsetInterval()) + ", recomputed " + (got == null ? "none" : got.offsetInterval()));
            return;
        }
        if (!want.offsetInterval().equals(got.offsetInterval())) diffs.add("offsets: block has " + want.offsetInterval() + ", recomputed " + got.offsetInterval());
        if (!want.logicalHash().equals(got.logicalHash())) diffs.add("logical hash: block has " + want.logicalHash() + ", recomputed " + got.logicalHash());
        if (!want.physicalHash().equals(got.physicalHash())) diffs.add("physical hash: block has " + want.physicalHash() + ", recomputed " + got.physicalHash());
    }
}
