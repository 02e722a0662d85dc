package dev.sluice.state.items;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;

/**
 * Table {@code <prefix>blocks}: one item per block, key (datasetId, seq). Holds the fields queries need plus the
 * exact block bytes (when under {@link #MAX_INLINE_BYTES}), so a whole chain is one paginated Query, newest first
 * with ScanIndexForward=false. Every attribute is a pure function of the block, so re-putting is harmless.
 */
@DynamoDbBean
public class BlockItem implements PositionalSchema.Item {
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

    /** The table schema, built without reflection (bean introspection costs a cold start ~a third of opening the store) and without a lambda per attribute ({@link PositionalSchema}). */
    public static final TableSchema<BlockItem> SCHEMA = PositionalSchema.builder(BlockItem.class, BlockItem::new)
            .add(String.class, "datasetId", primaryPartitionKey())
            .add(Long.class, "seq", primarySortKey())
            .add(String.class, "hash")
            .add(String.class, "prevHash")
            .add(String.class, "eventKind")
            .add(Instant.class, "systemTime")
            .add(Long.class, "offsetStart")
            .add(Long.class, "offsetEnd")
            .add(Instant.class, "watermark")
            .add(String.class, "dataPhysical")
            .add(String.class, "dataLogical")
            .add(Long.class, "dataSize")
            .add(String.class, "checkpoint")
            .add(String.class, "sourceName")
            .add(EnhancedType.listOf(String.class), "inputs")
            .add(byte[].class, "bytes")
            .build();

    @Override
    public Object attribute(int position) {
        return switch (position) {
            case 0 -> getDatasetId();
            case 1 -> getSeq();
            case 2 -> getHash();
            case 3 -> getPrevHash();
            case 4 -> getEventKind();
            case 5 -> getSystemTime();
            case 6 -> getOffsetStart();
            case 7 -> getOffsetEnd();
            case 8 -> getWatermark();
            case 9 -> getDataPhysical();
            case 10 -> getDataLogical();
            case 11 -> getDataSize();
            case 12 -> getCheckpoint();
            case 13 -> getSourceName();
            case 14 -> getInputs();
            case 15 -> getBytes();
            default -> throw new IndexOutOfBoundsException(position);
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public void attribute(int position, Object value) {
        switch (position) {
            case 0 -> setDatasetId((String) value);
            case 1 -> setSeq((Long) value);
            case 2 -> setHash((String) value);
            case 3 -> setPrevHash((String) value);
            case 4 -> setEventKind((String) value);
            case 5 -> setSystemTime((Instant) value);
            case 6 -> setOffsetStart((Long) value);
            case 7 -> setOffsetEnd((Long) value);
            case 8 -> setWatermark((Instant) value);
            case 9 -> setDataPhysical((String) value);
            case 10 -> setDataLogical((String) value);
            case 11 -> setDataSize((Long) value);
            case 12 -> setCheckpoint((String) value);
            case 13 -> setSourceName((String) value);
            case 14 -> setInputs((List<String>) value);
            case 15 -> setBytes((byte[]) value);
            default -> throw new IndexOutOfBoundsException(position);
        }
    }

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
