package dev.sluice.state.items;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;

/**
 * Table {@code <prefix>blocks}: one item per block, key (datasetId, seq). Holds the fields queries need plus the
 * exact block bytes (when under {@link #MAX_INLINE_BYTES}), so a whole chain is one paginated Query, newest first
 * with ScanIndexForward=false. Every attribute is a pure function of the block, so re-putting is harmless.
 */
@DynamoDbBean
public class BlockItem {
    /** Blocks larger than this are not inlined (DynamoDB items are capped at 400 KB); readers fetch them. */
    public static final int MAX_INLINE_BYTES = 300 * 1024;

    private String datasetId;
    private Long seq;
    private String hash;
    private String prevHash;
    private String eventKind;
    private Instant systemTime;
    private Long offsetStart;
    private Long offsetEnd;
    private Instant watermark;
    private String dataPhysical;
    private String dataLogical;
    private Long dataSize;
    private String checkpoint;
    private String sourceName;
    private List<String> inputs;
    private byte[] bytes;

    /** The table schema, built without reflection (bean introspection costs a cold start ~a third of opening the store). */
    public static final TableSchema<BlockItem> SCHEMA = StaticTableSchema.builder(BlockItem.class)
            .newItemSupplier(BlockItem::new)
            .addAttribute(String.class, a -> a.name("datasetId").getter(BlockItem::getDatasetId).setter(BlockItem::setDatasetId).tags(primaryPartitionKey()))
            .addAttribute(Long.class, a -> a.name("seq").getter(BlockItem::getSeq).setter(BlockItem::setSeq).tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name("hash").getter(BlockItem::getHash).setter(BlockItem::setHash))
            .addAttribute(String.class, a -> a.name("prevHash").getter(BlockItem::getPrevHash).setter(BlockItem::setPrevHash))
            .addAttribute(String.class, a -> a.name("eventKind").getter(BlockItem::getEventKind).setter(BlockItem::setEventKind))
            .addAttribute(Instant.class, a -> a.name("systemTime").getter(BlockItem::getSystemTime).setter(BlockItem::setSystemTime))
            .addAttribute(Long.class, a -> a.name("offsetStart").getter(BlockItem::getOffsetStart).setter(BlockItem::setOffsetStart))
            .addAttribute(Long.class, a -> a.name("offsetEnd").getter(BlockItem::getOffsetEnd).setter(BlockItem::setOffsetEnd))
            .addAttribute(Instant.class, a -> a.name("watermark").getter(BlockItem::getWatermark).setter(BlockItem::setWatermark))
            .addAttribute(String.class, a -> a.name("dataPhysical").getter(BlockItem::getDataPhysical).setter(BlockItem::setDataPhysical))
            .addAttribute(String.class, a -> a.name("dataLogical").getter(BlockItem::getDataLogical).setter(BlockItem::setDataLogical))
            .addAttribute(Long.class, a -> a.name("dataSize").getter(BlockItem::getDataSize).setter(BlockItem::setDataSize))
            .addAttribute(String.class, a -> a.name("checkpoint").getter(BlockItem::getCheckpoint).setter(BlockItem::setCheckpoint))
            .addAttribute(String.class, a -> a.name("sourceName").getter(BlockItem::getSourceName).setter(BlockItem::setSourceName))
            .addAttribute(EnhancedType.listOf(String.class), a -> a.name("inputs").getter(BlockItem::getInputs).setter(BlockItem::setInputs))
            .addAttribute(byte[].class, a -> a.name("bytes").getter(BlockItem::getBytes).setter(BlockItem::setBytes))
            .build();

    @DynamoDbPartitionKey
    public String getDatasetId() { return datasetId; }
    public void setDatasetId(String v) { datasetId = v; }
    @DynamoDbSortKey
    public Long getSeq() { return seq; }
    public void setSeq(Long v) { seq = v; }
    public String getHash() { return hash; }
    public void setHash(String v) { hash = v; }
    public String getPrevHash() { return prevHash; }
    public void setPrevHash(String v) { prevHash = v; }
    public String getEventKind() { return eventKind; }
    public void setEventKind(String v) { eventKind = v; }
    public Instant getSystemTime() { return systemTime; }
    public void setSystemTime(Instant v) { systemTime = v; }
    public Long getOffsetStart() { return offsetStart; }
    public void setOffsetStart(Long v) { offsetStart = v; }
    public Long getOffsetEnd() { return offsetEnd; }
    public void setOffsetEnd(Long v) { offsetEnd = v; }
    public Instant getWatermark() { return watermark; }
    public void setWatermark(Instant v) { watermark = v; }
    public String getDataPhysical() { return dataPhysical; }
    public void setDataPhysical(String v) { dataPhysical = v; }
    public String getDataLogical() { return dataLogical; }
    public void setDataLogical(String v) { dataLogical = v; }
    public Long getDataSize() { return dataSize; }
    public void setDataSize(Long v) { dataSize = v; }
    public String getCheckpoint() { return checkpoint; }
    public void setCheckpoint(String v) { checkpoint = v; }
    public String getSourceName() { return sourceName; }
    public void setSourceName(String v) { sourceName = v; }
    public List<String> getInputs() { return inputs; }
    public void setInputs(List<String> v) { inputs = v; }
    public byte[] getBytes() { return bytes; }
    public void setBytes(byte[] v) { bytes = v; }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BlockItem b)) return false;
        return Objects.equals(datasetId, b.datasetId) && Objects.equals(seq, b.seq) && Objects.equals(hash, b.hash)
                && Objects.equals(prevHash, b.prevHash) && Objects.equals(eventKind, b.eventKind)
                && Objects.equals(systemTime, b.systemTime) && Objects.equals(offsetStart, b.offsetStart)
                && Objects.equals(offsetEnd, b.offsetEnd) && Objects.equals(watermark, b.watermark)
                && Objects.equals(dataPhysical, b.dataPhysical) && Objects.equals(dataLogical, b.dataLogical)
                && Objects.equals(dataSize, b.dataSize) && Objects.equals(checkpoint, b.checkpoint)
                && Objects.equals(sourceName, b.sourceName) && Objects.equals(inputs, b.inputs) && Arrays.equals(bytes, b.bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(datasetId, seq, hash);
    }

    @Override
    public String toString() {
        return "BlockItem{" + datasetId + "#" + seq + " " + eventKind + " " + hash + "}";
    }
}
