package dev.sluice.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.Multihash;
import dev.sluice.state.DatasetIndex.IndexedHead;
import dev.sluice.state.items.BlockItem;
import dev.sluice.state.items.DatasetItem;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import dev.sluice.storage.HashedBlock;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index follows chains rewritten with {@link Dataset#replaceHead} (compaction, reset): told by the listener, or
 * on its own when a writer without the listener rewrote the chain (a later commit or fresh read notices).
 */
class DatasetIndexRewriteTest {
    @TempDir Path root;

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

    static List<String> hashes(List<HashedBlock> chain) {
        return chain.stream().map(b -> b.hash().toMultibase()).toList();
    }

    /** 8 more AddData blocks (up to seq 11), indexed; then the chain is rewound to seq 5 and grown by 2 other blocks (seq 6, 7). */
    Dataset rewritten(Dataset ds, DatasetRepository via) {
        for (int i = 0; i < 8; i++) ds.commit(Chains.addData("a" + i, 1));
        Dataset writer = via.get(ds.id().toDid());
        List<HashedBlock> chain = writer.chain();
        Multihash seq5 = chain.get(chain.size() - 1 - 5).hash();
        writer.replaceHead(writer.head().orElseThrow(), seq5);
        writer.commit(Chains.addData("b0", 3));
        writer.commit(Chains.addData("b1", 3));
        return writer;
    }

    void assertIndexEqualsStorage(Dataset ds) {
        assertEquals(hashes(ds.chain()), hashes(index.chain(ds.id())));
        assertEquals(List.of(7L, 6L, 5L, 4L, 3L, 2L, 1L, 0L), index.blockItems(ds.id()).stream().map(BlockItem::getSeq).toList(),
                "items past the new head are gone");
        DatasetItem item = index.get(ds.id()).orElseThrow();
        assertEquals(ds.head().orElseThrow().toMultibase(), item.getHead());
        assertEquals(7L, item.getSeq());
    }

    @Test
    void listenerFollowsTheRewriteAndKeepsVisibilityAndDownstream() {
        Dataset ds = Chains.createRoot(repo, "scores");
        Dataset derived = Chains.createDerivative(repo, "derived", ds);
        index.sync(derived.id());
        ds.commit(Chains.addData("first", 1));
        tables.client().updateItem(r -> r.tableName(tables.datasets.tableName())
                .key(Map.of("pk", IdempotencyStore.str(ds.id().toDid())))
                .updateExpression("SET visibility = :v").expressionAttributeValues(Map.of(":v", IdempotencyStore.str("public"))));
        rewritten(ds, repo); // same repository: the index listener is told of the rewrite

        assertEquals(0, index.failures(), () -> String.valueOf(index.lastFailure()));
        assertEquals(1, index.rewrites());
        assertIndexEqualsStorage(ds);
        DatasetItem item = index.get(ds.id()).orElseThrow();
        assertEquals("public", item.getVisibility());
        assertEquals(java.util.Set.of(derived.id().toDid()), item.getDownstream());
        // Back on the two-call fast path.
        calls.reset();
        ds.commit(Chains.addData("next", 1));
        assertEquals(Map.of("PutItem", 1L, "UpdateItem", 1L), calls.snapshot());
    }

    @Test
    void writeBehindAppliesTheRewriteAfterTheCommitsQueuedWithIt() {
        DatasetRepository behindRepo = new DatasetRepository(new FileSystemObjectStore(root));
        DatasetIndex behindIndex = new DatasetIndex(tables, behindRepo);
        try (IndexWriteBehind behind = new IndexWriteBehind(behindIndex)) {
            behindRepo.addListener(behind);
            Dataset ds = Chains.createRoot(behindRepo, "scores");
            ds.commit(Chains.addData("first", 1));
            rewritten(ds, behindRepo); // 8 commits, a rewind, 2 commits: all queued, maybe folded together
            assertTrue(behind.flush(java.time.Duration.ofSeconds(60)));
            assertEquals(0, behindIndex.failures(), () -> String.valueOf(behindIndex.lastFailure()));
            index = behindIndex;
            assertIndexEqualsStorage(ds);
        }
    }

    @Test
    void rewriteByAWriterWithoutTheListenerIsRepairedByTheNextCommit() {
        Dataset ds = Chains.createRoot(repo, "scores");
        ds.commit(Chains.addData("first", 1));
        rewritten(ds, new DatasetRepository(new FileSystemObjectStore(root))); // no listener: the index still has seq 11
        assertEquals(11L, index.get(ds.id()).orElseThrow().getSeq());

        ds.commit(Chains.addData("after", 1)); // seq 8 < indexed 11, and the index holds another block at 8
        assertEquals(0, index.failures(), () -> String.valueOf(index.lastFailure()));
        assertEquals(hashes(ds.chain()), hashes(index.chain(ds.id())));
        assertEquals(8L, index.get(ds.id()).orElseThrow().getSeq());
        assertEquals(9, index.blockItems(ds.id()).size());
    }

    @Test
    void rewriteByAWriterWithoutTheListenerIsRepairedByAFreshRead() {
        Dataset ds = Chains.createRoot(repo, "scores");
        ds.commit(Chains.addData("first", 1));
        Dataset writer = rewritten(ds, new DatasetRepository(new FileSystemObjectStore(root)));
        IndexedHead fresh = index.indexedHead(ds.id(), true).orElseThrow();
        assertEquals(writer.head().orElseThrow(), fresh.head());
        assertEquals(7L, fresh.sequenceNumber());
        assertEquals(0, index.failures());
        assertIndexEqualsStorage(writer);
    }
}
