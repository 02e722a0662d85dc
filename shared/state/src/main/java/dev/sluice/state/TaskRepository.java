package dev.sluice.state;

import dev.sluice.state.items.TaskItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.Page;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** Tasks: by id, and a dataset's tasks newest first through GSI {@code by-dataset}. */
public final class TaskRepository {
    private final StateTables tables;

    public TaskRepository(StateTables tables) {
        this.tables = tables;
    }

    /** Inserts a new task; false if the id exists already (a redelivered create is harmless). */
    public boolean create(TaskItem task) {
        try {
            tables.tasks.putItem(PutItemEnhancedRequest.builder(TaskItem.class).item(task)
                    .conditionExpression(Expression.builder().expression("attribute_not_exists(taskId)").build()).build());
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        }
    }

    /** Replaces a task only if its status is still {@code expectedStatus} (e.g. QUEUED → RUNNING by one worker). */
    public boolean update(TaskItem task, String expectedStatus) {
        try {
            tables.tasks.putItem(PutItemEnhancedRequest.builder(TaskItem.class).item(task)
                    .conditionExpression(Expression.builder().expression("#s = :expected")
                            .expressionNames(Map.of("#s", "status"))
                            .expressionValues(Map.of(":expected", IdempotencyStore.str(expectedStatus))).build())
                    .build());
            return true;
        } catch (ConditionalCheckFailedException changed) {
            return false;
        }
    }

    public Optional<TaskItem> get(String taskId) {
        return Optional.ofNullable(tables.tasks.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(taskId).build()).consistentRead(true).build()));
    }

    /** The newest {@code limit} tasks of a dataset, newest first (one Query page for small limits). */
    public List<TaskItem> byDataset(String datasetId, int limit) {
        List<TaskItem> out = new ArrayList<>();
        QueryEnhancedRequest q = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(datasetId).build()))
                .scanIndexForward(false).limit(limit).build();
        for (Page<TaskItem> page : tables.tasks.index(TaskItem.BY_DATASET).query(q)) {
            for (TaskItem t : page.items()) {
                if (out.size() == limit) return out;
                out.add(t);
            }
            if (out.size() == limit) return out;
        }
        return out;
    }
}
