package dev.sluice.state.items;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondaryPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondarySortKey;

/**
 * Table {@code <prefix>idempotency}: key = event/request id. {@code expiresAt} (epoch seconds) is the table's TTL
 * attribute; since DynamoDB deletes expired items lazily (and dynalite not at all), readers also check it. GSI
 * {@value #EXPIRY} ({@code sweepGroup}, {@code expiresAt}) lists a group's records by expiry (the group is the id's
 * prefix up to its first {@code /}, e.g. {@code tick}), so expired ones can be deleted a bounded batch at a time
 * without a Scan where no TTL deletes them.
 */
@DynamoDbBean
public class IdempotencyItem implements PositionalSchema.Item {
    public static final String TTL_ATTRIBUTE = "expiresAt";
    public static final String EXPIRY = "expiry";

    private String id;
    private String state;
    private String owner;
    private Long leaseUntil;
    private String result;
    private Long expiresAt;
    private String sweepGroup;
    private Long updatedAt;

    /** The table schema, built without reflection (bean introspection costs a cold start ~a third of opening the store) and without a lambda per attribute ({@link PositionalSchema}). */
    public static final TableSchema<IdempotencyItem> SCHEMA = PositionalSchema.builder(IdempotencyItem.class, IdempotencyItem::new)
            .add(String.class, "id", primaryPartitionKey())
            .add(String.class, "state")
            .add(String.class, "owner")
            .add(Long.class, "leaseUntil")
            .add(String.class, "result")
            .add(Long.class, "expiresAt", secondarySortKey(EXPIRY))
            .add(String.class, "sweepGroup", secondaryPartitionKey(EXPIRY))
            .add(Long.class, "updatedAt")
            .build();

    @Override
    public Object attribute(int position) {
        return switch (position) {
            case 0 -> getId();
            case 1 -> getState();
            case 2 -> getOwner();
            case 3 -> getLeaseUntil();
            case 4 -> getResult();
            case 5 -> getExpiresAt();
            case 6 -> getSweepGroup();
            case 7 -> getUpdatedAt();
            default -> throw new IndexOutOfBoundsException(position);
        };
    }

    @Override
    public void attribute(int position, Object value) {
        switch (position) {
            case 0 -> setId((String) value);
            case 1 -> setState((String) value);
            case 2 -> setOwner((String) value);
            case 3 -> setLeaseUntil((Long) value);
            case 4 -> setResult((String) value);
            case 5 -> setExpiresAt((Long) value);
            case 6 -> setSweepGroup((String) value);
            case 7 -> setUpdatedAt((Long) value);
            default -> throw new IndexOutOfBoundsException(position);
        }
    }

    @DynamoDbPartitionKey
    public String getId() { return id; }
    public void setId(String v) { id = v; }
    public String getState() { return state; }
    public void setState(String v) { state = v; }
    public String getOwner() { return owner; }
    public void setOwner(String v) { owner = v; }
    public Long getLeaseUntil() { return leaseUntil; }
    public void setLeaseUntil(Long v) { leaseUntil = v; }
    public String getResult() { return result; }
    public void setResult(String v) { result = v; }
    @DynamoDbSecondarySortKey(indexNames = EXPIRY)
    public Long getExpiresAt() { return expiresAt; }
    public void setExpiresAt(Long v) { expiresAt = v; }
    @DynamoDbSecondaryPartitionKey(indexNames = EXPIRY)
    public String getSweepGroup() { return sweepGroup; }
    public void setSweepGroup(String v) { sweepGroup = v; }
    public Long getUpdatedAt() { return updatedAt; }
    public void setUpdatedAt(Long v) { updatedAt = v; }
}
