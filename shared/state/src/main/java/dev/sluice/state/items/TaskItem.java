package dev.sluice.state.items;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondaryPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondarySortKey;

/**
 * Table {@code <prefix>tasks}: key taskId. GSIs:
 * <ul>
 *   <li>{@value #BY_DATASET} (datasetId, createdAt ms): a dataset's history, read newest first;
 *   <li>{@value #RECENT} (createdDay {@code yyyy-MM-dd} UTC, createdAt ms): recent tasks of the node, day by day;
 *   <li>{@value #QUEUE} (queueShard, queueKey), sparse: only tasks waiting to be dispatched; {@code queueKey} sorts
 *       by priority (highest first), then age, so the head of each shard is the next work;
 *   <li>{@value #LEASES} (leaseShard, leaseUntil ms), sparse: tasks handed to a worker (dispatched or running) and
 *       tasks whose end the flow has not recorded yet, so expired leases, unfinished bookkeeping and the work in
 *       flight are found with N Queries, never a Scan.
 * </ul>
 * Every status transition is a put conditional on the status (and lease owner) it expects.
 */
@DynamoDbBean
public class TaskItem {
    public static final String BY_DATASET = "by-dataset";
    public static final String RECENT = "recent";
    public static final String QUEUE = "queue";
    public static final String LEASES = "leases";

    private String taskId;
    private String datasetId;
    private Long createdAt;
    private Long dueAt;
    private String createdDay;
    private String flowType;
    private String flowId;
    private Long flowVersion;
    private String status;
    private String trigger;
    private String triggerDetail;
    private String tickId;
    private Integer priority;
    private Integer attempt;
    private Integer requeues;
    private Long inputRecords;
    private Instant startedAt;
    private Instant finishedAt;
    private String outcome;
    private String error;
    private Boolean retryable;
    private Long newRecords;
    private List<String> log;
    private Integer queueShard;
    private String queueKey;
    private Integer leaseShard;
    private Long leaseUntil;
    private String leaseOwner;

    /** The table schema, built without reflection (bean introspection costs a cold start ~a third of opening the store). */
    public static final TableSchema<TaskItem> SCHEMA = StaticTableSchema.builder(TaskItem.class)
            .newItemSupplier(TaskItem::new)
            .addAttribute(String.class, a -> a.name("taskId").getter(TaskItem::getTaskId).setter(TaskItem::setTaskId).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("datasetId").getter(TaskItem::getDatasetId).setter(TaskItem::setDatasetId).tags(secondaryPartitionKey(BY_DATASET)))
            .addAttribute(Long.class, a -> a.name("createdAt").getter(TaskItem::getCreatedAt).setter(TaskItem::setCreatedAt).tags(secondarySortKey(List.of(BY_DATASET, RECENT))))
            .addAttribute(Long.class, a -> a.name("dueAt").getter(TaskItem::getDueAt).setter(TaskItem::setDueAt))
            .addAttribute(String.class, a -> a.name("createdDay").getter(TaskItem::getCreatedDay).setter(TaskItem::setCreatedDay).tags(secondaryPartitionKey(RECENT)))
            .addAttribute(String.class, a -> a.name("flowType").getter(TaskItem::getFlowType).setter(TaskItem::setFlowType))
            .addAttribute(String.class, a -> a.name("flowId").getter(TaskItem::getFlowId).setter(TaskItem::setFlowId))
            .addAttribute(Long.class, a -> a.name("flowVersion").getter(TaskItem::getFlowVersion).setter(TaskItem::setFlowVersion))
            .addAttribute(String.class, a -> a.name("status").getter(TaskItem::getStatus).setter(TaskItem::setStatus))
            .addAttribute(String.class, a -> a.name("trigger").getter(TaskItem::getTrigger).setter(TaskItem::setTrigger))
            .addAttribute(String.class, a -> a.name("triggerDetail").getter(TaskItem::getTriggerDetail).setter(TaskItem::setTriggerDetail))
            .addAttribute(String.class, a -> a.name("tickId").getter(TaskItem::getTickId).setter(TaskItem::setTickId))
            .addAttribute(Integer.class, a -> a.name("priority").getter(TaskItem::getPriority).setter(TaskItem::setPriority))
            .addAttribute(Integer.class, a -> a.name("attempt").getter(TaskItem::getAttempt).setter(TaskItem::setAttempt))
            .addAttribute(Integer.class, a -> a.name("requeues").getter(TaskItem::getRequeues).setter(TaskItem::setRequeues))
            .addAttribute(Long.class, a -> a.name("inputRecords").getter(TaskItem::getInputRecords).setter(TaskItem::setInputRecords))
            .addAttribute(Instant.class, a -> a.name("startedAt").getter(TaskItem::getStartedAt).setter(TaskItem::setStartedAt))
            .addAttribute(Instant.class, a -> a.name("finishedAt").getter(TaskItem::getFinishedAt).setter(TaskItem::setFinishedAt))
            .addAttribute(String.class, a -> a.name("outcome").getter(TaskItem::getOutcome).setter(TaskItem::setOutcome))
            .addAttribute(String.class, a -> a.name("error").getter(TaskItem::getError).setter(TaskItem::setError))
            .addAttribute(Boolean.class, a -> a.name("retryable").getter(TaskItem::getRetryable).setter(TaskItem::setRetryable))
            .addAttribute(Long.class, a -> a.name("newRecords").getter(TaskItem::getNewRecords).setter(TaskItem::setNewRecords))
            .addAttribute(EnhancedType.listOf(String.class), a -> a.name("log").getter(TaskItem::getLog).setter(TaskItem::setLog))
            .addAttribute(Integer.class, a -> a.name("queueShard").getter(TaskItem::getQueueShard).setter(TaskItem::setQueueShard).tags(secondaryPartitionKey(QUEUE)))
            .addAttribute(String.class, a -> a.name("queueKey").getter(TaskItem::getQueueKey).setter(TaskItem::setQueueKey).tags(secondarySortKey(QUEUE)))
            .addAttribute(Integer.class, a -> a.name("leaseShard").getter(TaskItem::getLeaseShard).setter(TaskItem::setLeaseShard).tags(secondaryPartitionKey(LEASES)))
            .addAttribute(Long.class, a -> a.name("leaseUntil").getter(TaskItem::getLeaseUntil).setter(TaskItem::setLeaseUntil).tags(secondarySortKey(LEASES)))
            .addAttribute(String.class, a -> a.name("leaseOwner").getter(TaskItem::getLeaseOwner).setter(TaskItem::setLeaseOwner))
            .build();

    @DynamoDbPartitionKey
    public String getTaskId() { return taskId; }
    public void setTaskId(String v) { taskId = v; }
    @DynamoDbSecondaryPartitionKey(indexNames = BY_DATASET)
    public String getDatasetId() { return datasetId; }
    public void setDatasetId(String v) { datasetId = v; }
    @DynamoDbSecondarySortKey(indexNames = {BY_DATASET, RECENT})
    public Long getCreatedAt() { return createdAt; }
    public void setCreatedAt(Long v) { createdAt = v; }
    /** When the flow became due for this task (its schedule slot, or the trigger time): the queue's age order. */
    public Long getDueAt() { return dueAt; }
    public void setDueAt(Long v) { dueAt = v; }
    @DynamoDbSecondaryPartitionKey(indexNames = RECENT)
    public String getCreatedDay() { return createdDay; }
    public void setCreatedDay(String v) { createdDay = v; }
    public String getFlowType() { return flowType; }
    public void setFlowType(String v) { flowType = v; }
    public String getFlowId() { return flowId; }
    public void setFlowId(String v) { flowId = v; }
    /** The flow version the task was cut from: a flow version yields at most one task. */
    public Long getFlowVersion() { return flowVersion; }
    public void setFlowVersion(Long v) { flowVersion = v; }
    public String getStatus() { return status; }
    public void setStatus(String v) { status = v; }
    public String getTrigger() { return trigger; }
    public void setTrigger(String v) { trigger = v; }
    public String getTriggerDetail() { return triggerDetail; }
    public void setTriggerDetail(String v) { triggerDetail = v; }
    public String getTickId() { return tickId; }
    public void setTickId(String v) { tickId = v; }
    public Integer getPriority() { return priority; }
    public void setPriority(Integer v) { priority = v; }
    public Integer getAttempt() { return attempt; }
    public void setAttempt(Integer v) { attempt = v; }
    public Integer getRequeues() { return requeues; }
    public void setRequeues(Integer v) { requeues = v; }
    public Long getInputRecords() { return inputRecords; }
    public void setInputRecords(Long v) { inputRecords = v; }
    public Instant getStartedAt() { return startedAt; }
    public void setStartedAt(Instant v) { startedAt = v; }
    public Instant getFinishedAt() { return finishedAt; }
    public void setFinishedAt(Instant v) { finishedAt = v; }
    public String getOutcome() { return outcome; }
    public void setOutcome(String v) { outcome = v; }
    public String getError() { return error; }
    public void setError(String v) { error = v; }
    /** Whether a failure may be retried (the retry policy decides whether it is). */
    public Boolean getRetryable() { return retryable; }
    public void setRetryable(Boolean v) { retryable = v; }
    public Long getNewRecords() { return newRecords; }
    public void setNewRecords(Long v) { newRecords = v; }
    public List<String> getLog() { return log; }
    public void setLog(List<String> v) { log = v; }
    @DynamoDbSecondaryPartitionKey(indexNames = QUEUE)
    public Integer getQueueShard() { return queueShard; }
    public void setQueueShard(Integer v) { queueShard = v; }
    @DynamoDbSecondarySortKey(indexNames = QUEUE)
    public String getQueueKey() { return queueKey; }
    public void setQueueKey(String v) { queueKey = v; }
    @DynamoDbSecondaryPartitionKey(indexNames = LEASES)
    public Integer getLeaseShard() { return leaseShard; }
    public void setLeaseShard(Integer v) { leaseShard = v; }
    @DynamoDbSecondarySortKey(indexNames = LEASES)
    public Long getLeaseUntil() { return leaseUntil; }
    public void setLeaseUntil(Long v) { leaseUntil = v; }
    public String getLeaseOwner() { return leaseOwner; }
    public void setLeaseOwner(String v) { leaseOwner = v; }

    @Override
    public String toString() {
        return "TaskItem{" + taskId + " " + datasetId + "/" + flowType + " " + status + " attempt=" + attempt
                + " created=" + createdAt + "}";
    }
}
