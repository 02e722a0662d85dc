package dev.sluice.state.items;

import java.time.Instant;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondaryPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondarySortKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;
import software.amazon.awssdk.enhanced.dynamodb.extensions.annotations.DynamoDbVersionAttribute;

/**
 * Table {@code <prefix>flows}: key (datasetId, flowType). A scheduled flow carries {@code dueShard} (0..N-1, a
 * stable hash of its key) and {@code dueAt} (epoch ms); GSI {@value #DUE} on (dueShard, dueAt) is sparse, so due
 * flows are found with N Queries {@code dueAt <= now} whose cost is O(due), never a Scan. Optimistic locking through
 * {@code version}.
 */
@DynamoDbBean
public class FlowItem {
    public static final String DUE = "due";

    private String datasetId;
    private String flowType;
    private String status;
    private Boolean enabled;
    private Long periodSeconds;
    private Integer dueShard;
    private Long dueAt;
    private String lastTaskId;
    private Instant updatedAt;
    private Long version;

    @DynamoDbPartitionKey
    public String getDatasetId() { return datasetId; }
    public void setDatasetId(String v) { datasetId = v; }
    @DynamoDbSortKey
    public String getFlowType() { return flowType; }
    public void setFlowType(String v) { flowType = v; }
    public String getStatus() { return status; }
    public void setStatus(String v) { status = v; }
    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean v) { enabled = v; }
    public Long getPeriodSeconds() { return periodSeconds; }
    public void setPeriodSeconds(Long v) { periodSeconds = v; }
    @DynamoDbSecondaryPartitionKey(indexNames = DUE)
    public Integer getDueShard() { return dueShard; }
    public void setDueShard(Integer v) { dueShard = v; }
    @DynamoDbSecondarySortKey(indexNames = DUE)
    public Long getDueAt() { return dueAt; }
    public void setDueAt(Long v) { dueAt = v; }
    public String getLastTaskId() { return lastTaskId; }
    public void setLastTaskId(String v) { lastTaskId = v; }
    public Instant getUpdatedAt() { return updatedAt; }
    public void setUpdatedAt(Instant v) { updatedAt = v; }
    @DynamoDbVersionAttribute
    public Long getVersion() { return version; }
    public void setVersion(Long v) { version = v; }

    @Override
    public String toString() {
        return "FlowItem{" + datasetId + "/" + flowType + " " + status + " due=" + dueAt + "@" + dueShard + " v" + version + "}";
    }
}
