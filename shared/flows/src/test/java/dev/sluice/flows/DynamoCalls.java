package dev.sluice.flows;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Counts DynamoDB calls by operation, items returned by reads (Query, Scan, GetItem, BatchGetItem) and items a
 * write request names (PutItem, UpdateItem, DeleteItem, BatchWriteItem; counted when sent, so a write that fails its
 * condition counts too).
 */
final class DynamoCalls implements ExecutionInterceptor {
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final AtomicLong itemsRead = new AtomicLong();
    private final AtomicLong itemsWritten = new AtomicLong();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attrs) {
        calls.computeIfAbsent(attrs.getAttribute(SdkExecutionAttribute.OPERATION_NAME), k -> new AtomicLong()).incrementAndGet();
        SdkRequest r = context.request();
        if (r instanceof PutItemRequest || r instanceof UpdateItemRequest || r instanceof DeleteItemRequest) {
            itemsWritten.incrementAndGet();
        } else if (r instanceof BatchWriteItemRequest b) {
            itemsWritten.addAndGet(b.requestItems().values().stream().mapToLong(java.util.List::size).sum());
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attrs) {
        Object r = context.response();
        if (r instanceof QueryResponse q) {
            itemsRead.addAndGet(q.count());
        } else if (r instanceof ScanResponse s) {
            itemsRead.addAndGet(s.count());
        } else if (r instanceof GetItemResponse g) {
            if (g.hasItem() && !g.item().isEmpty()) itemsRead.incrementAndGet();
        } else if (r instanceof BatchGetItemResponse b) {
            itemsRead.addAndGet(b.responses().values().stream().mapToLong(java.util.List::size).sum());
        }
    }

    long calls(String op) {
        AtomicLong n = calls.get(op);
        return n == null ? 0 : n.get();
    }

    long totalCalls() {
        return calls.values().stream().mapToLong(AtomicLong::get).sum();
    }

    long itemsRead() {
        return itemsRead.get();
    }

    long itemsWritten() {
        return itemsWritten.get();
    }

    void reset() {
        calls.clear();
        itemsRead.set(0);
        itemsWritten.set(0);
    }

    @Override
    public String toString() {
        Map<String, Long> m = new TreeMap<>();
        calls.forEach((k, v) -> m.put(k, v.get()));
        return m + " itemsRead=" + itemsRead + " itemsWritten=" + itemsWritten;
    }
}
