package dev.sluice.flows.dispatch;

import dev.sluice.flows.FlowTaskContext;
import dev.sluice.flows.FlowTaskExecutor;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.TaskOutcome;
import dev.sluice.state.DynamoClients;
import dev.sluice.state.EmbeddedDynamo;
import dev.sluice.state.StateConfig;
import dev.sluice.state.StateTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Real state for tests: one embedded dynalite per test JVM (stopped at exit), fresh tables per test (unique prefix). */
final class TestState implements AutoCloseable {
    private static EmbeddedDynamo shared;

    final StateTables tables;
    final TestClock clock = new TestClock(Instant.parse("2025-03-01T10:00:00Z"));

    TestState() {
        StateConfig cfg = StateConfig.endpoint(dynamo().endpoint(), "us-east-1", "d" + UUID.randomUUID().toString().substring(0, 8) + "-");
        tables = new StateTables(DynamoClients.build(cfg, List.of()), cfg.tablePrefix(), cfg.describeEndpoint(), cfg.dueShards()).ensureCreated();
    }

    static synchronized EmbeddedDynamo dynamo() {
        if (shared == null || !shared.isAlive()) {
            try {
                Path target = Path.of("target");
                Files.createDirectories(target);
                shared = EmbeddedDynamo.start(Files.createTempDirectory(target.toAbsolutePath(), "dynalite-"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    @Override
    public void close() {
        tables.client().close();
    }

    /** A clock moved by hand. */
    static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    /** An executor that counts its runs per dataset and reports 3 new records. */
    static final class CountingExecutor implements FlowTaskExecutor {
        final FlowType type;
        final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

        CountingExecutor(FlowType type) {
            this.type = type;
        }

        @Override
        public FlowType type() {
            return type;
        }

        @Override
        public TaskOutcome execute(FlowTaskContext ctx) {
            runs.computeIfAbsent(ctx.datasetId(), k -> new AtomicInteger()).incrementAndGet();
            return TaskOutcome.success(3);
        }

        int runs(String datasetId) {
            AtomicInteger n = runs.get(datasetId);
            return n == null ? 0 : n.get();
        }
    }
}
