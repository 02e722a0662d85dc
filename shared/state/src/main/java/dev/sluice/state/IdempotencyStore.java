package dev.sluice.state;

import dev.sluice.state.items.IdempotencyItem;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.DeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Idempotency records for at-least-once delivery. A handler calls {@link #begin}; only a {@link Status#NEW} or
 * {@link Status#TAKEN_OVER} outcome lets it do the work, then {@link #complete} stores the result (later deliveries
 * get {@link Status#COMPLETED} with it). Every transition is one conditional write, so two deliveries racing for the
 * same id cannot both own it. A lease that runs out (its holder died) is reclaimed by the next {@code begin}.
 *
 * <p>Records expire {@code retention} after their last write (TTL attribute {@code expiresAt}); an expired record is
 * treated as absent even while DynamoDB has not deleted it yet. Where no TTL deletes them (dynalite, a table without
 * TTL), {@link #sweepExpired} deletes a bounded batch of one group's expired records per call (GSI
 * {@value IdempotencyItem#EXPIRY}), so a caller that adds records regularly (the scheduler's tick) also removes them.
 */
public final class IdempotencyStore {
    public enum Status { NEW, IN_PROGRESS, COMPLETED, TAKEN_OVER }

    /**
     * Outcome of {@link #begin}. {@code owner} is the lease token to pass to {@link #complete} (NEW, TAKEN_OVER);
     * {@code result} is set for COMPLETED; {@code leaseUntil} for IN_PROGRESS is when the other holder's lease ends.
     */
    public record Begin(String id, Status status, String owner, String result, long leaseUntil) {
        public boolean mayProceed() {
            return status == Status.NEW || status == Status.TAKEN_OVER;
        }
    }

    /** {@link #complete} or {@link #release} by someone whose lease was taken over meanwhile. */
    public static final class LeaseLostException extends RuntimeException {
        public LeaseLostException(String id) {
            super("idempotency lease on " + id + " is no longer held by this owner");
        }
    }

    static final String IN_PROGRESS = "IN_PROGRESS";
    static final String COMPLETED = "COMPLETED";

    private final StateTables tables;
    private final Clock clock;
    private final Duration retention;

    public IdempotencyStore(StateTables tables, Clock clock, Duration retention) {
        this.tables = tables;
        this.clock = clock;
        this.retention = retention;
    }

    public IdempotencyStore(StateTables tables, Clock clock) {
        this(tables, clock, Duration.ofDays(1));
    }

    public Begin begin(String id, Duration leaseDuration) {
        Objects.requireNonNull(id, "id");
        for (int attempt = 0; attempt < 16; attempt++) {
            long now = clock.millis();
            String owner = UUID.randomUUID().toString();
            IdempotencyItem fresh = item(id, IN_PROGRESS, owner, now + leaseDuration.toMillis(), null, now);
            // 1. claim an absent (or expired) record
            try {
                tables.idempotency.putItem(PutItemEnhancedRequest.builder(IdempotencyItem.class).item(fresh)
                        .conditionExpression(Expression.builder()
                                .expression("attribute_not_exists(#id) OR expiresAt < :nowSec")
                                .expressionNames(Map.of("#id", "id"))
                                .expressionValues(Map.of(":nowSec", num(now / 1000))).build())
                        .build());
                return new Begin(id, Status.NEW, owner, null, fresh.getLeaseUntil());
            } catch (ConditionalCheckFailedException exists) {
                // read it below
            }
            IdempotencyItem cur = tables.idempotency.getItem(GetItemEnhancedRequest.builder()
                    .key(Key.builder().partitionValue(id).build()).consistentRead(true).build());
            if (cur == null || expired(cur, now)) continue; // deleted or expired meanwhile: try to claim again
            if (COMPLETED.equals(cur.getState())) return new Begin(id, Status.COMPLETED, null, cur.getResult(), 0);
            if (cur.getLeaseUntil() != null && cur.getLeaseUntil() > now) {
                return new Begin(id, Status.IN_PROGRESS, null, null, cur.getLeaseUntil());
            }
            // 2. the holder's lease ran out: take it over, conditional on still being that holder's record
            try {
                tables.idempotency.putItem(PutItemEnhancedRequest.builder(IdempotencyItem.class).item(fresh)
                        .conditionExpression(Expression.builder()
                                .expression("#s = :inProgress AND #o = :oldOwner AND leaseUntil <= :now")
                                .expressionNames(Map.of("#s", "state", "#o", "owner"))
                                .expressionValues(Map.of(":inProgress", str(IN_PROGRESS), ":oldOwner", str(cur.getOwner()),
                                        ":now", num(now)))
                                .build())
                        .build());
                return new Begin(id, Status.TAKEN_OVER, owner, null, fresh.getLeaseUntil());
            } catch (ConditionalCheckFailedException raced) {
                // someone else completed or took over first: look again
            }
        }
        throw new IllegalStateException("idempotency record " + id + " is changing too fast to begin");
    }

    /** Stores the result; fails with {@link LeaseLostException} if the lease was taken over by someone else. */
    public void complete(String id, String owner, String result) {
        long now = clock.millis();
        try {
            tables.idempotency.putItem(PutItemEnhancedRequest.builder(IdempotencyItem.class)
                    .item(item(id, COMPLETED, owner, null, result, now))
                    .conditionExpression(ownedBy(owner)).build());
        } catch (ConditionalCheckFailedException e) {
            throw new LeaseLostException(id);
        }
    }

    public void complete(Begin begin, String result) {
        if (!begin.mayProceed()) throw new IllegalArgumentException("begin(" + begin.id() + ") returned " + begin.status());
        complete(begin.id(), begin.owner(), result);
    }

    /** Gives the work up (e.g. it failed and should be retried by the next delivery): deletes the record. */
    public void release(String id, String owner) {
        try {
            tables.idempotency.deleteItem(DeleteItemEnhancedRequest.builder()
                    .key(Key.builder().partitionValue(id).build()).conditionExpression(ownedBy(owner)).build());
        } catch (ConditionalCheckFailedException e) {
            throw new LeaseLostException(id);
        }
    }

    /**
     * Deletes up to {@code limit} records of {@code group} (the id prefix before the first {@code /}) that expired:
     * one Query of the expiry index, then one DeleteItem per expired record, conditional on it still being expired (a
     * record claimed again meanwhile stays). Returns how many were deleted.
     */
    public int sweepExpired(String group, int limit) {
        if (limit <= 0) return 0;
        long nowSec = clock.millis() / 1000;
        var page = tables.idempotency.index(IdempotencyItem.EXPIRY).query(QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortLessThan(Key.builder().partitionValue(group).sortValue(nowSec).build()))
                .limit(limit).build()).iterator();
        if (!page.hasNext()) return 0;
        int deleted = 0;
        for (IdempotencyItem expired : page.next().items()) { // first page only: bounded
            try {
                tables.idempotency.deleteItem(DeleteItemEnhancedRequest.builder()
                        .key(Key.builder().partitionValue(expired.getId()).build())
                        .conditionExpression(Expression.builder().expression("expiresAt < :nowSec")
                                .expressionValues(Map.of(":nowSec", num(nowSec))).build())
                        .build());
                deleted++;
            } catch (ConditionalCheckFailedException renewed) {
                // claimed again (or already deleted) since the index was read: not ours to delete
            }
        }
        return deleted;
    }

    /** The sweep group of an id: its prefix up to the first {@code /} ({@code tick/evt-1} → {@code tick}). */
    public static String groupOf(String id) {
        int slash = id.indexOf('/');
        return slash > 0 ? id.substring(0, slash) : "default";
    }

    /** The record as stored (null if absent), for diagnostics and tests. */
    public IdempotencyItem get(String id) {
        return tables.idempotency.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(id).build()).consistentRead(true).build());
    }

    private Expression ownedBy(String owner) {
        return Expression.builder().expression("#s = :inProgress AND #o = :owner")
                .expressionNames(Map.of("#s", "state", "#o", "owner"))
                .expressionValues(Map.of(":inProgress", str(IN_PROGRESS), ":owner", str(owner))).build();
    }

    private boolean expired(IdempotencyItem item, long nowMs) {
        return item.getExpiresAt() != null && item.getExpiresAt() < nowMs / 1000;
    }

    private IdempotencyItem item(String id, String state, String owner, Long leaseUntil, String result, long now) {
        IdempotencyItem i = new IdempotencyItem();
        i.setId(id);
        i.setState(state);
        i.setOwner(owner);
        i.setLeaseUntil(leaseUntil);
        i.setResult(result);
        i.setUpdatedAt(now);
        i.setExpiresAt((now + retention.toMillis()) / 1000);
        i.setSweepGroup(groupOf(id));
        return i;
    }

    static AttributeValue str(String s) {
        return AttributeValue.builder().s(s).build();
    }

    static AttributeValue num(long n) {
        return AttributeValue.builder().n(Long.toString(n)).build();
    }
}
