package dev.sluice.state;

import dev.sluice.odf.DataField;
import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DatasetId;
import dev.sluice.odf.MetadataBlock;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.TransformInput;
import dev.sluice.state.items.BlockItem;
import java.util.List;
import java.util.stream.Collectors;

/** Maps a block to its index item: a pure function of (dataset, hash, block, bytes). */
public final class BlockItems {
    private BlockItems() {}

    public static BlockItem of(DatasetId id, Multihash hash, MetadataBlock block, byte[] bytes) {
        BlockItem i = new BlockItem();
        i.setDatasetId(id.toDid());
        i.setSeq(block.sequenceNumber());
        i.setHash(hash.toMultibase());
        i.setPrevHash(block.prevBlockHash() == null ? null : block.prevBlockHash().toMultibase());
        i.setEventKind(block.event().kind());
        i.setSystemTime(block.systemTime());
        MetadataEvent e = block.event();
        if (e instanceof MetadataEvent.AddData a) {
            slice(i, a.newData());
            if (a.newCheckpoint() != null) i.setCheckpoint(a.newCheckpoint().physicalHash().toMultibase());
            i.setWatermark(a.newWatermark());
        } else if (e instanceof MetadataEvent.ExecuteTransform t) {
            slice(i, t.newData());
            if (t.newCheckpoint() != null) i.setCheckpoint(t.newCheckpoint().physicalHash().toMultibase());
            i.setWatermark(t.newWatermark());
        } else if (e instanceof MetadataEvent.AddPushSource p) {
            i.setSourceName(p.sourceName());
        } else if (e instanceof MetadataEvent.DisablePushSource p) {
            i.setSourceName(p.sourceName());
        } else if (e instanceof MetadataEvent.SetTransform st) {
            i.setInputs(st.inputs().stream().map(TransformInput::datasetRef).toList());
        }
        if (bytes != null && bytes.length <= BlockItem.MAX_INLINE_BYTES) i.setBytes(bytes);
        return i;
    }

    private static void slice(BlockItem i, dev.sluice.odf.DataSlice s) {
        if (s == null) return;
        i.setOffsetStart(s.offsetInterval().start());
        i.setOffsetEnd(s.offsetInterval().end());
        i.setDataPhysical(s.physicalHash().toMultibase());
        i.setDataLogical(s.logicalHash().toMultibase());
        i.setDataSize(s.size());
    }

    /** Compact schema summary kept on the dataset item, e.g. {@code match_time:Timestamp, score:Int64}. */
    public static String schemaSummary(DataSchema schema) {
        if (schema == null) return null;
        List<DataField> fields = schema.fields();
        return fields.stream().map(f -> f.name() + ":" + f.type().getClass().getSimpleName()).collect(Collectors.joining(", "));
    }
}
