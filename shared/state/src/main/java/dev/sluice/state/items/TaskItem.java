package dev.sluice.state.items;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
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
public class TaskItem implements PositionalSchema.Item {
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

    /** The table schema, built without reflection (bean introspection costs a cold start ~a third of opening the store) and without a lambda per attribute ({@link PositionalSchema}). */
    public static final TableSchema<TaskItem> SCHEMA = PositionalSchema.builder(TaskItem.class, TaskItem::new)
            .add(String.class, "taskId", primaryPartitionKey())
            .add(String.class, "datasetId", secondaryPartitionKey(BY_DATASET))
            .add(Long.class, "createdAt", secondarySortKey(List.of(BY_DATASET, RECENT)))
            .add(Long.class, "dueAt")
            .add(String.class, "createdDay", secondaryPartitionKey(RECENT))
            .add(String.class, "flowType")
            .add(String.class, "flowId")
            .add(Long.class, "flowVersion")
            .add(String.class, "status")
            .add(String.class, "trigger")
            .add(String.class, "triggerDetail")
            .add(String.class, "tickId")
            .add(Integer.class, "priority")
            .add(Integer.class, "attempt")
            .add(Integer.class, "requeues")
            .add(Long.class, "inputRecords")
            .add(Instant.class, "startedAt")
            .add(Instant.class, "finishedAt")
            .add(String.class, "outcome")
            .add(String.class, "error")
            .add(Boolean.class, "retryable")
            .add(Long.class, "newRecords")
            .add(EnhancedType.listOf(String.class), "log")
            .add(Integer.class, "queueShard", secondaryPartitionKey(QUEUE))
            .add(String.class, "queueKey", secondarySortKey(QUEUE))
            .add(Integer.class, "leaseShard", secondaryPartitionKey(LEASES))
            .add(Long.class, "leaseUntil", secondarySortKey(LEASES))
            .add(String.class, "leaseOwner")
            .build();

    @Override
    public Object attribute(int position) {
        return switch (position) {
            case 0 -> getTaskId();
            case 1 -> getDatasetId();
            case 2 -> getCreatedAt();
            case 3 -> getDueAt();
            case 4 -> getCreatedDay();
            case 5 -> getFlowType();
            case 6 -> getFlowId();
            case 7 -> getFlowVersion();
            case 8 -> getStatus();
            case 9 -> getTrigger();
            case 10 -> getTriggerDetail();
            case 11 -> getTickId();
            case 12 -> getPriority();
            case 13 -> getAttempt();
            case 14 -> getRequeues();
            case 15 -> getInputRecords();
            case 16 -> getStartedAt();
            case 17 -> getFinishedAt();
            case 18 -> getOutcome();
            case 19 -> getError();
            case 20 -> getRetryable();
            case 21 -> getNewRecords();
            case 22 -> getLog();
            case 23 -> getQueueShard();
            case 24 -> getQueueKey();
            case 25 -> getLeaseShard();
            case 26 -> getLeaseUntil();
            case 27 -> getLeaseOwner();
            default -> throw new IndexOutOfBoundsException(position);
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public void attribute(int position, Object value) {
        switch (position) {
            case 0 -> setTaskId((String) value);
            case 1 -> setDatasetId((String) value);
            case 2 -> setCreatedAt((Long) value);
            case 3 -> setDueAt((Long) value);
            case 4 -> setCreatedDay((String) value);
            case 5 -> setFlowType((String) value);
            case 6 -> setFlowId((String) value);
            case 7 -> setFlowVersion((Long) value);
            case 8 -> setStatus((String) value);
            case 9 -> setTrigger((String) value);
            case 10 -> setTriggerDetail((String) value);
            case 11 -> setTickId((String) value);
            case 12 -> setPriority((Integer) value);
            case 13 -> setAttempt((Integer) value);
            case 14 -> setRequeues((Integer) value);
            case 15 -> setInputRecords((Long) value);
            case 16 -> setStartedAt((Instant) value);
            case 17 -> setFinishedAt((Instant) value);
            case 18 -> setOutcome((String) value);
            case 19 -> setError((String) value);
            case 20 -> setRetryable((Boolean) value);
            case 21 -> setNewRecords((Long) value);
            case 22 -> setLog((List<String>) value);
            case 23 -> setQueueShard((Integer) value);
            case 24 -> setQueueKey((String) value);
            case 25 -> setLeaseShard((Integer) value);
            case 26 -> setLeaseUntil((Long) value);
            case 27 -> setLeaseOwner((String) value);
            default -> throw new IndexOutOfBoundsException(position);
        }
    }

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
