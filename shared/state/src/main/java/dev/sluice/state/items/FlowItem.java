package dev.sluice.state.items;

import static software.amazon.awssdk.enhanced.dynamodb.extensions.VersionedRecordExtension.AttributeTags.versionAttribute;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.extensions.annotations.DynamoDbVersionAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondaryPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondarySortKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;

/**
 * Table {@code <prefix>flows}: key (datasetId, flowType). A scheduled flow carries {@code dueShard} (0..N-1, a
 * stable hash of its key) and {@code dueAt} (epoch ms); GSI {@value #DUE} on (dueShard, dueAt) is sparse, so due
 * flows are found with N Queries {@code dueAt <= now} whose cost is O(due), never a Scan. Optimistic locking through
 * {@code version}: every write of a flow is conditional on the version it read.
 *
 * <p>Three groups of attributes: the configuration (trigger, retry and stop policies, priority, options), the
 * schedule ({@code dueAt}, {@code nextDueAt}, reactive batching counters) and the run state (active task, retry
 * attempt, consecutive failures, last outcome). The domain model and the rules live in shared/flows.
 */
@DynamoDbBean
public class FlowItem implements PositionalSchema.Item {
    public static final String DUE = "due";

    private String datasetId;
    private String flowType;
    private String flowId;
    private String status;
    private Boolean enabled;
    private String pausedReason;
    // configuration
    private String triggerKind;
    private Long periodSeconds;
    private String cron;
    private Long minRecords;
    private Long maxBatchingMs;
    private Integer retryMaxAttempts;
    private Long retryMinDelayMs;
    private String retryBackoff;
    private Integer stopAfterFailures;
    private Integer priority;
    private Map<String, String> options;
    // schedule
    private Integer dueShard;
    private Long dueAt;
    private Long nextDueAt;
    private Long pendingRecords;
    private Long firstPendingAt;
    // run state
    private String activeTaskId;
    private String claimedByTick;
    private Integer retryAttempt;
    private Integer consecutiveFailures;
    private String lastTaskId;
    private String lastStatus;
    private String lastOutcome;
    private String lastError;
    private Instant lastFinishedAt;
    private Instant lastSuccessAt;
    private Instant createdAt;
    private Instant updatedAt;
    private Long version;

    /** The table schema, built without reflection (bean introspection costs a cold start ~a third of opening the store) and without a lambda per attribute ({@link PositionalSchema}). */
    public static final TableSchema<FlowItem> SCHEMA = PositionalSchema.builder(FlowItem.class, FlowItem::new)
            .add(String.class, "datasetId", primaryPartitionKey())
            .add(String.class, "flowType", primarySortKey())
            .add(String.class, "flowId")
            .add(String.class, "status")
            .add(Boolean.class, "enabled")
            .add(String.class, "pausedReason")
            .add(String.class, "triggerKind")
            .add(Long.class, "periodSeconds")
            .add(String.class, "cron")
            .add(Long.class, "minRecords")
            .add(Long.class, "maxBatchingMs")
            .add(Integer.class, "retryMaxAttempts")
            .add(Long.class, "retryMinDelayMs")
            .add(String.class, "retryBackoff")
            .add(Integer.class, "stopAfterFailures")
            .add(Integer.class, "priority")
            .add(EnhancedType.mapOf(String.class, String.class), "options")
            .add(Integer.class, "dueShard", secondaryPartitionKey(DUE))
            .add(Long.class, "dueAt", secondarySortKey(DUE))
            .add(Long.class, "nextDueAt")
            .add(Long.class, "pendingRecords")
            .add(Long.class, "firstPendingAt")
            .add(String.class, "activeTaskId")
            .add(String.class, "claimedByTick")
            .add(Integer.class, "retryAttempt")
            .add(Integer.class, "consecutiveFailures")
            .add(String.class, "lastTaskId")
            .add(String.class, "lastStatus")
            .add(String.class, "lastOutcome")
            .add(String.class, "lastError")
            .add(Instant.class, "lastFinishedAt")
            .add(Instant.class, "lastSuccessAt")
            .add(Instant.class, "createdAt")
            .add(Instant.class, "updatedAt")
            .add(Long.class, "version", versionAttribute(0L, 1L))
            .build();

    @Override
    public Object attribute(int position) {
        return switch (position) {
            case 0 -> getDatasetId();
            case 1 -> getFlowType();
            case 2 -> getFlowId();
            case 3 -> getStatus();
            case 4 -> getEnabled();
            case 5 -> getPausedReason();
            case 6 -> getTriggerKind();
            case 7 -> getPeriodSeconds();
            case 8 -> getCron();
            case 9 -> getMinRecords();
            case 10 -> getMaxBatchingMs();
            case 11 -> getRetryMaxAttempts();
            case 12 -> getRetryMinDelayMs();
            case 13 -> getRetryBackoff();
            case 14 -> getStopAfterFailures();
            case 15 -> getPriority();
            case 16 -> getOptions();
            case 17 -> getDueShard();
            case 18 -> getDueAt();
            case 19 -> getNextDueAt();
            case 20 -> getPendingRecords();
            case 21 -> getFirstPendingAt();
            case 22 -> getActiveTaskId();
            case 23 -> getClaimedByTick();
            case 24 -> getRetryAttempt();
            case 25 -> getConsecutiveFailures();
            case 26 -> getLastTaskId();
            case 27 -> getLastStatus();
            case 28 -> getLastOutcome();
            case 29 -> getLastError();
            case 30 -> getLastFinishedAt();
            case 31 -> getLastSuccessAt();
            case 32 -> getCreatedAt();
            case 33 -> getUpdatedAt();
            case 34 -> getVersion();
            default -> throw new IndexOutOfBoundsException(position);
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public void attribute(int position, Object value) {
        switch (position) {
            case 0 -> setDatasetId((String) value);
            case 1 -> setFlowType((String) value);
            case 2 -> setFlowId((String) value);
            case 3 -> setStatus((String) value);
            case 4 -> setEnabled((Boolean) value);
            case 5 -> setPausedReason((String) value);
            case 6 -> setTriggerKind((String) value);
            case 7 -> setPeriodSeconds((Long) value);
            case 8 -> setCron((String) value);
            case 9 -> setMinRecords((Long) value);
            case 10 -> setMaxBatchingMs((Long) value);
            case 11 -> setRetryMaxAttempts((Integer) value);
            case 12 -> setRetryMinDelayMs((Long) value);
            case 13 -> setRetryBackoff((String) value);
            case 14 -> setStopAfterFailures((Integer) value);
            case 15 -> setPriority((Integer) value);
            case 16 -> setOptions((Map<String, String>) value);
            case 17 -> setDueShard((Integer) value);
            case 18 -> setDueAt((Long) value);
            case 19 -> setNextDueAt((Long) value);
            case 20 -> setPendingRecords((Long) value);
            case 21 -> setFirstPendingAt((Long) value);
            case 22 -> setActiveTaskId((String) value);
            case 23 -> setClaimedByTick((String) value);
            case 24 -> setRetryAttempt((Integer) value);
            case 25 -> setConsecutiveFailures((Integer) value);
            case 26 -> setLastTaskId((String) value);
            case 27 -> setLastStatus((String) value);
            case 28 -> setLastOutcome((String) value);
            case 29 -> setLastError((String) value);
            case 30 -> setLastFinishedAt((Instant) value);
            case 31 -> setLastSuccessAt((Instant) value);
            case 32 -> setCreatedAt((Instant) value);
            case 33 -> setUpdatedAt((Instant) value);
            case 34 -> setVersion((Long) value);
            default -> throw new IndexOutOfBoundsException(position);
        }
    }

    @DynamoDbPartitionKey
    public String getDatasetId() { return datasetId; }
    public void setDatasetId(String v) { datasetId = v; }
    @DynamoDbSortKey
    public String getFlowType() { return flowType; }
    public void setFlowType(String v) { flowType = v; }
    /** Random id given when the flow is created: task ids derive from (flowId, version), so a re-created flow never reuses one. */
    public String getFlowId() { return flowId; }
    public void setFlowId(String v) { flowId = v; }
    public String getStatus() { return status; }
    public void setStatus(String v) { status = v; }
    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean v) { enabled = v; }
    public String getPausedReason() { return pausedReason; }
    public void setPausedReason(String v) { pausedReason = v; }
    public String getTriggerKind() { return triggerKind; }
    public void setTriggerKind(String v) { triggerKind = v; }
    public Long getPeriodSeconds() { return periodSeconds; }
    public void setPeriodSeconds(Long v) { periodSeconds = v; }
    public String getCron() { return cron; }
    public void setCron(String v) { cron = v; }
    public Long getMinRecords() { return minRecords; }
    public void setMinRecords(Long v) { minRecords = v; }
    public Long getMaxBatchingMs() { return maxBatchingMs; }
    public void setMaxBatchingMs(Long v) { maxBatchingMs = v; }
    public Integer getRetryMaxAttempts() { return retryMaxAttempts; }
    public void setRetryMaxAttempts(Integer v) { retryMaxAttempts = v; }
    public Long getRetryMinDelayMs() { return retryMinDelayMs; }
    public void setRetryMinDelayMs(Long v) { retryMinDelayMs = v; }
    public String getRetryBackoff() { return retryBackoff; }
    public void setRetryBackoff(String v) { retryBackoff = v; }
    public Integer getStopAfterFailures() { return stopAfterFailures; }
    public void setStopAfterFailures(Integer v) { stopAfterFailures = v; }
    public Integer getPriority() { return priority; }
    public void setPriority(Integer v) { priority = v; }
    public Map<String, String> getOptions() { return options; }
    public void setOptions(Map<String, String> v) { options = v; }
    @DynamoDbSecondaryPartitionKey(indexNames = DUE)
    public Integer getDueShard() { return dueShard; }
    public void setDueShard(Integer v) { dueShard = v; }
    @DynamoDbSecondarySortKey(indexNames = DUE)
    public Long getDueAt() { return dueAt; }
    public void setDueAt(Long v) { dueAt = v; }
    /** The schedule's next slot, kept while a task is active or retrying (the flow is out of the due index then). */
    public Long getNextDueAt() { return nextDueAt; }
    public void setNextDueAt(Long v) { nextDueAt = v; }
    public Long getPendingRecords() { return pendingRecords; }
    public void setPendingRecords(Long v) { pendingRecords = v; }
    public Long getFirstPendingAt() { return firstPendingAt; }
    public void setFirstPendingAt(Long v) { firstPendingAt = v; }
    public String getActiveTaskId() { return activeTaskId; }
    public void setActiveTaskId(String v) { activeTaskId = v; }
    public String getClaimedByTick() { return claimedByTick; }
    public void setClaimedByTick(String v) { claimedByTick = v; }
    public Integer getRetryAttempt() { return retryAttempt; }
    public void setRetryAttempt(Integer v) { retryAttempt = v; }
    public Integer getConsecutiveFailures() { return consecutiveFailures; }
    public void setConsecutiveFailures(Integer v) { consecutiveFailures = v; }
    public String getLastTaskId() { return lastTaskId; }
    public void setLastTaskId(String v) { lastTaskId = v; }
    public String getLastStatus() { return lastStatus; }
    public void setLastStatus(String v) { lastStatus = v; }
    public String getLastOutcome() { return lastOutcome; }
    public void setLastOutcome(String v) { lastOutcome = v; }
    public String getLastError() { return lastError; }
    public void setLastError(String v) { lastError = v; }
    public Instant getLastFinishedAt() { return lastFinishedAt; }
    public void setLastFinishedAt(Instant v) { lastFinishedAt = v; }
    public Instant getLastSuccessAt() { return lastSuccessAt; }
    public void setLastSuccessAt(Instant v) { lastSuccessAt = v; }
    public Instant getCreatedAt() { return createdAt; }
    public void setCreatedAt(Instant v) { createdAt = v; }
    public Instant getUpdatedAt() { return updatedAt; }
    public void setUpdatedAt(Instant v) { updatedAt = v; }
    @DynamoDbVersionAttribute
    public Long getVersion() { return version; }
    public void setVersion(Long v) { version = v; }

    @Override
    public String toString() {
        return "FlowItem{" + datasetId + "/" + flowType + " " + status + " due=" + dueAt + "@" + dueShard + " active="
                + activeTaskId + " v" + version + "}";
    }
}
