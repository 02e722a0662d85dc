package dev.sluice.state.items;

import java.time.Instant;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondaryPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondarySortKey;

/** Table {@code <prefix>tasks}: key taskId; GSI {@value #BY_DATASET} (datasetId, createdAt ms) read newest first. */
@DynamoDbBean
public class TaskItem {
    public static final String BY_DATASET = "by-dataset";

    private String taskId;
    private String datasetId;
    private Long createdAt;
    private String flowType;
    private String status;
    private Instant startedAt;
    private Instant finishedAt;
    private String outcome;
    private Integer attempt;

    @DynamoDbPartitionKey
    public String getTaskId() { return taskId; }
    public void setTaskId(String v) { taskId = v; }
    @DynamoDbSecondaryPartitionKey(indexNames = BY_DATASET)
    public String getDatasetId() { return datasetId; }
    public void setDatasetId(String v) { datasetId = v; }
    @DynamoDbSecondarySortKey(indexNames = BY_DATASET)
    public Long getCreatedAt() { return createdAt; }
    public void setCreatedAt(Long v) { createdAt = v; }
    public String getFlowType() { return flowType; }
    public void setFlowType(String v) { flowType = v; }
    public String getStatus() { return status; }
    public void setStatus(String v) { status = v; }
    public Instant getStartedAt() { return startedAt; }
    public void setStartedAt(Instant v) { startedAt = v; }
    public Instant getFinishedAt() { return finishedAt; }
    public void setFinishedAt(Instant v) { finishedAt = v; }
    public String getOutcome() { return outcome; }
    public void setOutcome(String v) { outcome = v; }
    public Integer getAttempt() { return attempt; }
    public void setAttempt(Integer v) { attempt = v; }

    @Override
    public String toString() {
        return "TaskItem{" + taskId + " " + datasetId + "/" + flowType + " " + status + " created=" + createdAt + "}";
    }
}
