package dev.sluice.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.DatasetId;
import dev.sluice.state.DatasetIndex.IndexedHead;
import dev.sluice.state.items.BlockItem;
import dev.sluice.state.items.DatasetItem;
import dev.sluice.storage.CommitResult;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import dev.sluice.storage.HashedBlock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index kept true by commits, caught up by fresh reads, never moved backwards; on embedded dynalite. */
class DatasetIndexTest {
    @TempDir
    Path root;

    CallCounter calls;
    StateTables tables;
    DatasetRepository repo;
    DatasetIndex index;

    @BeforeEach
    void open() {
        calls = new CallCounter();
        tables = TestDynamo.tables(TestDynamo.embeddedConfig(), calls);
        repo = new DatasetRepository(new FileSystemObjectStore(root));
        index = new DatasetIndex(tables, repo);
        repo.addListener(index);
    }

    @AfterEach
    void close() {
        tables.client().close();
    }

    private static List<String> hashes(List<HashedBlock> chain) {
        return chain.stream().map(b -> b.hash().toMultibase()).toList();
    }

    @Test
    void commitUpdatesTheIndexWithTwoCallsAndNoRead() {
        Dataset ds = Chains.createRoot(repo, "kamu/player-scores");
        index.sync(ds.id()); // creation does not notify listeners: the first sync catches the Seed blocks up
        ds.commit(Chains.addData("a", 10));
        calls.reset();
        CommitResult r = ds.commit(Chains.addData("b", 5));
        assertEquals(Map.of("PutItem", 1L, "UpdateItem", 1L), calls.snapshot());
        assertEquals(0, index.failures());

        DatasetItem item = index.get(ds.id()).orElseThrow();
        assertEquals(r.newHead().toMultibase(), item.getHead());
        assertEquals(4L, item.getSeq());
        assertEquals("Root", item.getKind());
        assertEquals("kamu", item.getOwner());
        assertEquals("private", item.getVisibility());
        assertEquals(r.block().systemTime(), item.getLastUpdated());

        calls.reset();
        List<BlockItem> items = index.blockItems(ds.id());
        assertEquals(Map.of("Query", 1L), calls.snapshot(), "a chain is one Query");
        assertEquals(List.of(4L, 3L, 2L, 1L, 0L), items.stream().map(BlockItem::getSeq).toList());
        BlockItem last = items.get(0);
        assertEquals("AddData", last.getEventKind());
        assertEquals(10L, last.getOffsetStart());
        assertEquals(14L, last.getOffsetEnd());
        assertEquals("AddPushSource", items.get(3).getEventKind());
        assertEquals("default", items.get(3).getSourceName());

        List<HashedBlock> fromIndex = index.chain(ds.id());
        List<HashedBlock> fromStorage = ds.chain();
        assertEquals(hashes(fromStorage), hashes(fromIndex));
        for (int i = 0; i < fromStorage.size(); i++) {
            assertArrayEquals(fromStorage.get(i).bytes(), fromIndex.get(i).bytes());
            assertEquals(fromStorage.get(i).block(), fromIndex.get(i).block());
        }
        assertEquals("kamu/player-scores", index.findByAlias("KAMU", "Player-Scores").orElseThrow().getAlias());
        assertEquals(1, index.listByAccount("kamu").size());
    }

    @Test
    void freshReadCatchesUpAnIndexThatIsBehind() {
        Dataset ds = Chains.createRoot(repo, "scores");
        ds.commit(Chains.addData("a", 1)); // first commit: index was empty, catches up the whole chain
        assertEquals(1, index.catchUps());
        // another writer without the listener moves storage ahead
        DatasetRepository other = new DatasetRepository(new FileSystemObjectStore(root));
        Dataset same = other.get(ds.id().toDid());
        for (int i = 0; i < 5; i++) same.commit(Chains.addData("o" + i, 1));
        IndexedHead stale = index.indexedHead(ds.id(), false).orElseThrow();
        assertEquals(3, stale.sequenceNumber());
        calls.reset();
        IndexedHead fresh = index.indexedHead(ds.id(), true).orElseThrow();
        assertEquals(ds.head().orElseThrow(), fresh.head());
        assertEquals(8, fresh.sequenceNumber());
        assertEquals(hashes(ds.chain()), hashes(index.chain(ds.id())));
        // already fresh: one GetItem, no writes
        calls.reset();
        assertEquals(fresh, index.indexedHead(ds.id(), true).orElseThrow());
        assertEquals(Map.of("GetItem", 1L), calls.snapshot());
    }

    @Test
    void redeliveredOrLateNotificationsNeverMoveTheHeadBackwards() {
        Dataset ds = Chains.createRoot(repo, "scores");
        CommitResult first = ds.commit(Chains.addData("a", 1));
        CommitResult second = ds.commit(Chains.addData("b", 1));
        index.committed(ds.id(), ds.alias(), first);
        index.committed(ds.id(), ds.alias(), second);
        index.committed(ds.id(), ds.alias(), first);
        assertEquals(second.newHead().toMultibase(), index.get(ds.id()).orElseThrow().getHead());
        assertEquals(0, index.failures());
        assertEquals(5, index.blockItems(ds.id()).size());
    }

    @Test
    void aListenerFailureDoesNotFailTheCommitAndIsRepairedLater() {
        Dataset ds = Chains.createRoot(repo, "scores");
        ds.commit(Chains.addData("a", 1));
        // an index on tables that do not exist: every update fails
        StateTables missing = new StateTables(tables.client(), "missing-" + TestDynamo.uniquePrefix(), "test", 8);
        DatasetIndex broken = new DatasetIndex(missing, repo);
        DatasetRepository repo2 = new DatasetRepository(new FileSystemObjectStore(root));
        repo2.addListener(broken);
        CommitResult r = repo2.get(ds.id().toDid()).commit(Chains.addData("b", 1));
        assertEquals(1, broken.failures());
        assertEquals(r.newHead(), ds.head().orElseThrow(), "the commit itself succeeded");
        // the healthy index is behind by one and catches up on the next commit through it
        assertEquals(3L, index.get(ds.id()).orElseThrow().getSeq());
        ds.commit(Chains.addData("c", 1));
        assertEquals(5L, index.get(ds.id()).orElseThrow().getSeq());
        assertEquals(hashes(ds.chain()), hashes(index.chain(ds.id())));
    }

    @Test
    void upstreamAndDownstreamDependencies() {
        Dataset a = Chains.createRoot(repo, "a");
        Dataset b = Chains.createRoot(repo, "b");
        Dataset d = Chains.createDerivative(repo, "d", a, b);
        for (Dataset x : List.of(a, b, d)) index.sync(x.id());
        d.commit(Chains.info("derived"));
        assertEquals(Set.of(a.id().toDid(), b.id().toDid()), index.get(d.id()).orElseThrow().getUpstream());
        assertEquals(Set.of(d.id().toDid()), index.get(a.id()).orElseThrow().getDownstream());
        assertEquals(Set.of(d.id().toDid()), index.get(b.id()).orElseThrow().getDownstream());
        assertNull(index.get(d.id()).orElseThrow().getDownstream());
        assertEquals("Derivative", index.get(d.id()).orElseThrow().getKind());
    }

    @Test
    void concurrentCommitsFromEightRepositoriesLeaveIndexHeadEqualToStorageHead() throws Exception {
        List<DatasetId> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) ids.add(Chains.createRoot(repo, "ds" + i).id());
        int threads = 8;
        int commitsPerThread = 12;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> fs = new ArrayList<>();
        List<DatasetIndex> indexes = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            DatasetRepository own = new DatasetRepository(new FileSystemObjectStore(root));
            DatasetIndex idx = new DatasetIndex(tables, own);
            own.addListener(idx);
            indexes.add(idx);
            int thread = t;
            fs.add(pool.submit(() -> {
                go.await();
                int n = 0;
                for (int c = 0; c < commitsPerThread; c++) {
                    DatasetId id = ids.get((thread + c) % ids.size());
                    own.get(id.toDid()).commit(Chains.addData("t" + thread + "c" + c, 1));
                    n++;
                }
                return n;
            }));
        }
        go.countDown();
        int total = 0;
        for (Future<Integer> f : fs) total += f.get();
        pool.shutdown();
        assertEquals(threads * commitsPerThread, total);
        long blocks = 0;
        for (DatasetId id : ids) {
            Dataset ds = repo.get(id.toDid());
            DatasetItem item = index.get(id).orElseThrow();
            assertEquals(ds.head().orElseThrow().toMultibase(), item.getHead(), "index head == storage head for " + ds);
            List<BlockItem> items = index.blockItems(id);
            assertEquals(item.getSeq() + 1, items.size());
            assertEquals(hashes(ds.chain()), items.stream().map(BlockItem::getHash).toList());
            blocks += items.size();
        }
        assertEquals(3 * 3 + threads * commitsPerThread, blocks);
        for (DatasetIndex idx : indexes) assertEquals(0, idx.failures(), String.valueOf(idx.lastFailure()));
    }

    @Test
    void writeBehindFoldsQueuedCommitsIntoBatchedUpdatesAndFlushes() throws Exception {
        DatasetRepository wbRepo = new DatasetRepository(new FileSystemObjectStore(root.resolve("wb")));
        DatasetIndex wbIndex = new DatasetIndex(tables, wbRepo);
        Dataset ds = Chains.createRoot(wbRepo, "kamu/write-behind");
        wbIndex.sync(ds.id());
        try (IndexWriteBehind wb = new IndexWriteBehind(wbIndex)) {
            wbRepo.addListener(wb);
            calls.reset();
            for (int i = 0; i < 60; i++) ds.commit(Chains.addData("w" + i, 1));
            assertTrue(wb.flush(java.time.Duration.ofMinutes(1)));
            Map<String, Long> applyCalls = calls.snapshot();
            assertEquals(0, wb.backlog());
            assertEquals(0, wbIndex.failures(), String.valueOf(wbIndex.lastFailure()));
            DatasetItem item = wbIndex.get(ds.id()).orElseThrow();
            assertEquals(ds.head().orElseThrow().toMultibase(), item.getHead());
            assertEquals(hashes(ds.chain()), wbIndex.blockItems(ds.id()).stream().map(BlockItem::getHash).toList());
            // one UpdateItem per applied run, and never more than one per commit: queued commits were folded
            long updates = applyCalls.getOrDefault("UpdateItem", 0L);
            assertTrue(updates >= 3 && updates <= 60, "60 commits in runs of at most 25: " + applyCalls);
            assertEquals(0L, applyCalls.getOrDefault("GetItem", 0L), "no reads on the fast path");
        }
    }

    @Test
    void writeBehindAppliesOutOfOrderNotificationsInSequence() {
        Dataset ds = Chains.createRoot(repo, "kamu/out-of-order");
        index.sync(ds.id());
        DatasetRepository quiet = new DatasetRepository(new FileSystemObjectStore(root));
        Dataset same = quiet.get(ds.id().toDid());
        List<CommitResult> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) results.add(same.commit(Chains.addData("o" + i, 1)));
        List<CommitResult> shuffled = List.of(results.get(3), results.get(0), results.get(4), results.get(1), results.get(2));
        List<List<CommitResult>> runs = IndexWriteBehind.contiguousRuns(shuffled);
        assertEquals(List.of(results), runs, "sorted into one contiguous run");
        try (IndexWriteBehind wb = new IndexWriteBehind(index)) {
            for (CommitResult r : shuffled) wb.committed(ds.id(), "kamu/out-of-order", r);
            assertTrue(wb.flush(java.time.Duration.ofMinutes(1)));
        }
        assertEquals(ds.head().orElseThrow().toMultibase(), index.get(ds.id()).orElseThrow().getHead());
        assertEquals(0, index.failures(), String.valueOf(index.lastFailure()));
    }
}
