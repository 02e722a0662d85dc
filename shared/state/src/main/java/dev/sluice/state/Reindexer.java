package dev.sluice.state;

import dev.sluice.odf.DatasetAlias;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.OdfFormatException;
import dev.sluice.state.items.BlockItem;
import dev.sluice.state.items.DatasetItem;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.HashedBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Wipes the index tables (datasets, blocks) and rebuilds them from storage alone: {@link DatasetRepository#list()}
 * and each chain. Flows, tasks, accounts, tokens and idempotency records are operational data that the log does not
 * hold: they are left alone, and the result says so.
 *
 * <p>Commits may go on meanwhile: dataset items are written with {@code seq <= :n}, so a head that a concurrent
 * commit moved further is kept (the listener or a fresh read fills its blocks).
 */
public final class Reindexer {
    /** Progress after each dataset. */
    public record Progress(int datasetsDone, int datasetsTotal, long blocksDone) {}

    public record Result(int datasets, long blocks, long itemsWiped, Duration took, List<String> untouchedTables, String note) {
        public double blocksPerSecond() {
            return took.isZero() ? 0 : blocks / (took.toNanos() / 1e9);
        }
    }

    private final StateTables tables;
    private final DatasetRepository repository;

    public Reindexer(StateTables tables, DatasetRepository repository) {
        this.tables = tables;
        this.repository = repository;
    }

    public Result run(Consumer<Progress> progress) {
        long t0 = System.nanoTime();
        long wiped = 0;
        for (String concern : StateTables.INDEX_TABLES) wiped += tables.wipe(concern, null);

        List<DatasetRepository.Entry> entries = repository.list();
        Map<String, DatasetIndex.Delta> deltas = new LinkedHashMap<>();
        Map<String, String> aliases = new LinkedHashMap<>();
        long blocks = 0;
        int done = 0;
        for (DatasetRepository.Entry e : entries) {
            Optional<Dataset> ds = repository.find(e.id().toDid());
            Optional<Multihash> head = ds.flatMap(Dataset::head);
            if (head.isEmpty()) continue; // deleted meanwhile
            List<HashedBlock> chain = new ArrayList<>();
            for (HashedBlock b : ds.get().blocksFrom(head.get())) chain.add(b);
            Collections.reverse(chain);
            List<BlockItem> items = new ArrayList<>(chain.size());
            for (HashedBlock b : chain) items.add(BlockItems.of(e.id(), b.hash(), b.block(), b.bytes()));
            DatasetIndex.putBlocks(tables, items);
            deltas.put(e.id().toDid(), DatasetIndex.fold(chain));
            aliases.put(e.id().toDid(), ds.get().alias());
            blocks += chain.size();
            done++;
            if (progress != null) progress.accept(new Progress(done, entries.size(), blocks));
        }

        Map<String, Set<String>> upstream = new LinkedHashMap<>();
        deltas.forEach((did, d) -> upstream.put(did, d.upstream == null ? Set.of() : d.upstream));
        Map<String, Set<String>> downstream = DatasetIndex.downstreamOf(upstream);
        DatasetIndex index = new DatasetIndex(tables, repository);
        for (var e : deltas.entrySet()) {
            String did = e.getKey();
            DatasetItem item = DatasetIndex.fullItem(dev.sluice.odf.DatasetId.parse(did), aliases.get(did), e.getValue());
            Set<String> down = downstream.get(did);
            item.setDownstream(down == null || down.isEmpty() ? null : new TreeSet<>(down));
            try {
                tables.datasets.putItem(PutItemEnhancedRequest.builder(DatasetItem.class).item(item)
                        .conditionExpression(Expression.builder().expression("attribute_not_exists(seq) OR seq <= :n")
                                .expressionValues(Map.of(":n", IdempotencyStore.num(item.getSeq()))).build())
                        .build());
            } catch (ConditionalCheckFailedException movedOn) {
                if (down != null && !down.isEmpty()) {
                    tables.client().updateItem(r -> r.tableName(tables.datasets.tableName())
                            .key(Map.of("pk", IdempotencyStore.str(did)))
                            .updateExpression("ADD downstream :d")
                            .expressionAttributeValues(Map.of(":d", AttributeValue.builder().ss(down).build())));
                }
            }
            DatasetAlias a = parse(aliases.get(did));
            if (a != null) index.claimAlias(a.account(), a.name(), did);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        return new Result(deltas.size(), blocks, wiped, took, StateTables.OPERATIONAL_TABLES,
                "rebuilt " + String.join(", ", StateTables.INDEX_TABLES) + " from storage; left alone (operational data, not in the log): "
                        + String.join(", ", StateTables.OPERATIONAL_TABLES));
    }

    /**
     * Rebuilds one dataset's index items from its log: its block items are deleted and written again from the chain,
     * and its dataset item replaced (keeping the downstream links, which other datasets' logs define).
     */
    public Result runOne(Dataset ds) {
        long t0 = System.nanoTime();
        String did = ds.id().toDid();
        long wiped = 0;
        var keys = tables.blocks.query(software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional.keyEqualTo(
                software.amazon.awssdk.enhanced.dynamodb.Key.builder().partitionValue(did).build())).items();
        for (BlockItem b : keys) {
            tables.blocks.deleteItem(b);
            wiped++;
        }
        Optional<DatasetItem> old = Optional.ofNullable(tables.datasets.getItem(
                software.amazon.awssdk.enhanced.dynamodb.Key.builder().partitionValue(did).build()));
        List<HashedBlock> chain = new ArrayList<>();
        for (HashedBlock b : ds.blocks()) chain.add(b);
        Collections.reverse(chain);
        List<BlockItem> items = new ArrayList<>(chain.size());
        for (HashedBlock b : chain) items.add(BlockItems.of(ds.id(), b.hash(), b.block(), b.bytes()));
        DatasetIndex.putBlocks(tables, items);
        DatasetItem item = DatasetIndex.fullItem(ds.id(), ds.alias(), DatasetIndex.fold(chain));
        item.setDownstream(old.map(DatasetItem::getDownstream).orElse(null));
        tables.datasets.putItem(item);
        DatasetAlias a = parse(ds.alias());
        if (a != null) new DatasetIndex(tables, repository).claimAlias(a.account(), a.name(), did);
        return new Result(1, chain.size(), wiped, Duration.ofNanos(System.nanoTime() - t0), StateTables.OPERATIONAL_TABLES,
                "rebuilt the index items of " + ds.alias() + " from storage; left alone (operational data, not in the log): "
                        + String.join(", ", StateTables.OPERATIONAL_TABLES));
    }

    private static DatasetAlias parse(String alias) {
        try {
            return alias == null ? null : DatasetAlias.parse(alias);
        } catch (OdfFormatException e) {
            return null;
        }
    }
}
