package dev.sluice.odf.chain;

import dev.sluice.odf.DataField;
import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DataSlice;
import dev.sluice.odf.DatasetId;
import dev.sluice.odf.DatasetKind;
import dev.sluice.odf.ExecuteTransformInput;
import dev.sluice.odf.MetadataBlock;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.OdfFormatException;
import dev.sluice.odf.Transform;
import dev.sluice.odf.TransformInput;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * ODF chain rules, checked when a block is appended (and when a stored chain is verified): Seed first and once,
 * contiguous sequence numbers, prev-hash links, monotonic system time and watermark, offset and checkpoint
 * continuity, per-event rules, AddData only on roots, ExecuteTransform only on derivatives, no no-op events.
 */
public final class ChainValidator {
    private ChainValidator() {}

    /** Validates {@code block} (stored under {@code hash}) as the next block after {@code prev} (null = empty chain) and returns the new state. */
    public static ChainState append(ChainState prev, Multihash hash, MetadataBlock block) {
        long seq = block.sequenceNumber();
        MetadataEvent event = block.event();
        if (prev == null) {
            if (!(event instanceof MetadataEvent.Seed seed)) fail(seq, "first block must be Seed, got " + event.kind());
            else {
                if (seq != 0) fail(seq, "Seed block must have sequence number 0");
                if (block.prevBlockHash() != null) fail(seq, "Seed block must not have prevBlockHash");
                if (seed.datasetId() == null || seed.datasetKind() == null) fail(seq, "Seed needs datasetId and datasetKind");
                return ChainState.seeded(hash, block.systemTime(), seed);
            }
        }
        if (event instanceof MetadataEvent.Seed) fail(seq, "Seed may only be the first block");
        if (seq != prev.sequenceNumber() + 1) {
            fail(seq, "sequence number must be " + (prev.sequenceNumber() + 1) + " (previous block is #" + prev.sequenceNumber() + ")");
        }
        if (!prev.head().equals(block.prevBlockHash())) {
            fail(seq, "prevBlockHash " + block.prevBlockHash() + " does not link to the previous block " + prev.head());
        }
        if (block.systemTime().isBefore(prev.lastSystemTime())) {
            fail(seq, "systemTime " + block.systemTime() + " is before the previous block's " + prev.lastSystemTime());
        }
        validateEvent(prev, seq, event);
        return prev.apply(hash, block.systemTime(), seq, event);
    }

    private static void validateEvent(ChainState s, long seq, MetadataEvent event) {
        if (event instanceof MetadataEvent.AddData e) {
            if (s.kind() != DatasetKind.Root) fail(seq, "AddData is only allowed on root datasets");
            validateDataEvent(s, seq, e.prevOffset(), e.newData(), e.prevCheckpoint(), e.newCheckpoint() == null ? null : e.newCheckpoint().physicalHash(), e.newWatermark());
            boolean sourceStateChanged = e.newSourceState() != null;
            if (e.newData() == null && e.newCheckpoint() == null && !sourceStateChanged && Objects.equals(e.newWatermark(), s.watermark())) {
                fail(seq, "AddData changes nothing (no data, checkpoint, watermark or source state)");
            }
        } else if (event instanceof MetadataEvent.ExecuteTransform e) {
            if (s.kind() != DatasetKind.Derivative) fail(seq, "ExecuteTransform is only allowed on derivative datasets");
            if (s.transform() == null) fail(seq, "ExecuteTransform before any SetTransform");
            validateDataEvent(s, seq, e.prevOffset(), e.newData(), e.prevCheckpoint(), e.newCheckpoint() == null ? null : e.newCheckpoint().physicalHash(), e.newWatermark());
            validateQueryInputs(s, seq, e);
        } else if (event instanceof MetadataEvent.SetTransform e) {
            if (s.kind() != DatasetKind.Derivative) fail(seq, "SetTransform is only allowed on derivative datasets");
            if (e.inputs() == null || e.inputs().isEmpty()) fail(seq, "SetTransform needs at least one input");
            Set<String> aliases = new HashSet<>();
            for (TransformInput in : e.inputs()) {
                if (!DatasetId.looksLikeId(in.datasetRef())) {
                    fail(seq, "SetTransform input '" + in.datasetRef() + "' must be resolved to a did:odf dataset id");
                }
                try {
                    DatasetId.parse(in.datasetRef());
                } catch (OdfFormatException ex) {
                    fail(seq, ex.getMessage());
                }
                if (in.alias() == null || in.alias().isBlank()) fail(seq, "SetTransform input " + in.datasetRef() + " needs an alias");
                if (!aliases.add(in.alias())) fail(seq, "SetTransform input alias '" + in.alias() + "' is used twice");
            }
            if (!(e.transform() instanceof Transform.Sql sql)) fail(seq, "SetTransform needs a transform");
            else {
                if (sql.engine() == null || sql.engine().isBlank()) fail(seq, "SetTransform needs an engine");
                if (sql.query() != null) fail(seq, "SetTransform in a block must use 'queries', not the 'query' shorthand");
                if (sql.queries() == null || sql.queries().isEmpty()) fail(seq, "SetTransform needs at least one query");
            }
        } else if (event instanceof MetadataEvent.AddPushSource e) {
            if (s.kind() != DatasetKind.Root) fail(seq, "AddPushSource is only allowed on root datasets");
            if (e.sourceName() == null || e.sourceName().isBlank()) fail(seq, "AddPushSource needs a sourceName");
            if (e.read() == null) fail(seq, "AddPushSource needs a read step");
            if (e.merge() == null) fail(seq, "AddPushSource needs a merge strategy");
        } else if (event instanceof MetadataEvent.DisablePushSource e) {
            if (!s.pushSources().containsKey(e.sourceName())) fail(seq, "DisablePushSource: no push source named '" + e.sourceName() + "'");
        } else if (event instanceof MetadataEvent.SetPollingSource e) {
            if (s.kind() != DatasetKind.Root) fail(seq, "SetPollingSource is only allowed on root datasets");
            if (e.fetch() == null || e.read() == null || e.merge() == null) fail(seq, "SetPollingSource needs fetch, read and merge");
        } else if (event instanceof MetadataEvent.DisablePollingSource) {
            if (s.pollingSource() == null) fail(seq, "DisablePollingSource: no polling source is set");
        } else if (event instanceof MetadataEvent.SetDataSchema e) {
            if (e.schema() == null && e.rawArrowSchema() == null) fail(seq, "SetDataSchema needs a schema");
            if (e.schema() != null && s.schema() != null) validateSchemaEvolution(seq, s.schema(), e.schema());
        } else if (event instanceof MetadataEvent.SetVocab e) {
            if (e.offsetColumn() == null && e.operationTypeColumn() == null && e.systemTimeColumn() == null && e.eventTimeColumn() == null) {
                fail(seq, "SetVocab sets nothing");
            }
        } else if (event instanceof MetadataEvent.SetLicense e) {
            if (e.shortName() == null || e.name() == null || e.websiteUrl() == null) fail(seq, "SetLicense needs shortName, name and websiteUrl");
        } else if (event instanceof MetadataEvent.SetAttachments e) {
            if (e.attachments() == null) fail(seq, "SetAttachments needs attachments");
        }
    }

    private static void validateDataEvent(ChainState s, long seq, Long prevOffset, DataSlice newData, Multihash prevCheckpoint,
            Multihash newCheckpoint, Instant newWatermark) {
        if (!Objects.equals(prevOffset, s.lastOffset())) {
            fail(seq, "prevOffset " + prevOffset + " must equal the last offset of the chain (" + s.lastOffset() + ")");
        }
        if (newData != null) {
            long start = newData.offsetInterval().start();
            long end = newData.offsetInterval().end();
            if (start != s.nextOffset()) fail(seq, "new data must start at offset " + s.nextOffset() + ", got " + start);
            if (end < start) fail(seq, "offset interval [" + start + ", " + end + "] is empty or reversed");
            if (newData.physicalHash() == null || newData.logicalHash() == null) fail(seq, "new data needs physical and logical hashes");
            if (newData.size() <= 0) fail(seq, "new data has size " + newData.size());
        }
        if (!Objects.equals(prevCheckpoint, s.lastCheckpoint())) {
            fail(seq, "prevCheckpoint " + prevCheckpoint + " must equal the last checkpoint (" + s.lastCheckpoint() + ")");
        }
        if (s.watermark() != null) {
            if (newWatermark == null) fail(seq, "watermark cannot be unset once set (last " + s.watermark() + ")");
            else if (newWatermark.isBefore(s.watermark())) {
                fail(seq, "watermark " + newWatermark + " moves backwards from " + s.watermark());
            }
        }
    }

    private static void validateQueryInputs(ChainState s, long seq, MetadataEvent.ExecuteTransform e) {
        Map<DatasetId, Boolean> expected = new HashMap<>();
        for (TransformInput in : s.transform().inputs()) expected.put(DatasetId.parse(in.datasetRef()), false);
        if (e.queryInputs() == null || e.queryInputs().size() != expected.size()) {
            fail(seq, "ExecuteTransform must list exactly the " + expected.size() + " inputs of SetTransform");
        }
        for (ExecuteTransformInput qi : e.queryInputs()) {
            if (!expected.containsKey(qi.datasetId())) fail(seq, "ExecuteTransform input " + qi.datasetId() + " is not an input of SetTransform");
            if (expected.put(qi.datasetId(), true)) fail(seq, "ExecuteTransform lists input " + qi.datasetId() + " twice");
            if (qi.newOffset() != null && qi.prevOffset() != null && qi.newOffset() < qi.prevOffset()) {
                fail(seq, "input " + qi.datasetId() + " offset interval moves backwards");
            }
        }
    }

    /** Additive evolution only: every existing field keeps its name and type. */
    static void validateSchemaEvolution(long seq, DataSchema old, DataSchema neu) {
        Map<String, DataField> byName = new HashMap<>();
        for (DataField f : neu.fields()) byName.put(f.name(), f);
        for (DataField f : old.fields()) {
            DataField n = byName.get(f.name());
            if (n == null) fail(seq, "schema change drops column '" + f.name() + "' (only additive changes are allowed)");
            else if (!Objects.equals(n.type(), f.type())) {
                fail(seq, "schema change alters the type of column '" + f.name() + "' from " + f.type() + " to " + n.type());
            }
        }
    }

    private static void fail(long seq, String message) {
        throw new ChainValidationException(seq, message);
    }
}
