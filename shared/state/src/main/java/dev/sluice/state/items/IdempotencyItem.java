package dev.sluice.state.items;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;
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
public class IdempotencyItem {
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

    /** The table schema, built without reflection (bean introspection costs a cold start ~a third of opening the store). */
    public static final TableSchema<IdempotencyItem> SCHEMA = StaticTableSchema.builder(IdempotencyItem.class)
            .newItemSupplier(IdempotencyItem::new)
            .addAttribute(String.class, a -> a.name("id").getter(IdempotencyItem::getId).setter(IdempotencyItem::setId).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("state").getter(IdempotencyItem::getState).setter(IdempotencyItem::setState))
            .addAttribute(String.class, a -> a.name("owner").getter(IdempotencyItem::getOwner).setter(IdempotencyItem::setOwner))
            .addAttribute(Long.class, a -> a.name("leaseUntil").getter(IdempotencyItem::getLeaseUntil).setter(IdempotencyItem::setLeaseUntil))
            .addAttribute(String.class, a -> a.name("result").getter(IdempotencyItem::getResult).setter(IdempotencyItem::setResult))
            .addAttribute(Long.class, a -> a.name("expiresAt").getter(IdempotencyItem::getExpiresAt).setter(IdempotencyItem::setExpiresAt).tags(secondarySortKey(EXPIRY)))
            .addAttribute(String.class, a -> a.name("sweepGroup").getter(IdempotencyItem::getSweepGroup).setter(IdempotencyItem::setSweepGroup).tags(secondaryPartitionKey(EXPIRY)))
            .addAttribute(Long.class, a -> a.name("updatedAt").getter(IdempotencyItem::getUpdatedAt).setter(IdempotencyItem::setUpdatedAt))
            .build();

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
