package dev.sluice.state;

import dev.sluice.odf.DatasetAlias;
import dev.sluice.odf.DatasetId;
import dev.sluice.odf.MetadataBlock;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.OdfFormatException;
import dev.sluice.odf.TransformInput;
import dev.sluice.odf.codec.BlockCodec;
import dev.sluice.state.items.BlockItem;
import dev.sluice.state.items.DatasetItem;
import dev.sluice.storage.ChainRewrites;
import dev.sluice.storage.CommitListener;
import dev.sluice.storage.CommitResult;
import dev.sluice.storage.CorruptDatasetException;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.HashedBlock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.IgnoreNullsMode;
import software.amazon.awssdk.enhanced.dynamodb.model.Page;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.UpdateItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;

/**
 * The DynamoDB index of datasets and their blocks, kept true from the log.
 *
 * <p>As a {@link CommitListener} it runs after every head swap: when the index is exactly one block behind (the
 * usual case) it costs one GetItem, one conditional PutItem (block, put-if-absent) and one conditional UpdateItem
 * (dataset: {@code seq < :n}, so a head never moves backwards). Otherwise — the index is further behind because an
 * earlier update failed, a commit raced, or the dataset is new to it — it catches up from storage, reading only the
 * blocks it lacks. A listener failure never fails the commit (the log is the truth); it is counted and the next
 * commit or fresh read repairs it.
 *
 * <p>Invariant: blocks 0..seq of a dataset item are present before its {@code seq} moves there, so a reader that
 * sees head n can Query blocks 0..n. Every derived attribute is a pure function of the chain, so the index built by
 * commits equals the one {@link Reindexer} builds from storage alone.
 */
public final class DatasetIndex implements CommitListener {
    public static final String DEFAULT_VISIBILITY = "private";

    /** Head as the index has it. */
    public record IndexedHead(Multihash head, long sequenceNumber) {}

    private static final System.Logger LOG = System.getLogger(DatasetIndex.class.getName());

    private final StateTables tables;
    private final DatasetRepository repository;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong catchUps = new AtomicLong();
    private final AtomicLong rewrites = new AtomicLong();
    private volatile RuntimeException lastFailure;

    /** {@code repository} reads storage for catch-up and fresh reads (may be null for table-only use). */
    public DatasetIndex(StateTables tables, DatasetRepository repository) {
        this.tables = tables;
        this.repository = repository;
    }

    public long failures() {
        return failures.get();
    }

    public RuntimeException lastFailure() {
        return lastFailure;
    }

    /** How many times the index caught up from storage (instead of the one-block fast path). */
    public long catchUps() {
        return catchUps.get();
    }

    /** How many times the index replaced a dataset's blocks after its chain was rewritten (compaction, reset). */
    public long rewrites() {
        return rewrites.get();
    }

    /** The chain was rewritten ({@link Dataset#replaceHead}): the index follows it at once. */
    @Override
    public void headReplaced(DatasetId id, String alias, Multihash oldHead, Multihash newHead) {
        try {
            if (repository == null) throw new IllegalStateException("following a rewritten chain needs a DatasetRepository");
            Dataset ds = repository.find(id.toDid()).orElseThrow(() -> new IllegalStateException("dataset " + id + " vanished"));
            rewrite(ds, get(id).orElse(null), ds.head().orElse(newHead)); // storage's head: covers commits since
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            lastFailure = e;
            LOG.log(System.Logger.Level.WARNING, "index update for " + alias + " after its chain was rewritten failed;"
                    + " the next commit or fresh read repairs it: " + e);
        }
    }

    @Override
    public void committed(DatasetId id, String alias, CommitResult result) {
        update(id, alias, List.of(result));
    }

    /**
     * Indexes consecutive commits of one dataset (oldest first, contiguous). Never throws: a failure is counted and
     * the next commit or fresh read catches up from the log.
     */
    public void update(DatasetId id, String alias, List<CommitResult> results) {
        try {
            apply(id, alias, results);
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            lastFailure = e;
            LOG.log(System.Logger.Level.WARNING, "index update for " + alias + " up to seq "
                    + results.get(results.size() - 1).sequenceNumber() + " failed; the next commit or fresh read catches up: " + e);
        }
    }

    void apply(DatasetId id, String alias, CommitResult result) {
        apply(id, alias, List.of(result));
    }

    /**
     * Applies consecutive commits of one dataset (oldest first, each {@code oldHead} the previous {@code newHead}).
     * Fast path, when the index is exactly at the first commit's old head: the block items in one write (PutItem, or
     * BatchWriteItem for several) and one conditional UpdateItem ({@code seq = :prev AND head = :old}) — two calls, no
     * read. If that condition fails, or the commits change dependencies (which needs the current item), the general
     * path reads the item and catches up from storage.
     */
    void apply(DatasetId id, String alias, List<CommitResult> results) {
        CommitResult first = results.get(0);
        CommitResult last = results.get(results.size() - 1);
        if (first.sequenceNumber() > 0 && results.stream().noneMatch(r -> r.block().event() instanceof MetadataEvent.SetTransform)) {
            List<BlockItem> items = new ArrayList<>(results.size());
            Delta d = new Delta();
            for (CommitResult r : results) {
                byte[] bytes = BlockCodec.encode(r.block());
                if (!Multihash.sha3(bytes).equals(r.newHead())) bytes = null; // not canonical: keep fields only
                items.add(BlockItems.of(id, r.newHead(), r.block(), bytes));
                d.add(r.newHead(), r.block());
            }
            // A different block already at that sequence number: the chain was rewritten; the general path sorts it out.
            boolean written = true;
            if (items.size() == 1) written = tryPutBlockIfAbsent(items.get(0));
            else putBlocks(tables, items);
            if (written && advanceFrom(id, alias, first.oldHead(), first.sequenceNumber() - 1, d)) return;
        }
        DatasetItem cur = get(id).orElse(null);
        long indexed = seqOf(cur);
        if (indexed >= last.sequenceNumber()) {
            // Usually someone got further already; but if the indexed head is not on storage's chain, the chain was
            // rewritten by a writer that did not tell this index (e.g. another process): follow storage's chain.
            if (repository == null) return;
            Dataset ds = repository.find(id.toDid()).orElseThrow(() -> new IllegalStateException("dataset " + id + " vanished"));
            if (ChainRewrites.containsBlock(ds, Multihash.fromMultibase(cur.getHead()))) return;
            rewrite(ds, cur, ds.head().orElse(last.newHead()));
            return;
        }
        if (results.size() > 1 || indexed != first.sequenceNumber() - 1 || !first.oldHead().toMultibase().equals(cur.getHead())) {
            catchUp(id, alias, cur, last.newHead());
            return;
        }
        CommitResult result = first;
        byte[] bytes = BlockCodec.encode(result.block());
        if (!Multihash.sha3(bytes).equals(result.newHead())) bytes = null; // not canonical: keep fields only
        putBlockIfAbsent(BlockItems.of(id, result.newHead(), result.block(), bytes));
        Delta d = new Delta();
        d.add(result.newHead(), result.block());
        updateDataset(id, alias, cur, d);
    }

    /** Moves the dataset item from exactly (prevSeq, prevHead) over {@code d}; false if it is not there. */
    private boolean advanceFrom(DatasetId id, String alias, Multihash prevHead, long prevSeq, Delta d) {
        DatasetItem item = baseItem(id, alias, d);
        if (d.schemaChanged) item.setSchema(d.schema);
        try {
            tables.datasets.updateItem(UpdateItemEnhancedRequest.builder(DatasetItem.class).item(item)
                    .ignoreNullsMode(IgnoreNullsMode.SCALAR_ONLY)
                    .conditionExpression(Expression.builder().expression("#s = :prev AND #h = :old")
                            .expressionNames(Map.of("#s", "seq", "#h", "head"))
                            .expressionValues(Map.of(":prev", IdempotencyStore.num(prevSeq),
                                    ":old", IdempotencyStore.str(prevHead.toMultibase()))).build())
                    .build());
            return true;
        } catch (ConditionalCheckFailedException notThere) {
            return false;
        }
    }

    /** The dataset item (consistent read), if indexed. */
    public Optional<DatasetItem> get(DatasetId id) {
        DatasetItem item = tables.datasets.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(id.toDid()).build()).consistentRead(true).build());
        return Optional.ofNullable(item).filter(i -> i.getSeq() != null);
    }

    /**
     * The head as indexed. With {@code fresh}, storage's head is read too (one object GET, plus the dataset lookup)
     * and, if the index is behind, the missing blocks are filled in before answering: never a stale head.
     */
    public Optional<IndexedHead> indexedHead(DatasetId id, boolean fresh) {
        DatasetItem cur = get(id).orElse(null);
        if (fresh) {
            if (repository == null) throw new IllegalStateException("fresh reads need a DatasetRepository");
            Optional<Dataset> ds = repository.find(id.toDid());
            if (ds.isEmpty()) return Optional.empty();
            Optional<Multihash> head = ds.get().head();
            if (head.isEmpty()) return Optional.empty();
            if (cur == null || !head.get().toMultibase().equals(cur.getHead())) {
                long seq = catchUp(ds.get(), cur, head.get());
                if (seq > seqOf(cur)) return Optional.of(new IndexedHead(head.get(), seq));
                cur = get(id).orElse(null); // index was ahead of the head we read (a commit landed meanwhile)
            }
        }
        return Optional.ofNullable(cur).map(c -> new IndexedHead(Multihash.fromMultibase(c.getHead()), c.getSeq()));
    }

    /** Brings one dataset's index up to storage's head (e.g. right after {@link DatasetRepository#create}). */
    public Optional<IndexedHead> sync(DatasetId id) {
        return indexedHead(id, true);
    }

    /** Block items of a dataset, newest first: one (paginated) Query, no object reads. */
    public List<BlockItem> blockItems(DatasetId id) {
        List<BlockItem> out = new ArrayList<>();
        QueryEnhancedRequest q = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(id.toDid()).build()))
                .scanIndexForward(false).consistentRead(true).build();
        for (Page<BlockItem> page : tables.blocks.query(q)) out.addAll(page.items());
        return out;
    }

    /**
     * The chain newest first, decoded from the inlined bytes (each checked against its hash), up to the indexed
     * head; blocks too large to inline are read from storage.
     */
    public List<HashedBlock> chain(DatasetId id) {
        List<HashedBlock> out = new ArrayList<>();
        Dataset ds = null;
        for (BlockItem i : blockItems(id)) {
            Multihash hash = Multihash.fromMultibase(i.getHash());
            if (i.getBytes() == null) {
                if (ds == null) ds = repository.find(id.toDid()).orElseThrow();
                out.add(ds.block(hash));
                continue;
            }
            if (!Multihash.sha3(i.getBytes()).equals(hash)) {
                throw new CorruptDatasetException("index item " + i + " holds bytes that do not hash to its name");
            }
            out.add(new HashedBlock(hash, BlockCodec.decode(i.getBytes()), i.getBytes()));
        }
        return out;
    }

    /** Alias lookup through GSI by-alias (case-insensitive; account null for single-tenant). */
    public Optional<DatasetItem> findByAlias(String account, String name) {
        QueryConditional key = QueryConditional.keyEqualTo(Key.builder()
                .partitionValue(accountKey(account)).sortValue(name.toLowerCase(Locale.ROOT)).build());
        return tables.datasets.index(DatasetItem.BY_ALIAS).query(QueryEnhancedRequest.builder().queryConditional(key).build())
                .stream().flatMap(p -> p.items().stream()).findFirst();
    }

    /** Datasets of one account ordered by name (one Query per page). */
    public List<DatasetItem> listByAccount(String account) {
        List<DatasetItem> out = new ArrayList<>();
        tables.datasets.index(DatasetItem.BY_ALIAS).query(QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(accountKey(account)).build())).build())
                .forEach(p -> out.addAll(p.items()));
        return out;
    }

    /**
     * Claims an alias for a dataset with a conditional write: true if it is now (or already was) this dataset's,
     * false if another dataset holds it.
     */
    public boolean claimAlias(String account, String name, String datasetDid) {
        DatasetItem claim = new DatasetItem();
        claim.setPk(DatasetItem.claimKey(account, name));
        claim.setType(DatasetItem.TYPE_ALIAS_CLAIM);
        claim.setClaimedBy(datasetDid);
        try {
            tables.datasets.putItem(PutItemEnhancedRequest.builder(DatasetItem.class).item(claim)
                    .conditionExpression(Expression.builder().expression("attribute_not_exists(pk) OR claimedBy = :me")
                            .expressionValues(Map.of(":me", IdempotencyStore.str(datasetDid))).build())
                    .build());
            return true;
        } catch (ConditionalCheckFailedException taken) {
            return false;
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    static String accountKey(String account) {
        return account == null ? DatasetItem.NO_ACCOUNT : account.toLowerCase(Locale.ROOT);
    }

    private static long seqOf(DatasetItem item) {
        return item == null || item.getSeq() == null ? -1 : item.getSeq();
    }

    private void putBlockIfAbsent(BlockItem item) {
        if (!tryPutBlockIfAbsent(item)) {
            throw new CorruptDatasetException("index holds a different block at " + item.getDatasetId() + "#" + item.getSeq()
                    + " than " + item.getHash() + " (diverged chain?)");
        }
    }

    /** False when the index holds a different block at that sequence number. */
    private boolean tryPutBlockIfAbsent(BlockItem item) {
        try {
            tables.blocks.putItem(PutItemEnhancedRequest.builder(BlockItem.class).item(item)
                    .conditionExpression(Expression.builder().expression("attribute_not_exists(seq) OR #h = :h")
                            .expressionNames(Map.of("#h", "hash"))
                            .expressionValues(Map.of(":h", IdempotencyStore.str(item.getHash()))).build())
                    .build());
            return true;
        } catch (ConditionalCheckFailedException other) {
            return false;
        }
    }

    private long catchUp(DatasetId id, String alias, DatasetItem cur, Multihash target) {
        if (repository == null) throw new IllegalStateException("catch-up needs a DatasetRepository");
        Dataset ds = repository.find(id.toDid()).orElseThrow(() -> new IllegalStateException("dataset " + id + " vanished"));
        return catchUp(ds, cur, target);
    }

    /** Fills blocks (indexed seq, target] from storage and moves the dataset item; returns target's seq. */
    private long catchUp(Dataset ds, DatasetItem cur, Multihash target) {
        catchUps.incrementAndGet();
        long indexed = seqOf(cur);
        Deque<HashedBlock> missing = new ArrayDeque<>();
        for (HashedBlock b : ds.blocksFrom(target)) {
            long seq = b.block().sequenceNumber();
            if (seq == indexed && b.hash().toMultibase().equals(cur.getHead())) break;
            if (seq < indexed) {
                // the indexed head is not on this chain: it was rewritten (compaction, reset) behind the index's back;
                // follow storage's current head (a stale notification must not lead back to a replaced branch)
                return rewrite(ds, cur, ds.head().orElse(target));
            }
            missing.push(b);
        }
        if (missing.isEmpty()) return indexed;
        List<BlockItem> items = new ArrayList<>();
        Delta d = new Delta();
        for (HashedBlock b : missing) { // oldest first
            items.add(BlockItems.of(ds.id(), b.hash(), b.block(), b.bytes()));
            d.add(b.hash(), b.block());
        }
        if (items.size() == 1) putBlockIfAbsent(items.get(0));
        else putBlocks(tables, items); // identical content to any existing item: overwrite == put-if-absent
        updateDataset(ds.id(), ds.alias(), cur, d);
        return d.seq;
    }

    /**
     * Follows a rewritten chain: block items that differ from {@code target}'s chain (from the first rewritten
     * sequence number on) are overwritten, items past its head deleted, and the dataset item replaced (keeping its
     * visibility and downstream links, which this chain does not define). Readers may briefly see a mix of old and
     * new block items while this runs (no transactions on dynalite); the dataset item moves last.
     */
    private long rewrite(Dataset ds, DatasetItem cur, Multihash target) {
        rewrites.incrementAndGet();
        String did = ds.id().toDid();
        List<HashedBlock> chain = new ArrayList<>();
        for (HashedBlock b : ds.blocksFrom(target)) chain.add(b);
        java.util.Collections.reverse(chain);
        Map<Long, String> indexed = new HashMap<>();
        for (BlockItem i : blockItems(ds.id())) indexed.put(i.getSeq(), i.getHash());
        List<BlockItem> changed = new ArrayList<>();
        for (HashedBlock b : chain) {
            if (!b.hash().toMultibase().equals(indexed.get(b.block().sequenceNumber()))) {
                changed.add(BlockItems.of(ds.id(), b.hash(), b.block(), b.bytes()));
            }
        }
        putBlocks(tables, changed);
        long top = chain.size() - 1;
        for (long seq : indexed.keySet()) {
            if (seq > top) tables.blocks.deleteItem(Key.builder().partitionValue(did).sortValue(seq).build());
        }
        Delta d = fold(chain);
        DatasetItem item = fullItem(ds.id(), ds.alias(), d);
        if (cur != null) {
            if (cur.getVisibility() != null) item.setVisibility(cur.getVisibility());
            item.setDownstream(cur.getDownstream());
        }
        tables.datasets.putItem(item);
        Set<String> now = d.upstream == null ? Set.of() : d.upstream;
        for (String up : now) editDownstream(up, did, "ADD");
        if (cur != null && cur.getUpstream() != null) {
            for (String up : cur.getUpstream()) if (!now.contains(up)) editDownstream(up, did, "DELETE");
        }
        return d.seq;
    }

    static void putBlocks(StateTables tables, List<BlockItem> items) {
        List<WriteRequest> batch = new ArrayList<>(25);
        String table = tables.blocks.tableName();
        for (BlockItem i : items) {
            Map<String, AttributeValue> av = BlockItem.SCHEMA.itemToMap(i, true);
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(av).build()).build());
            if (batch.size() == 25) {
                BatchWriter.write(tables.client(), table, batch);
                batch = new ArrayList<>(25);
            }
        }
        if (!batch.isEmpty()) BatchWriter.write(tables.client(), table, batch);
    }

    /** What a range of blocks changes on the dataset item. */
    static final class Delta {
        String head;
        long seq = -1;
        java.time.Instant lastUpdated;
        String kind;
        String schema;
        boolean schemaChanged;
        Set<String> upstream;
        boolean upstreamChanged;
        final Set<String> everUpstream = new LinkedHashSet<>();

        void add(Multihash hash, MetadataBlock block) {
            head = hash.toMultibase();
            seq = block.sequenceNumber();
            lastUpdated = block.systemTime();
            MetadataEvent e = block.event();
            if (e instanceof MetadataEvent.Seed s) {
                kind = s.datasetKind().name();
            } else if (e instanceof MetadataEvent.SetDataSchema s) {
                schema = BlockItems.schemaSummary(s.schema());
                schemaChanged = true;
            } else if (e instanceof MetadataEvent.SetTransform t) {
                upstream = new TreeSet<>();
                for (TransformInput in : t.inputs()) upstream.add(in.datasetRef());
                everUpstream.addAll(upstream);
                upstreamChanged = true;
            }
        }
    }

    /** The dataset item a full chain folds to (used by {@link Reindexer}); downstream is filled separately. */
    static DatasetItem fullItem(DatasetId id, String alias, Delta d) {
        DatasetItem item = baseItem(id, alias, d);
        item.setKind(d.kind);
        item.setSchema(d.schema);
        item.setUpstream(d.upstream == null || d.upstream.isEmpty() ? null : d.upstream);
        item.setVisibility(DEFAULT_VISIBILITY);
        return item;
    }

    private static DatasetItem baseItem(DatasetId id, String alias, Delta d) {
        DatasetAlias a = parseAlias(alias);
        DatasetItem item = new DatasetItem();
        item.setPk(id.toDid());
        item.setType(DatasetItem.TYPE_DATASET);
        item.setAlias(alias);
        if (a != null) {
            item.setAliasAccount(accountKey(a.account()));
            item.setAliasName(a.name().toLowerCase(Locale.ROOT));
            item.setOwner(a.account());
        }
        item.setHead(d.head);
        item.setSeq(d.seq);
        item.setLastUpdated(d.lastUpdated);
        return item;
    }

    private static DatasetAlias parseAlias(String alias) {
        try {
            return alias == null ? null : DatasetAlias.parse(alias);
        } catch (OdfFormatException notAnAlias) {
            return null; // e.g. a dataset without info/alias lists under its did
        }
    }

    private void updateDataset(DatasetId id, String alias, DatasetItem cur, Delta d) {
        DatasetItem item = baseItem(id, alias, d);
        if (d.kind != null) item.setKind(d.kind);
        if (d.schemaChanged) item.setSchema(d.schema);
        if (d.upstreamChanged && d.upstream != null && !d.upstream.isEmpty()) item.setUpstream(d.upstream);
        if (cur == null || cur.getVisibility() == null) item.setVisibility(DEFAULT_VISIBILITY);
        boolean moved;
        try {
            tables.datasets.updateItem(UpdateItemEnhancedRequest.builder(DatasetItem.class).item(item)
                    .ignoreNullsMode(IgnoreNullsMode.SCALAR_ONLY)
                    .conditionExpression(Expression.builder().expression("attribute_not_exists(seq) OR seq < :n")
                            .expressionValues(Map.of(":n", IdempotencyStore.num(d.seq))).build())
                    .build());
            moved = true;
        } catch (ConditionalCheckFailedException further) {
            moved = false; // another writer moved it to >= d.seq; its range covered ours
        }
        if (cur == null && item.getAliasName() != null) {
            DatasetAlias a = parseAlias(alias);
            if (!claimAlias(a.account(), a.name(), id.toDid())) {
                LOG.log(System.Logger.Level.WARNING, "alias " + alias + " of " + id + " is claimed by another dataset");
            }
        }
        if (d.upstreamChanged) {
            // downstream edges: ADD is commutative and idempotent, so doing it whether or not we moved the head is safe
            Set<String> now = d.upstream == null ? Set.of() : d.upstream;
            Set<String> gone = new TreeSet<>(d.everUpstream);
            if (cur != null && cur.getUpstream() != null) gone.addAll(cur.getUpstream());
            gone.removeAll(now);
            for (String up : now) editDownstream(up, id.toDid(), "ADD");
            if (moved) for (String up : gone) editDownstream(up, id.toDid(), "DELETE");
        }
    }

    private void editDownstream(String upstreamDid, String downstreamDid, String op) {
        tables.client().updateItem(r -> r.tableName(tables.datasets.tableName())
                .key(Map.of("pk", IdempotencyStore.str(upstreamDid)))
                .updateExpression(op + " downstream :d")
                .expressionAttributeValues(Map.of(":d", AttributeValue.builder().ss(downstreamDid).build())));
    }

    /** Folds a whole chain (oldest first) into a Delta. */
    static Delta fold(List<HashedBlock> oldestFirst) {
        Delta d = new Delta();
        for (HashedBlock b : oldestFirst) d.add(b.hash(), b.block());
        return d;
    }

    static Map<String, Set<String>> downstreamOf(Map<String, Set<String>> upstreamByDataset) {
        Map<String, Set<String>> down = new HashMap<>();
        upstreamByDataset.forEach((ds, ups) -> ups.forEach(up -> down.computeIfAbsent(up, k -> new TreeSet<>()).add(ds)));
        return down;
    }
}
