package dev.sluice.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** BatchWriteItem of up to 25 requests, resubmitting unprocessed items with a bounded exponential back-off. */
final class BatchWriter {
    private BatchWriter() {}

    static int write(DynamoDbClient client, String table, List<WriteRequest> requests) {
        if (requests.size() > 25) throw new IllegalArgumentException("at most 25 requests per batch");
        List<WriteRequest> pending = requests;
        long backoffMs = 10;
        for (int round = 0; !pending.isEmpty(); round++) {
            if (round > 12) throw new StateUnavailableException("BatchWriteItem on " + table + " kept returning unprocessed items");
            List<WriteRequest> batch = pending;
            BatchWriteItemResponse r = client.batchWriteItem(b -> b.requestItems(Map.of(table, batch)));
            List<WriteRequest> left = r.hasUnprocessedItems() ? r.unprocessedItems().getOrDefault(table, List.of()) : List.of();
            pending = new ArrayList<>(left);
            if (!pending.isEmpty()) {
                try {
                    Thread.sleep(backoffMs); // throttling back-off prescribed by the API, not synchronisation
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StateUnavailableException("interrupted during BatchWriteItem", e);
                }
                backoffMs = Math.min(backoffMs * 2, 1000);
            }
        }
        return requests.size();
    }
}
