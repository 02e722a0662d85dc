package dev.sluice.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.state.IdempotencyStore.Begin;
import dev.sluice.state.IdempotencyStore.Status;
import dev.sluice.state.items.AccountItem;
import dev.sluice.state.items.DatasetItem;
import dev.sluice.state.items.FlowItem;
import dev.sluice.state.items.TaskItem;
import dev.sluice.state.items.TokenItem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Table-level behaviour every DynamoDB-compatible store must show: run against embedded dynalite always and
 * against LocalStack when a Docker engine is there.
 */
abstract class StateTablesContract {
    /** A config with a fresh table prefix on the store under test. */
    abstract StateConfig config();

    CallCounter calls;
    StateTables tables;
    MutableClock clock;

    @BeforeEach
    void open() {
        calls = new CallCounter();
        tables = TestDynamo.tables(config(), calls);
        clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        calls.reset();
    }

    @AfterEach
    void close() {
        tables.client().close();
    }

    @Test
    void tableCreationIsIdempotent() {
        var again = new StateTables(tables.client(), tables.prefix(), tables.endpointDescription(), tables.dueShards());
        again.ensureCreated();
        again.ensureCreated();
        assertEquals(0, calls.get("CreateTable"), calls.snapshot().toString());
        var names = tables.client().listTablesPaginator().tableNames().stream().filter(n -> n.startsWith(tables.prefix())).sorted().toList();
        assertEquals(7, names.size(), names.toString());
    }

    // --- idempotency records -----------------------------------------------------------------------------------

    @Test
    void idempotencyLifecycle() {
        var store = new IdempotencyStore(tables, clock);
        Begin first = store.begin("evt-1", Duration.ofMinutes(5));
        assertEquals(Status.NEW, first.status());
        assertNotNull(first.owner());
        Begin second = store.begin("evt-1", Duration.ofMinutes(5));
        assertEquals(Status.IN_PROGRESS, second.status());
        assertFalse(second.mayProceed());
        store.complete(first, "{\"ok\":true}");
        Begin third = store.begin("evt-1", Duration.ofMinutes(5));
        assertEquals(Status.COMPLETED, third.status());
        assertEquals("{\"ok\":true}", third.result());
        assertEquals("COMPLETED", store.get("evt-1").getState());
        assertTrue(store.get("evt-1").getExpiresAt() > clock.millis() / 1000, "TTL attribute set");
    }

    @Test
    void expiredLeaseIsTakenOverAndOldOwnerLosesIt() {
        var store = new IdempotencyStore(tables, clock);
        Begin a = store.begin("evt-2", Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(29));
        assertEquals(Status.IN_PROGRESS, store.begin("evt-2", Duration.ofSeconds(30)).status());
        clock.advance(Duration.ofSeconds(2));
        Begin b = store.begin("evt-2", Duration.ofSeconds(30));
        assertEquals(Status.TAKEN_OVER, b.status());
        assertThrows(IdempotencyStore.LeaseLostException.class, () -> store.complete(a, "late"));
        store.complete(b, "done");
        assertEquals("done", store.begin("evt-2", Duration.ofSeconds(30)).result());
    }

    @Test
    void releasedWorkIsNewAgainAndExpiredRecordsAreAbsent() {
        var store = new IdempotencyStore(tables, clock, Duration.ofHours(1));
        Begin a = store.begin("evt-3", Duration.ofSeconds(30));
        store.release("evt-3", a.owner());
        assertNull(store.get("evt-3"));
        Begin b = store.begin("evt-3", Duration.ofSeconds(30));
        assertEquals(Status.NEW, b.status());
        store.complete(b, "r");
        clock.advance(Duration.ofHours(2)); // past retention: DynamoDB may not have deleted it yet; readers ignore it
        assertEquals(Status.NEW, store.begin("evt-3", Duration.ofSeconds(30)).status());
    }

    @Test
    void expiredRecordsAreSweptInBoundedBatchesPerGroup() {
        var store = new IdempotencyStore(tables, clock, Duration.ofHours(1));
        for (int i = 0; i < 5; i++) store.complete(store.begin("tick/old-" + i, Duration.ofSeconds(30)), "r" + i);
        store.complete(store.begin("ingest/old", Duration.ofSeconds(30)), "other group");
        clock.advance(Duration.ofMinutes(59));
        store.complete(store.begin("tick/young", Duration.ofSeconds(30)), "young");
        assertEquals(0, store.sweepExpired("tick", 10), "nothing has expired yet");
        clock.advance(Duration.ofMinutes(2)); // the five old tick records (and ingest/old) are past retention
        // an expired record another delivery claims again before the sweep is not deleted
        assertEquals(Status.NEW, store.begin("tick/old-4", Duration.ofSeconds(30)).status());
        assertEquals(3, store.sweepExpired("tick", 3), "at most the limit");
        assertEquals(1, store.sweepExpired("tick", 3), "the rest of the expired ones");
        assertEquals(0, store.sweepExpired("tick", 3));
        for (int i = 0; i < 4; i++) assertNull(store.get("tick/old-" + i), "tick/old-" + i);
        assertEquals(IdempotencyStore.IN_PROGRESS, store.get("tick/old-4").getState(), "re-claimed, kept");
        assertEquals("young", store.get("tick/young").getResult());
        assertEquals("other group", store.get("ingest/old").getResult(), "another group is left alone");
        assertEquals(1, store.sweepExpired("ingest", 3));
        assertEquals("tick", IdempotencyStore.groupOf("tick/a/b"));
        assertEquals("default", IdempotencyStore.groupOf("no-slash"));
    }

    @Test
    void concurrentBeginsHaveExactlyOneWinner() throws Exception {
        var store = new IdempotencyStore(tables, clock);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Status>> fs = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Callable<Status> c = () -> {
                go.await();
                return store.begin("evt-race", Duration.ofMinutes(1)).status();
            };
            fs.add(pool.submit(c));
        }
        go.countDown();
        List<Status> got = new ArrayList<>();
        for (Future<Status> f : fs) got.add(f.get());
        pool.shutdown();
        assertEquals(1, got.stream().filter(s -> s == Status.NEW).count(), got.toString());
        assertEquals(threads - 1, got.stream().filter(s -> s == Status.IN_PROGRESS).count(), got.toString());
    }

    // --- flows -------------------------------------------------------------------------------------------------

    private FlowItem flow(String ds, String type, Long dueAt) {
        FlowItem f = new FlowItem();
        f.setDatasetId(ds);
        f.setFlowType(type);
        f.setStatus("WAITING");
        f.setEnabled(true);
        f.setDueAt(dueAt);
        return f;
    }

    @Test
    void dueFlowsComeFromTheShardedIndexWithoutScan() {
        var flows = new FlowRepository(tables);
        long now = clock.millis();
        int all = 120;
        for (int i = 0; i < all; i++) {
            // 10 due (in the past), 100 in the future, 10 unscheduled
            Long due = i < 10 ? Long.valueOf(now - 1000L * (i + 1)) : i < 110 ? Long.valueOf(now + 60_000L * i) : null;
            flows.save(flow("did:odf:ds" + i, i % 2 == 0 ? "INGEST" : "TRANSFORM", due));
        }
        calls.reset();
        List<FlowItem> due = flows.due(clock.instant(), 100);
        assertEquals(10, due.size());
        for (int i = 1; i < due.size(); i++) assertTrue(due.get(i - 1).getDueAt() <= due.get(i).getDueAt(), "earliest first");
        assertEquals(tables.dueShards(), calls.get("Query"), "one Query per shard");
        assertEquals(0, calls.get("Scan"));
        assertEquals(Map.of("Query", (long) tables.dueShards()), calls.snapshot());
        assertEquals(3, flows.due(clock.instant(), 3).size());
        // the shard is stable and within range, unscheduled flows carry none
        FlowItem unscheduled = flows.get("did:odf:ds115", "TRANSFORM").orElseThrow();
        assertNull(unscheduled.getDueShard());
        FlowItem some = flows.get("did:odf:ds3", "TRANSFORM").orElseThrow();
        assertEquals(FlowRepository.shardOf("did:odf:ds3", "TRANSFORM", tables.dueShards()), some.getDueShard());
    }

    @Test
    void flowsUseOptimisticLocking() {
        var flows = new FlowRepository(tables);
        flows.save(flow("did:odf:x", "INGEST", null));
        flows.save(flow("did:odf:x", "COMPACT", null));
        FlowItem a = flows.get("did:odf:x", "INGEST").orElseThrow();
        FlowItem b = flows.get("did:odf:x", "INGEST").orElseThrow();
        a.setStatus("SCHEDULED");
        a.setDueAt(clock.millis());
        flows.save(a);
        b.setStatus("STALE");
        assertThrows(ConditionalCheckFailedException.class, () -> flows.save(b));
        assertThrows(ConditionalCheckFailedException.class, () -> flows.save(flow("did:odf:x", "INGEST", null)), "create over existing");
        assertEquals("SCHEDULED", flows.get("did:odf:x", "INGEST").orElseThrow().getStatus());
        assertEquals(List.of("COMPACT", "INGEST"), flows.byDataset("did:odf:x").stream().map(FlowItem::getFlowType).toList());
    }

    // --- tasks -------------------------------------------------------------------------------------------------

    @Test
    void tasksByDatasetNewestFirst() {
        var tasks = new TaskRepository(tables);
        for (int i = 0; i < 12; i++) {
            TaskItem t = new TaskItem();
            t.setTaskId("task-" + i);
            t.setDatasetId(i % 3 == 0 ? "did:odf:other" : "did:odf:mine");
            t.setCreatedAt(1_000L + i);
            t.setFlowType("INGEST");
            t.setStatus("QUEUED");
            assertTrue(tasks.create(t));
        }
        TaskItem dup = new TaskItem();
        dup.setTaskId("task-1");
        dup.setDatasetId("did:odf:mine");
        dup.setCreatedAt(5L);
        assertFalse(tasks.create(dup), "redelivered create does not overwrite");
        calls.reset();
        List<String> newest = tasks.byDataset("did:odf:mine", 3).stream().map(TaskItem::getTaskId).toList();
        assertEquals(List.of("task-11", "task-10", "task-8"), newest);
        assertEquals(1, calls.get("Query"));
        assertEquals(8, tasks.byDataset("did:odf:mine", 100).size());
        TaskItem t = tasks.get("task-11").orElseThrow();
        t.setStatus("RUNNING");
        assertTrue(tasks.update(t, "QUEUED"));
        t.setStatus("FINISHED");
        assertFalse(tasks.update(t, "QUEUED"), "another worker already moved it");
        assertTrue(tasks.update(t, "RUNNING"));
        assertEquals("FINISHED", tasks.get("task-11").orElseThrow().getStatus());
    }

    @Test
    void savedFlowBeanCarriesTheStoredVersion() {
        var flows = new FlowRepository(tables);
        FlowItem f = flow("did:odf:v", "INGEST", null);
        flows.save(f);
        assertEquals(flows.get("did:odf:v", "INGEST").orElseThrow().getVersion(), f.getVersion());
        f.setStatus("RUNNING");
        assertTrue(flows.trySave(f), "the same bean can be saved again");
        assertEquals(flows.get("did:odf:v", "INGEST").orElseThrow().getVersion(), f.getVersion());
        FlowItem stale = flows.get("did:odf:v", "INGEST").orElseThrow();
        assertTrue(flows.trySave(f));
        stale.setStatus("STALE");
        assertFalse(flows.trySave(stale));
        assertEquals("RUNNING", flows.get("did:odf:v", "INGEST").orElseThrow().getStatus());
    }

    @Test
    void bulkLoadedFlowsAreIndexedAndVersioned() {
        var flows = new FlowRepository(tables);
        List<FlowItem> items = new ArrayList<>();
        for (int i = 0; i < 60; i++) items.add(flow("did:odf:bulk" + i, "INGEST", i < 7 ? Long.valueOf(clock.millis() - i) : i < 50 ? Long.valueOf(clock.millis() + 60_000) : null));
        calls.reset();
        flows.putAll(items);
        assertEquals(Map.of("BatchWriteItem", 3L), calls.snapshot());
        assertEquals(7, flows.due(clock.instant(), 100).size());
        FlowItem f = flows.get("did:odf:bulk3", "INGEST").orElseThrow();
        assertEquals(1L, f.getVersion());
        assertEquals(FlowRepository.shardOf("did:odf:bulk3", "INGEST", tables.dueShards()), f.getDueShard());
        assertNull(flows.get("did:odf:bulk55", "INGEST").orElseThrow().getDueShard());
        f.setStatus("RUNNING");
        assertTrue(flows.trySave(f), "a bulk-loaded flow takes versioned writes");
    }

    private TaskItem task(String id, String ds, long createdAt) {
        TaskItem t = new TaskItem();
        t.setTaskId(id);
        t.setDatasetId(ds);
        t.setCreatedAt(createdAt);
        t.setFlowType("INGEST");
        t.setStatus("QUEUED");
        return t;
    }

    @Test
    void dispatchQueueIsOrderedByPriorityThenAgeAcrossShards() {
        var tasks = new TaskRepository(tables);
        long now = clock.millis();
        int[] priorities = {0, 5, 999, 5, 0, 100, 5, 0, 0, 0};
        for (int i = 0; i < priorities.length; i++) {
            TaskItem t = task("q-" + i, "did:odf:q" + i, now + i);
            t.setQueueShard(tasks.shardOf(t.getTaskId()));
            t.setQueueKey(TaskRepository.queueKey(priorities[i], t.getCreatedAt(), t.getTaskId()));
            assertTrue(tasks.create(t));
        }
        assertTrue(tasks.create(task("not-queued", "did:odf:q0", now)), "tasks without queue attributes are not in the index");
        calls.reset();
        assertEquals(List.of("q-2", "q-5", "q-1", "q-3"), tasks.queued(4).stream().map(TaskItem::getTaskId).toList());
        assertEquals(Map.of("Query", (long) tables.dueShards()), calls.snapshot());
        assertEquals(10, tasks.queued(100).size());
        assertThrows(IllegalArgumentException.class, () -> TaskRepository.queueKey(1000, 0, "x"));
    }

    @Test
    void leasesAreFoundByExpiryAndConditionalOnTheHolder() {
        var tasks = new TaskRepository(tables);
        long now = clock.millis();
        for (int i = 0; i < 5; i++) {
            TaskItem t = task("l-" + i, "did:odf:l", now);
            t.setStatus("RUNNING");
            t.setLeaseOwner("owner-" + i);
            t.setLeaseShard(tasks.shardOf(t.getTaskId()));
            t.setLeaseUntil(now + 1000L * (5 - i));
            assertTrue(tasks.create(t));
        }
        List<TaskItem> leased = tasks.leased();
        assertEquals(List.of("l-4", "l-3", "l-2", "l-1", "l-0"), leased.stream().map(TaskItem::getTaskId).toList());
        TaskItem t = leased.get(0);
        long until = t.getLeaseUntil();
        t.setLeaseUntil(until + 60_000);
        assertFalse(tasks.updateLeased(t, "RUNNING", "someone-else", until));
        assertFalse(tasks.updateLeased(t, "QUEUED", "owner-4", until));
        assertFalse(tasks.updateLeased(t, "RUNNING", "owner-4", until + 1));
        assertTrue(tasks.updateLeased(t, "RUNNING", "owner-4", until));
        t.setLeaseShard(null);
        t.setLeaseUntil(null);
        t.setLeaseOwner(null);
        t.setStatus("SUCCEEDED");
        assertTrue(tasks.updateLeased(t, "RUNNING", "owner-4", until + 60_000));
        assertEquals(4, tasks.leased().size(), "a finished task leaves the lease index");
    }

    @Test
    void recentTasksAcrossDaysNewestFirst() {
        var tasks = new TaskRepository(tables);
        long day = 86_400_000L;
        long noon = clock.millis() + day / 2;
        // r-0, r-1 on Jan 1; r-2, r-3 on Dec 31; r-4, r-5 on Dec 30
        for (int i = 0; i < 6; i++) assertTrue(tasks.create(task("r-" + i, "did:odf:r" + (i % 2), noon - day * (i / 2) - i)));
        assertEquals("2025-01-01", tasks.get("r-0").orElseThrow().getCreatedDay());
        assertEquals("2024-12-31", tasks.get("r-3").orElseThrow().getCreatedDay());
        Instant later = Instant.ofEpochMilli(noon + 3_600_000L);
        assertEquals(List.of("r-0", "r-1", "r-2", "r-3", "r-4"), tasks.recent(later, 5, 30).stream().map(TaskItem::getTaskId).toList());
        assertEquals(List.of("r-0", "r-1", "r-2", "r-3"), tasks.recent(later, 10, 2).stream().map(TaskItem::getTaskId).toList(),
                "two days back only");
    }

    // --- accounts and tokens -----------------------------------------------------------------------------------

    @Test
    void accountsByNameAndId() {
        var accounts = new AccountRepository(tables);
        AccountItem a = new AccountItem();
        a.setName("Alice");
        a.setAccountId("did:odf:acc-alice");
        a.setDisplayName("Alice A.");
        assertTrue(accounts.create(a));
        AccountItem clash = new AccountItem();
        clash.setName("ALICE");
        clash.setAccountId("did:odf:acc-other");
        assertFalse(accounts.create(clash), "names are unique case-insensitively");
        assertEquals("did:odf:acc-alice", accounts.byName("alice").orElseThrow().getAccountId());
        assertEquals("Alice", accounts.byId("did:odf:acc-alice").orElseThrow().getName());
        assertTrue(accounts.byId("did:odf:acc-other").isEmpty());
    }

    @Test
    void tokensStoreOnlyAHashOfTheSecret() {
        var tokens = new TokenRepository(tables, clock);
        var issued = tokens.issue("alice", "ci", clock.instant().plus(Duration.ofDays(1)));
        var other = tokens.issue("alice", "laptop", null);
        assertTrue(issued.secret().startsWith(TokenRepository.SECRET_PREFIX));
        assertEquals("alice", tokens.verify(issued.secret()).orElseThrow().getAccount());
        assertTrue(tokens.verify(issued.secret() + "x").isEmpty());
        // nothing stored contains the secret
        var raw = tables.client().scan(r -> r.tableName(tables.tableName(StateTables.TOKENS))).items();
        assertEquals(2, raw.size());
        assertFalse(raw.toString().contains(issued.secret().substring(TokenRepository.SECRET_PREFIX.length())));
        assertEquals(java.util.Set.of("laptop", "ci"),
                tokens.byAccount("Alice").stream().map(TokenItem::getName).collect(Collectors.toSet()));
        clock.advance(Duration.ofDays(2));
        assertTrue(tokens.verify(issued.secret()).isEmpty(), "expired");
        assertTrue(tokens.verify(other.secret()).isPresent());
        assertTrue(tokens.revoke("alice", other.tokenId()));
        assertTrue(tokens.verify(other.secret()).isEmpty(), "revoked");
    }

    // --- alias claims (conditional write) ------------------------------------------------------------------------

    @Test
    void aliasClaimIsConditional() {
        var index = new DatasetIndex(tables, null);
        assertTrue(index.claimAlias(null, "Scores", "did:odf:a"));
        assertTrue(index.claimAlias(null, "scores", "did:odf:a"), "re-claim by the same dataset is idempotent");
        assertFalse(index.claimAlias(null, "SCORES", "did:odf:b"));
        assertTrue(index.claimAlias("kamu", "scores", "did:odf:b"), "other account, other alias");
        DatasetItem claim = tables.datasets.getItem(r -> r.key(k -> k.partitionValue(DatasetItem.claimKey(null, "scores"))));
        assertEquals("did:odf:a", claim.getClaimedBy());
    }
}
