package dev.sluice.fn.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.flows.TaskDispatcher;
import dev.sluice.flows.dispatch.CloudEventTaskDispatcher;
import dev.sluice.flows.dispatch.LambdaTaskDispatcher;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code sluice.flows.dispatch} and its settings → the dispatcher; a wrong setting is an error naming the key. */
class TaskDispatchTest {
    /** A FlowsConfig with the documented defaults, overridden by {@code values} (method name → value). */
    static FlowsConfig config(Map<String, Object> values) {
        Map<String, Object> v = new HashMap<>(Map.of("dispatch", "local", "dispatchFormat", "binary", "dispatchSource", "/sluice/scheduler",
                "dispatchTimeout", Duration.ofSeconds(10)));
        v.putAll(values);
        return (FlowsConfig) Proxy.newProxyInstance(FlowsConfig.class.getClassLoader(), new Class<?>[] {FlowsConfig.class}, (p, m, args) -> {
            Object value = v.get(m.getName());
            if (m.getReturnType() == Optional.class) return Optional.ofNullable(value);
            if (value == null) throw new IllegalStateException("no test value for " + m.getName());
            return value;
        });
    }

    static IllegalArgumentException error(Map<String, Object> values) {
        return assertThrows(IllegalArgumentException.class, () -> TaskDispatch.fromConfig(config(values), Clock.systemUTC()));
    }

    @Test
    void localIsTheFlowSystemsOwnPool() {
        assertNull(TaskDispatch.fromConfig(config(Map.of()), Clock.systemUTC()));
        assertNull(TaskDispatch.fromConfig(config(Map.of("dispatch", " Local ")), Clock.systemUTC()));
    }

    @Test
    void cloudEventsNeedsAnHttpUrl() {
        TaskDispatcher d = TaskDispatch.fromConfig(config(Map.of("dispatch", "cloudevents", "dispatchUrl", URI.create("http://broker/ns/default"),
                "dispatchFormat", "structured")), Clock.systemUTC()).apply(null);
        assertEquals(URI.create("http://broker/ns/default"), assertInstanceOf(CloudEventTaskDispatcher.class, d).sink());
        assertTrue(error(Map.of("dispatch", "cloudevents")).getMessage().contains("sluice.flows.dispatch-url"));
        assertTrue(error(Map.of("dispatch", "cloudevents", "dispatchUrl", URI.create("http://b/"), "dispatchFormat", "xml"))
                .getMessage().startsWith("sluice.flows.dispatch-format must be binary or structured"));
        assertTrue(error(Map.of("dispatch", "cloudevents", "dispatchUrl", URI.create("file:///x"))).getMessage().contains("http(s) URL"));
    }

    @Test
    void lambdaNeedsAFunctionAndARegion() {
        TaskDispatcher d = TaskDispatch.fromConfig(config(Map.of("dispatch", "lambda", "lambdaIngestFunction", "fn-ingest",
                "lambdaRegion", "eu-west-1", "lambdaEndpoint", URI.create("http://127.0.0.1:9"))), Clock.systemUTC()).apply(null);
        assertInstanceOf(LambdaTaskDispatcher.class, d);
        ((LambdaTaskDispatcher) d).close();
        assertTrue(error(Map.of("dispatch", "lambda", "lambdaRegion", "eu-west-1")).getMessage().contains("sluice.flows.lambda-ingest-function"));
        if (System.getenv("AWS_REGION") == null) {
            assertTrue(error(Map.of("dispatch", "lambda", "lambdaIngestFunction", "fn")).getMessage().contains("sluice.flows.lambda-region"));
        }
        assertTrue(error(Map.of("dispatch", "kafka")).getMessage().startsWith("sluice.flows.dispatch must be local, cloudevents or lambda"));
    }
}
