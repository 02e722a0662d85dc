package dev.sluice.state.items;

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
