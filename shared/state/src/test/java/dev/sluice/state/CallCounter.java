package dev.sluice.state;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** Counts DynamoDB API calls by operation name. */
final class CallCounter implements ExecutionInterceptor {
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attrs) {
        counts.computeIfAbsent(attrs.getAttribute(SdkExecutionAttribute.OPERATION_NAME), k -> new AtomicLong()).incrementAndGet();
    }

    long get(String op) {
        AtomicLong n = counts.get(op);
        return n == null ? 0 : n.get();
    }

    long total() {
        return counts.values().stream().mapToLong(AtomicLong::get).sum();
    }

    void reset() {
        counts.clear();
    }

    Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }
}
