package dev.sluice.odf.chain;

import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DatasetId;
import dev.sluice.odf.DatasetKind;
import dev.sluice.odf.DatasetVocabulary;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything needed to validate and build the next block of a chain, folded forward from Seed. Immutable: {@link
 * #apply} returns a new state. Keeping it per head lets writers validate an append without re-reading the chain.
 */
public record ChainState(
        Multihash head,
        long sequenceNumber,
        Instant lastSystemTime,
        DatasetId datasetId,
        DatasetKind kind,
        Instant watermark,
        Long lastOffset,
        Multihash lastCheckpoint,
        DataSchema schema,
        byte[] rawArrowSchema,
        Map<String, MetadataEvent.AddPushSource> pushSources,
        MetadataEvent.SetPollingSource pollingSource,
        MetadataEvent.SetTransform transform,
        DatasetVocabulary vocab) {

    public ChainState {
        pushSources = Map.copyOf(pushSources);
    }

    /** State of a chain that contains only the given Seed block. */
    static ChainState seeded(Multihash hash, Instant systemTime, MetadataEvent.Seed seed) {
        return new ChainState(hash, 0, systemTime, seed.datasetId(), seed.datasetKind(), null, null, null, null, null,
                Map.of(), null, null, DatasetVocabulary.DEFAULT);
    }

    /** The offset the next data record gets. */
    public long nextOffset() {
        return lastOffset == null ? 0 : lastOffset + 1;
    }

    public long nextSequenceNumber() {
        return sequenceNumber + 1;
    }

    /** Folds an already validated block into the state. */
    ChainState apply(Multihash hash, Instant systemTime, long seq, MetadataEvent event) {
        Instant wm = watermark;
        Long off = lastOffset;
        Multihash cp = lastCheckpoint;
        DataSchema sch = schema;
        byte[] raw = rawArrowSchema;
        Map<String, MetadataEvent.AddPushSource> push = pushSources;
        MetadataEvent.SetPollingSource poll = pollingSource;
        MetadataEvent.SetTransform tr = transform;
        DatasetVocabulary voc = vocab;
        if (event instanceof MetadataEvent.AddData e) {
            if (e.newData() != null) off = e.newData().offsetInterval().end();
            cp = e.newCheckpoint() == null ? null : e.newCheckpoint().physicalHash();
            if (e.newWatermark() != null) wm = e.newWatermark();
        } else if (event instanceof MetadataEvent.ExecuteTransform e) {
            if (e.newData() != null) off = e.newData().offsetInterval().end();
            cp = e.newCheckpoint() == null ? null : e.newCheckpoint().physicalHash();
            if (e.newWatermark() != null) wm = e.newWatermark();
        } else if (event instanceof MetadataEvent.SetDataSchema e) {
            sch = e.schema();
            raw = e.rawArrowSchema();
        } else if (event instanceof MetadataEvent.AddPushSource e) {
            Map<String, MetadataEvent.AddPushSource> m = new TreeMap<>(push);
            m.put(e.sourceName(), e);
            push = m;
        } else if (event instanceof MetadataEvent.DisablePushSource e) {
            Map<String, MetadataEvent.AddPushSource> m = new TreeMap<>(push);
            m.remove(e.sourceName());
            push = m;
        } else if (event instanceof MetadataEvent.SetPollingSource e) {
            poll = e;
        } else if (event instanceof MetadataEvent.DisablePollingSource) {
            poll = null;
        } else if (event instanceof MetadataEvent.SetTransform e) {
            tr = e;
        } else if (event instanceof MetadataEvent.SetVocab e) {
            voc = DatasetVocabulary.of(e);
        }
        return new ChainState(hash, seq, systemTime, datasetId, kind, wm, off, cp, sch, raw, push, poll, tr, voc);
    }

    public List<String> pushSourceNames() {
        return List.copyOf(pushSources.keySet());
    }
}
