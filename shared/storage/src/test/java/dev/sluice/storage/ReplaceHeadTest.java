package dev.sluice.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.DataSlice;
import dev.sluice.odf.DatasetId;
import dev.sluice.odf.MetadataBlock;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.odf.chain.ChainState;
import dev.sluice.odf.chain.ChainValidationException;
import dev.sluice.odf.codec.BlockCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Dataset#replaceHead}: the validated, compare-and-set, non-fast-forward head swap. */
class ReplaceHeadTest {
    @TempDir Path root;
    @TempDir Path scratch;

    ObjectStore store;
    DatasetRepository repo;
    List<Object[]> replaced = new ArrayList<>(); // {id, oldHead, newHead} seen by a listener
    Dataset ds;

    @BeforeEach
    void setUp() {
        store = new FileSystemObjectStore(root);
        repo = new DatasetRepository(store);
        repo.addListener(new CommitListener() {
            public void committed(DatasetId id, String alias, CommitResult result) {}

            public void headReplaced(DatasetId id, String alias, Multihash oldHead, Multihash newHead) {
                replaced.add(new Object[] {id, oldHead, newHead});
            }
        });
        ds = TestChains.createRoot(repo, "rewritten");
        for (int i = 0; i < 5; i++) ds.commit(TestChains.addData(ds, scratch, "b" + i, 2));
    }

    /** Oldest-first chain of {@code d}. */
    static List<HashedBlock> oldestFirst(Dataset d) {
        List<HashedBlock> c = new ArrayList<>(d.chain());
        java.util.Collections.reverse(c);
        return c;
    }

    /**
     * Writes a copy of {@code chain} whose blocks from index {@code from} on are re-linked one hour later, with
     * {@code edit} applied to their events; returns the new head.
     */
    static Multihash rewrite(Dataset target, List<HashedBlock> chain, int from, UnaryOperator<MetadataEvent> edit) throws Exception {
        Multihash prev = chain.get(from - 1).hash();
        for (int i = from; i < chain.size(); i++) {
            MetadataBlock b = chain.get(i).block();
            MetadataBlock nb = new MetadataBlock(b.systemTime().plus(Duration.ofHours(1)), prev, b.sequenceNumber(), edit.apply(b.event()));
            byte[] bytes = BlockCodec.encode(nb);
            prev = Multihash.sha3(bytes);
            target.store().putIfAbsent(DatasetLayout.block(target.id(), prev), bytes);
        }
        return prev;
    }

    @Test
    void swapsToAValidRewrittenChainAndTellsListeners() throws Exception {
        List<HashedBlock> chain = oldestFirst(ds);
        Multihash oldHead = ds.head().orElseThrow();
        Multihash newHead = rewrite(ds, chain, 4, e -> e);

        ChainState st = ds.replaceHead(oldHead, newHead);

        assertEquals(newHead, ds.head().orElseThrow());
        assertEquals(newHead, st.head());
        assertEquals(chain.size() - 1, st.sequenceNumber());
        assertEquals(9L, st.lastOffset());
        assertEquals(1, replaced.size());
        assertEquals(oldHead, replaced.get(0)[1]);
        assertEquals(newHead, replaced.get(0)[2]);
        // The old chain's tail is garbage now, never corruption; a fresh handle (no cache) folds the new chain.
        VerifyReport r = new DatasetVerifier().verify(new DatasetRepository(store).get("rewritten"));
        assertTrue(r.ok(), () -> r.problems().toString());
        assertEquals(chain.size() - 4, r.garbage().size(), "the replaced blocks");
        // Commits continue on the new chain.
        CommitResult next = ds.commit(TestChains.addData(ds, scratch, "after", 3));
        assertEquals(newHead, next.oldHead());
        assertEquals(12L, ds.state().lastOffset());
    }

    @Test
    void rewindToAnAncestorIsAllowed() {
        List<HashedBlock> chain = oldestFirst(ds);
        Multihash ancestor = chain.get(3).hash();
        ChainState st = ds.replaceHead(ds.head().orElseThrow(), ancestor);
        assertEquals(ancestor, ds.head().orElseThrow());
        assertEquals(3, st.sequenceNumber());
    }

    @Test
    void sameHeadIsANoOp() {
        Multihash head = ds.head().orElseThrow();
        ds.replaceHead(head, head);
        assertEquals(head, ds.head().orElseThrow());
        assertEquals(0, replaced.size());
    }

    @Test
    void headThatMovedMeanwhileIsARetryableConflictAndChangesNothing() throws Exception {
        List<HashedBlock> chain = oldestFirst(ds);
        Multihash planned = chain.get(chain.size() - 1).hash();
        Multihash newHead = rewrite(ds, chain, 4, e -> e);
        CommitResult concurrent = new DatasetRepository(store).get("rewritten").commit(TestChains.addData(ds, scratch, "racer", 1));

        HeadMovedException e = assertThrows(HeadMovedException.class, () -> ds.replaceHead(planned, newHead));
        assertTrue(e instanceof CommitConflictException, "retryable like any lost commit race");
        assertEquals(planned, e.expected());
        assertEquals(concurrent.newHead(), e.actual());
        assertEquals(concurrent.newHead(), ds.head().orElseThrow());
        assertEquals(0, replaced.size());
    }

    @Test
    void invalidNewChainIsRejectedAndChangesNothing() throws Exception {
        List<HashedBlock> chain = oldestFirst(ds);
        Multihash oldHead = ds.head().orElseThrow();
        // Offsets that skip ahead: the chain rules refuse it.
        Multihash broken = rewrite(ds, chain, 5, e -> e instanceof MetadataEvent.AddData a && a.newData() != null
                ? new MetadataEvent.AddData(a.prevCheckpoint(), a.prevOffset(), shift(a.newData(), 100), a.newCheckpoint(),
                        a.newWatermark(), a.newSourceState(), a.extra())
                : e);
        ChainValidationException ex = assertThrows(ChainValidationException.class, () -> ds.replaceHead(oldHead, broken));
        assertTrue(ex.getMessage().contains("must start at offset"), ex.getMessage());
        assertEquals(oldHead, ds.head().orElseThrow());
        assertEquals(0, replaced.size());
    }

    @Test
    void chainOfAnotherDatasetIsRejected() {
        Dataset other = TestChains.createRoot(repo, "other");
        other.commit(TestChains.addData(other, scratch, "o", 1));
        // Copy the other dataset's blocks into this dataset's folder: a valid chain, but not this dataset's.
        for (HashedBlock b : other.chain()) {
            try {
                store.putIfAbsent(DatasetLayout.block(ds.id(), b.hash()), b.bytes());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        Multihash oldHead = ds.head().orElseThrow();
        ChainValidationException ex = assertThrows(ChainValidationException.class,
                () -> ds.replaceHead(oldHead, other.head().orElseThrow()));
        assertTrue(ex.getMessage().contains("Seed of " + other.id().toDid()), ex.getMessage());
        assertEquals(oldHead, ds.head().orElseThrow());
    }

    @Test
    void missingBlockIsReportedAndChangesNothing() throws Exception {
        List<HashedBlock> chain = oldestFirst(ds);
        Multihash oldHead = ds.head().orElseThrow();
        Multihash newHead = rewrite(ds, chain, 4, e -> e);
        // Drop the first rewritten block: the new chain is incomplete.
        MetadataBlock headBlock = ds.block(newHead).block();
        store.delete(DatasetLayout.block(ds.id(), headBlock.prevBlockHash()));
        assertThrows(CorruptDatasetException.class, () -> ds.replaceHead(oldHead, newHead));
        assertEquals(oldHead, ds.head().orElseThrow());
    }

    static DataSlice shift(DataSlice s, long by) {
        return new DataSlice(s.logicalHash(), s.physicalHash(),
                new OffsetInterval(s.offsetInterval().start() + by, s.offsetInterval().end() + by), s.size());
    }
}
