package dev.sluice.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.state.items.BlockItem;
import dev.sluice.state.items.DatasetItem;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wipe-and-reindex yields, item by item, the index that the commits built. */
class ReindexTest {
    @TempDir
    Path root;

    StateTables tables;
    CallCounter calls;

    @BeforeEach
    void open() {
        calls = new CallCounter();
        tables = TestDynamo.tables(TestDynamo.embeddedConfig(), calls);
    }

    @AfterEach
    void close() {
        tables.client().close();
    }

    /** 45 roots × 42 blocks + 5 derivatives × 26 blocks = 2020 blocks in 50 datasets. */
    static List<Dataset> buildWorkspace(DatasetRepository repo, DatasetIndex index, int roots, int rootCommits,
                                        int derivatives, int derivativeCommits) {
        List<Dataset> all = new ArrayList<>();
        for (int i = 0; i < roots; i++) {
            Dataset ds = Chains.createRoot(repo, (i % 3 == 0 ? "acme/" : "") + "root-" + i);
            all.add(ds);
            for (int c = 0; c < rootCommits; c++) ds.commit(Chains.addData("r" + i + "c" + c, 1 + c % 7));
        }
        for (int i = 0; i < derivatives; i++) {
            Dataset d = Chains.createDerivative(repo, "derived-" + i, all.get(i), all.get(i + 1));
            all.add(d);
            for (int c = 0; c < derivativeCommits; c++) d.commit(Chains.info("rev " + c));
        }
        return all;
    }

    static <T> Map<String, T> scan(StateTables tables, software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable<T> table,
                                   java.util.function.Function<T, String> key) {
        Map<String, T> out = new TreeMap<>();
        table.scan(r -> r.consistentRead(true)).items().forEach(i -> out.put(key.apply(i), i));
        return out;
    }

    @Test
    void reindexEqualsTheIndexBuiltByCommits() {
        DatasetRepository repo = new DatasetRepository(new FileSystemObjectStore(root));
        DatasetIndex index = new DatasetIndex(tables, repo);
        repo.addListener(index);
        List<Dataset> all = buildWorkspace(repo, index, 45, 39, 5, 24);
        assertEquals(0, index.failures());

        Map<String, DatasetItem> datasetsByCommits = scan(tables, tables.datasets, DatasetItem::getPk);
        Map<String, BlockItem> blocksByCommits = scan(tables, tables.blocks, b -> b.getDatasetId() + "#" + b.getSeq());
        assertEquals(50 * 2, datasetsByCommits.size(), "50 datasets + 50 alias claims");
        assertTrue(blocksByCommits.size() >= 2000, "blocks: " + blocksByCommits.size());
        assertEquals(45 * 42 + 5 * 26, blocksByCommits.size());
        for (Dataset ds : all) {
            assertEquals(ds.head().orElseThrow().toMultibase(), datasetsByCommits.get(ds.id().toDid()).getHead());
        }

        List<Reindexer.Progress> progress = new ArrayList<>();
        calls.reset();
        Reindexer.Result result = new Reindexer(tables, new DatasetRepository(new FileSystemObjectStore(root))).run(progress::add);
        // Scan is used only by the wipe (maintenance), never by the rebuild itself: one page per 1 MB of keys
        assertTrue(calls.get("Scan") >= 2 && calls.get("Scan") <= 6, calls.snapshot().toString());
        assertEquals(0, calls.get("Query"), "rebuild reads storage only");
        assertEquals(50, result.datasets());
        assertEquals(blocksByCommits.size(), result.blocks());
        assertEquals(datasetsByCommits.size() + blocksByCommits.size(), result.itemsWiped());
        assertEquals(List.of("flows", "tasks", "accounts", "tokens", "idempotency"), result.untouchedTables());
        assertEquals(50, progress.size());
        assertEquals(new Reindexer.Progress(50, 50, result.blocks()), progress.get(49));

        Map<String, DatasetItem> datasetsByReindex = scan(tables, tables.datasets, DatasetItem::getPk);
        Map<String, BlockItem> blocksByReindex = scan(tables, tables.blocks, b -> b.getDatasetId() + "#" + b.getSeq());
        assertEquals(datasetsByCommits.keySet(), datasetsByReindex.keySet());
        for (String k : datasetsByCommits.keySet()) assertEquals(datasetsByCommits.get(k), datasetsByReindex.get(k), k);
        assertEquals(blocksByCommits.keySet(), blocksByReindex.keySet());
        for (String k : blocksByCommits.keySet()) assertEquals(blocksByCommits.get(k), blocksByReindex.get(k), k);
    }

    @Test
    void reindexLeavesOperationalTablesAlone() {
        DatasetRepository repo = new DatasetRepository(new FileSystemObjectStore(root));
        Chains.createRoot(repo, "one");
        var flows = new FlowRepository(tables);
        var f = new dev.sluice.state.items.FlowItem();
        f.setDatasetId("did:odf:x");
        f.setFlowType("INGEST");
        flows.save(f);
        new IdempotencyStore(tables, java.time.Clock.systemUTC()).begin("evt", java.time.Duration.ofMinutes(1));
        Reindexer.Result r = new Reindexer(tables, repo).run(null);
        assertEquals(1, r.datasets());
        assertEquals(3, r.blocks());
        assertTrue(r.note().contains("left alone"));
        assertTrue(flows.get("did:odf:x", "INGEST").isPresent());
        assertTrue(new IdempotencyStore(tables, java.time.Clock.systemUTC()).get("evt") != null);
    }
}
