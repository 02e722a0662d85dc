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
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;
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
public class FlowItem {
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

    /** The table schema, built without reflection (bean introspection costs a cold start ~a third of opening the store). */
    public static final TableSchema<FlowItem> SCHEMA = StaticTableSchema.builder(FlowItem.class)
            .newItemSupplier(FlowItem::new)
            .addAttribute(String.class, a -> a.name("datasetId").getter(FlowItem::getDatasetId).setter(FlowItem::setDatasetId).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("flowType").getter(FlowItem::getFlowType).setter(FlowItem::setFlowType).tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name("flowId").getter(FlowItem::getFlowId).setter(FlowItem::setFlowId))
            .addAttribute(String.class, a -> a.name("status").getter(FlowItem::getStatus).setter(FlowItem::setStatus))
            .addAttribute(Boolean.class, a -> a.name("enabled").getter(FlowItem::getEnabled).setter(FlowItem::setEnabled))
            .addAttribute(String.class, a -> a.name("pausedReason").getter(FlowItem::getPausedReason).setter(FlowItem::setPausedReason))
            .addAttribute(String.class, a -> a.name("triggerKind").getter(FlowItem::getTriggerKind).setter(FlowItem::setTriggerKind))
            .addAttribute(Long.class, a -> a.name("periodSeconds").getter(FlowItem::getPeriodSeconds).setter(FlowItem::setPeriodSeconds))
            .addAttribute(String.class, a -> a.name("cron").getter(FlowItem::getCron).setter(FlowItem::setCron))
            .addAttribute(Long.class, a -> a.name("minRecords").getter(FlowItem::getMinRecords).setter(FlowItem::setMinRecords))
            .addAttribute(Long.class, a -> a.name("maxBatchingMs").getter(FlowItem::getMaxBatchingMs).setter(FlowItem::setMaxBatchingMs))
            .addAttribute(Integer.class, a -> a.name("retryMaxAttempts").getter(FlowItem::getRetryMaxAttempts).setter(FlowItem::setRetryMaxAttempts))
            .addAttribute(Long.class, a -> a.name("retryMinDelayMs").getter(FlowItem::getRetryMinDelayMs).setter(FlowItem::setRetryMinDelayMs))
            .addAttribute(String.class, a -> a.name("retryBackoff").getter(FlowItem::getRetryBackoff).setter(FlowItem::setRetryBackoff))
            .addAttribute(Integer.class, a -> a.name("stopAfterFailures").getter(FlowItem::getStopAfterFailures).setter(FlowItem::setStopAfterFailures))
            .addAttribute(Integer.class, a -> a.name("priority").getter(FlowItem::getPriority).setter(FlowItem::setPriority))
            .addAttribute(EnhancedType.mapOf(String.class, String.class), a -> a.name("options").getter(FlowItem::getOptions).setter(FlowItem::setOptions))
            .addAttribute(Integer.class, a -> a.name("dueShard").getter(FlowItem::getDueShard).setter(FlowItem::setDueShard).tags(secondaryPartitionKey(DUE)))
            .addAttribute(Long.class, a -> a.name("dueAt").getter(FlowItem::getDueAt).setter(FlowItem::setDueAt).tags(secondarySortKey(DUE)))
            .addAttribute(Long.class, a -> a.name("nextDueAt").getter(FlowItem::getNextDueAt).setter(FlowItem::setNextDueAt))
            .addAttribute(Long.class, a -> a.name("pendingRecords").getter(FlowItem::getPendingRecords).setter(FlowItem::setPendingRecords))
            .addAttribute(Long.class, a -> a.name("firstPendingAt").getter(FlowItem::getFirstPendingAt).setter(FlowItem::setFirstPendingAt))
            .addAttribute(String.class, a -> a.name("activeTaskId").getter(FlowItem::getActiveTaskId).setter(FlowItem::setActiveTaskId))
            .addAttribute(String.class, a -> a.name("claimedByTick").getter(FlowItem::getClaimedByTick).setter(FlowItem::setClaimedByTick))
            .addAttribute(Integer.class, a -> a.name("retryAttempt").getter(FlowItem::getRetryAttempt).setter(FlowItem::setRetryAttempt))
            .addAttribute(Integer.class, a -> a.name("consecutiveFailures").getter(FlowItem::getConsecutiveFailures).setter(FlowItem::setConsecutiveFailures))
            .addAttribute(String.class, a -> a.name("lastTaskId").getter(FlowItem::getLastTaskId).setter(FlowItem::setLastTaskId))
            .addAttribute(String.class, a -> a.name("lastStatus").getter(FlowItem::getLastStatus).setter(FlowItem::setLastStatus))
            .addAttribute(String.class, a -> a.name("lastOutcome").getter(FlowItem::getLastOutcome).setter(FlowItem::setLastOutcome))
            .addAttribute(String.class, a -> a.name("lastError").getter(FlowItem::getLastError).setter(FlowItem::setLastError))
            .addAttribute(Instant.class, a -> a.name("lastFinishedAt").getter(FlowItem::getLastFinishedAt).setter(FlowItem::setLastFinishedAt))
            .addAttribute(Instant.class, a -> a.name("lastSuccessAt").getter(FlowItem::getLastSuccessAt).setter(FlowItem::setLastSuccessAt))
            .addAttribute(Instant.class, a -> a.name("createdAt").getter(FlowItem::getCreatedAt).setter(FlowItem::setCreatedAt))
            .addAttribute(Instant.class, a -> a.name("updatedAt").getter(FlowItem::getUpdatedAt).setter(FlowItem::setUpdatedAt))
            .addAttribute(Long.class, a -> a.name("version").getter(FlowItem::getVersion).setter(FlowItem::setVersion).tags(versionAttribute(0L, 1L)))
            .build();

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
