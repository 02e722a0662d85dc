package dev.sluice.compaction;

import dev.sluice.ingest.PushIngest;
import dev.sluice.odf.DataSlice;
import dev.sluice.odf.DatasetVocabulary;
import dev.sluice.odf.ExtraAttributes;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.chain.ChainState;
import dev.sluice.odf.chain.ChainValidator;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.HashedBlock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Groups a chain's AddData blocks into runs to merge, following kamu's {@code CompactionPlannerImpl}:
 *
 * <ul>
 *   <li><b>What breaks a run.</b> Every event other than AddData: SetDataSchema (slices on either side have
 *       different schemas), AddPushSource / DisablePushSource / SetPollingSource / DisablePollingSource (source
 *       changes), SetVocab (system column names), SetInfo / SetLicense / SetAttachments. Such blocks are kept, in
 *       place, so the rewritten chain has the same metadata history. An AddData without data (watermark or
 *       source-state only) does not break a run: it joins it, and the merged block carries its watermark and state.
 *   <li><b>Limits.</b> A run gathers slices while the sum of their sizes stays ≤ {@code maxSliceSize} and the
 *       sum of their records ≤ {@code maxSliceRecords} (a slice over a limit on its own stays alone), as kamu does.
 *       The sizes are those recorded in the blocks; the merged file is usually smaller, so compacting again with
 *       a size limit can merge further, while a record limit is a fixed point.
 *   <li><b>Direction.</b> Runs are filled oldest first (kamu fills them newest first): the prefix of the chain up to
 *       the first run is reused unchanged, and after more pushes a later compaction rewrites only the tail from the
 *       last partly filled run.
 *   <li><b>Sluice additions</b> (so nothing recorded is lost): a run also breaks where blocks carry source state of
 *       different sources, or different extra attributes; an AddData carrying a push idempotency key younger than
 *       the retention stays unmerged (a retried push must still find its key).
 * </ul>
 *
 * A run of one block is kept as it is. The plan is a no-op when every step is a keep.
 */
final class CompactionPlanner {
    private CompactionPlanner() {}

    /** Plans from {@code head}; {@code now} decides which idempotency keys are still retained. */
    static CompactionPlan plan(Dataset ds, Multihash head, CompactionOptions opts, Instant now) {
        List<HashedBlock> chain = new ArrayList<>();
        for (HashedBlock b : ds.blocksFrom(head)) chain.add(b);
        Collections.reverse(chain);
        Instant keyCutoff = now.minus(opts.idempotencyRetention());

        List<CompactionPlan.Step> steps = new ArrayList<>();
        ChainState state = null;
        Run run = null;
        for (HashedBlock b : chain) {
            ChainState before = state;
            state = ChainValidator.append(state, b.hash(), b.block()); // the vocabulary in force; re-checks the chain
            MetadataEvent e = b.block().event();
            boolean dataEvent = e instanceof MetadataEvent.AddData || e instanceof MetadataEvent.ExecuteTransform;
            if (opts.keepMetadataOnly() && dataEvent) {
                run = close(run, steps);
                steps.add(new CompactionPlan.Drop(b));
            } else if (e instanceof MetadataEvent.AddData a && !retainsKey(b, a, keyCutoff)) {
                if (run != null && !run.accepts(a, opts)) run = close(run, steps);
                if (run == null) run = new Run(before.vocab());
                run.add(b, a);
            } else {
                run = close(run, steps);
                steps.add(new CompactionPlan.Keep(b));
            }
        }
        close(run, steps);
        return new CompactionPlan(head, List.copyOf(chain), List.copyOf(steps));
    }

    private static boolean retainsKey(HashedBlock b, MetadataEvent.AddData a, Instant cutoff) {
        return a.extra() != null && a.extra().entries().containsKey(PushIngest.IDEMPOTENCY_KEY_ATTRIBUTE)
                && !b.block().systemTime().isBefore(cutoff);
    }

    private static Run close(Run run, List<CompactionPlan.Step> steps) {
        if (run == null) return null;
        if (run.blocks.size() == 1) steps.add(new CompactionPlan.Keep(run.blocks.get(0)));
        else steps.add(new CompactionPlan.Merge(List.copyOf(run.blocks), run.vocab));
        return null;
    }

    /** Extra attributes that must agree within a run: all but the push idempotency key (dropped when merged). */
    static Map<String, Object> mergeableExtra(ExtraAttributes extra) {
        Map<String, Object> m = new TreeMap<>(extra == null ? Map.of() : extra.entries());
        m.remove(PushIngest.IDEMPOTENCY_KEY_ATTRIBUTE);
        return m;
    }

    static long records(DataSlice s) {
        return s.offsetInterval().end() - s.offsetInterval().start() + 1;
    }

    /** A run being gathered. */
    private static final class Run {
        final DatasetVocabulary vocab;
        final List<HashedBlock> blocks = new ArrayList<>();
        Map<String, Object> extra;
        String sourceName;
        int slices;
        long bytes;
        long records;

        Run(DatasetVocabulary vocab) {
            this.vocab = vocab;
        }

        boolean accepts(MetadataEvent.AddData a, CompactionOptions opts) {
            DataSlice d = a.newData();
            if (d != null && slices > 0 && (bytes + d.size() > opts.maxSliceSize() || records + records(d) > opts.maxSliceRecords())) {
                return false;
            }
            if (a.newSourceState() != null && sourceName != null && !sourceName.equals(a.newSourceState().sourceName())) return false;
            return Objects.equals(extra, mergeableExtra(a.extra()));
        }

        void add(HashedBlock b, MetadataEvent.AddData a) {
            if (blocks.isEmpty()) extra = mergeableExtra(a.extra());
            blocks.add(b);
            if (a.newSourceState() != null) sourceName = a.newSourceState().sourceName();
            if (a.newData() != null) {
                slices++;
                bytes += a.newData().size();
                records += records(a.newData());
            }
        }
    }
}
