package dev.sluice.bench;

import dev.sluice.flows.FlowConfig;
import dev.sluice.flows.FlowService;
import dev.sluice.flows.FlowSystem;
import dev.sluice.flows.FlowTrigger;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.SchedulerConfig;
import dev.sluice.flows.TickResult;
import dev.sluice.state.DynamoClients;
import dev.sluice.state.EmbeddedDynamo;
import dev.sluice.state.FlowRepository;
import dev.sluice.state.StateConfig;
import dev.sluice.state.StateTables;
import dev.sluice.state.items.FlowItem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * One scheduler tick over 100, 1,000 and 10,000 registered flows of which 100 are due, on embedded dynalite: reads
 * the due index, claims the 100 flows (task + flow write each), dispatches them (budget 100; the dispatcher only
 * records). The tick should cost the same whatever the number of registered flows. Each measured tick gets freshly
 * armed state: before every iteration the previous tick's tasks are deleted and the 100 due flows re-written.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 20)
@Fork(1)
public class TickBenchmark {
    static final int DUE = 100;

    @Param({"100", "1000", "10000"})
    public int flows;

    Path dir;
    EmbeddedDynamo dynamo;
    StateTables tables;
    FlowRepository flowRepo;
    FlowSystem system;
    final Set<String> dispatched = ConcurrentHashMap.newKeySet();
    final Instant now = Instant.parse("2025-03-01T10:00:00Z");
    int tick;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        dir = Files.createTempDirectory("sluice-tick-bench");
        dynamo = EmbeddedDynamo.start(dir);
        StateConfig cfg = StateConfig.endpoint(dynamo.endpoint(), "us-east-1", "bench-");
        tables = new StateTables(DynamoClients.build(cfg, List.of()), cfg.tablePrefix(), cfg.describeEndpoint(), cfg.dueShards()).ensureCreated();
        flowRepo = new FlowRepository(tables);
        List<FlowItem> idle = new ArrayList<>();
        for (int i = DUE; i < flows; i++) idle.add(flow("did:odf:idle-" + i, now.plus(Duration.ofMinutes(30)).plusSeconds(i)));
        flowRepo.putAll(idle);
        system = FlowSystem.builder(tables).config(SchedulerConfig.defaults().withMaxConcurrent(DUE))
                .dispatcher(runner -> t -> dispatched.add(t.taskId())).build();
    }

    static FlowItem flow(String id, Instant dueAt) {
        return FlowService.newFlowItem(id, FlowType.INGEST, FlowConfig.of(new FlowTrigger.Interval(Duration.ofHours(1))), dueAt, dueAt);
    }

    @Setup(Level.Iteration)
    public void arm() {
        List<WriteRequest> deletes = new ArrayList<>();
        for (String taskId : dispatched) {
            deletes.add(WriteRequest.builder().deleteRequest(DeleteRequest.builder()
                    .key(Map.of("taskId", AttributeValue.fromS(taskId))).build()).build());
            if (deletes.size() == 25) {
                deleteTasks(deletes);
                deletes = new ArrayList<>();
            }
        }
        if (!deletes.isEmpty()) deleteTasks(deletes);
        dispatched.clear();
        List<FlowItem> due = new ArrayList<>();
        for (int i = 0; i < DUE; i++) due.add(flow("did:odf:due-" + i, now.minusSeconds(i + 1)));
        flowRepo.putAll(due);
    }

    private void deleteTasks(List<WriteRequest> batch) {
        List<WriteRequest> pending = batch;
        while (!pending.isEmpty()) {
            List<WriteRequest> send = pending;
            var r = tables.client().batchWriteItem(b -> b.requestItems(Map.of(tables.tableName(StateTables.TASKS), send)));
            pending = r.hasUnprocessedItems() ? r.unprocessedItems().getOrDefault(tables.tableName(StateTables.TASKS), List.of()) : List.of();
        }
    }

    @Benchmark
    public TickResult tick() {
        TickResult r = system.scheduler().tick("bench-" + flows + "-" + tick++, now);
        if (r.claimed() != DUE || r.dispatched() != DUE) throw new IllegalStateException("tick did not claim and dispatch " + DUE + ": " + r);
        return r;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws java.io.IOException {
        system.close();
        tables.client().close();
        dynamo.close();
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
