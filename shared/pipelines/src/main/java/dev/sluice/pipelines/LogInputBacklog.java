package dev.sluice.pipelines;

import dev.sluice.flows.InputBacklog;
import dev.sluice.odf.DataSlice;
import dev.sluice.odf.DatasetId;
import dev.sluice.odf.ExecuteTransformInput;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.TransformInput;
import dev.sluice.storage.ChainRewrites;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetNotFoundException;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.HashedBlock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The reactive recheck's question answered from the log alone (storage; no table, no engine): how many input records
 * a derivative's latest ExecuteTransform has not consumed.
 *
 * <p>The derivative's chain is walked back from its head to its latest ExecuteTransform (usually the head itself),
 * which names, per input, the last block and offset it consumed; a SetTransform met first says which inputs are in
 * force (an input it names that no ExecuteTransform consumed yet starts from nothing). Per input: head equal to the
 * consumed block → 0 (one read of {@code refs/head}); else the input's last offset is read from its newest AddData or
 * ExecuteTransform block (walking back over metadata blocks only) and the difference is the backlog. Offsets that went
 * back (a reset input), or unchanged offsets with the consumed block gone from the chain (a compacted input), count as
 * 1: the transform then runs and recovers from the breaking change. Watermark-only moves count 0, as they do for the
 * trigger ({@link dev.sluice.flows.InputUpdates}).
 */
public final class LogInputBacklog implements InputBacklog {
    private final DatasetRepository repo;

    public LogInputBacklog(DatasetRepository repo) {
        this.repo = Objects.requireNonNull(repo, "repo");
    }

    @Override
    public long unconsumedRecords(String datasetId) {
        Dataset ds = repo.find(datasetId).orElse(null);
        if (ds == null) return 0; // deleted: nothing to transform (a task a recheck would not start)
        List<String> inputs = null;
        Map<DatasetId, ExecuteTransformInput> consumed = Map.of();
        for (HashedBlock b : ds.blocks()) {
            MetadataEvent e = b.block().event();
            if (e instanceof MetadataEvent.ExecuteTransform x) {
                consumed = new HashMap<>();
                List<String> ids = new ArrayList<>();
                for (ExecuteTransformInput qi : x.queryInputs()) {
                    consumed.put(qi.datasetId(), qi);
                    ids.add(qi.datasetId().toDid());
                }
                if (inputs == null) inputs = ids; // ExecuteTransform lists exactly the inputs of the SetTransform in force
                break;
            }
            if (e instanceof MetadataEvent.SetTransform st && inputs == null) {
                inputs = st.inputs().stream().map(TransformInput::datasetRef).toList();
            }
        }
        if (inputs == null) return 0; // no transform: nothing to run (a task would only fail on it)
        long total = 0;
        for (String ref : inputs) {
            Dataset input = repo.find(ref).orElseThrow(() -> new DatasetNotFoundException(ref + " (input of " + ds.alias() + ")"));
            total += unconsumed(input, consumed.get(input.id()));
        }
        return total;
    }

    /** Records of {@code input} after what {@code last} consumed (null: nothing consumed yet). */
    static long unconsumed(Dataset input, ExecuteTransformInput last) {
        Optional<Multihash> head = input.head();
        if (head.isEmpty()) return 0;
        Multihash block = last == null ? null : last.newBlockHash() != null ? last.newBlockHash() : last.prevBlockHash();
        if (head.get().equals(block)) return 0;
        long consumedOffset = last == null ? -1 : last.newOffset() != null ? last.newOffset() : last.prevOffset() != null ? last.prevOffset() : -1;
        long lastOffset = lastOffset(input, head.get());
        if (lastOffset < consumedOffset) return 1; // offsets went back: the input was reset under the derivative
        if (lastOffset > consumedOffset) return lastOffset - consumedOffset;
        // no new records; only metadata moved, unless the consumed block is gone (compaction keeps offsets)
        return block == null || ChainRewrites.containsBlock(input, block) ? 0 : 1;
    }

    /** The offset of the last record at {@code head} (-1: none), from its newest block that adds or carries data. */
    private static long lastOffset(Dataset input, Multihash head) {
        for (HashedBlock b : input.blocksFrom(head)) {
            MetadataEvent e = b.block().event();
            DataSlice data = null;
            Long prev;
            if (e instanceof MetadataEvent.AddData a) {
                data = a.newData();
                prev = a.prevOffset();
            } else if (e instanceof MetadataEvent.ExecuteTransform x) {
                data = x.newData();
                prev = x.prevOffset();
            } else {
                continue;
            }
            if (data != null) return data.offsetInterval().end();
            return prev == null ? -1 : prev;
        }
        return -1;
    }
}
