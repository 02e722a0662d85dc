package dev.sluice.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.Multihash;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ChainRewrites#containsBlock}: is a block still on a dataset's (possibly rewritten) chain? */
class ChainRewritesTest {
    @TempDir Path root;
    @TempDir Path scratch;

    CountingStore store;
    Dataset ds;
    List<HashedBlock> original; // oldest first

    @BeforeEach
    void setUp() {
        store = new CountingStore(new FileSystemObjectStore(root));
        ds = TestChains.createRoot(new DatasetRepository(store), "input");
        for (int i = 0; i < 20; i++) ds.commit(TestChains.addData(ds, scratch, "b" + i, 1));
        original = ReplaceHeadTest.oldestFirst(ds); // seq 0..22
    }

    @Test
    void everyBlockOfTheCurrentChainIsContained() {
        for (HashedBlock b : original) assertTrue(ChainRewrites.containsBlock(ds, b.hash()), "block #" + b.block().sequenceNumber());
    }

    @Test
    void walkStopsAtTheBlocksSequenceNumber() {
        HashedBlock target = original.get(15);
        store.blockReads.set(0);
        assertTrue(ChainRewrites.containsBlock(ds, target.hash()));
        // The target itself, then head (#22) back to #15: 1 + 8 reads, none of #0..#14.
        assertEquals(1 + (22 - 15 + 1), store.blockReads.get());
    }

    @Test
    void blocksReplacedByARewriteAreNotContained() throws Exception {
        Multihash newHead = ReplaceHeadTest.rewrite(ds, original, 10, e -> e);
        ds.replaceHead(ds.head().orElseThrow(), newHead);
        for (HashedBlock b : original) {
            boolean kept = b.block().sequenceNumber() < 10;
            assertEquals(kept, ChainRewrites.containsBlock(ds, b.hash()), "block #" + b.block().sequenceNumber());
        }
        assertTrue(ChainRewrites.containsBlock(ds, newHead));
    }

    @Test
    void blocksBeyondAShorterChainAndUnknownHashesAreNotContained() {
        ds.replaceHead(ds.head().orElseThrow(), original.get(5).hash()); // rewind
        assertFalse(ChainRewrites.containsBlock(ds, original.get(6).hash()));
        assertFalse(ChainRewrites.containsBlock(ds, original.get(22).hash()));
        assertFalse(ChainRewrites.containsBlock(ds, Multihash.sha3(new byte[] {1, 2, 3})), "no such object (or collected)");
    }

    @Test
    void indexAnsweringForTheCurrentHeadIsUsedWithoutWalking() {
        Map<Long, Multihash> bySeq = new HashMap<>();
        for (HashedBlock b : original) bySeq.put(b.block().sequenceNumber(), b.hash());
        Multihash head = ds.head().orElseThrow();
        AtomicInteger lookups = new AtomicInteger();
        ChainRewrites.SequenceIndex index = (id, h, seq) -> {
            lookups.incrementAndGet();
            return h.equals(head) ? Optional.ofNullable(bySeq.get(seq)) : Optional.empty();
        };
        store.blockReads.set(0);
        assertTrue(ChainRewrites.containsBlock(ds, original.get(3).hash(), index));
        assertEquals(1, store.blockReads.get(), "only the target block is read");
        assertEquals(1, lookups.get());
    }

    @Test
    void indexThatIsNotAtTheCurrentHeadIsIgnored() throws Exception {
        Map<Long, Multihash> stale = new HashMap<>();
        for (HashedBlock b : original) stale.put(b.block().sequenceNumber(), b.hash());
        Multihash staleHead = ds.head().orElseThrow();
        Multihash newHead = ReplaceHeadTest.rewrite(ds, original, 10, e -> e);
        ds.replaceHead(staleHead, newHead);
        // An index still on the old chain would say "contained"; it answers only for its own head, so it is bypassed.
        ChainRewrites.SequenceIndex index = (id, h, seq) -> h.equals(staleHead) ? Optional.ofNullable(stale.get(seq)) : Optional.empty();
        assertFalse(ChainRewrites.containsBlock(ds, original.get(12).hash(), index));
        assertTrue(ChainRewrites.containsBlock(ds, original.get(9).hash(), index));
    }

    /** Counts reads of block objects. */
    static final class CountingStore implements ObjectStore {
        final ObjectStore inner;
        final AtomicInteger blockReads = new AtomicInteger();

        CountingStore(ObjectStore inner) {
            this.inner = inner;
        }

        public Optional<byte[]> get(String key) throws IOException {
            if (key.contains("/" + DatasetLayout.BLOCKS)) blockReads.incrementAndGet();
            return inner.get(key);
        }

        public InputStream openStream(String key) throws IOException {
            return inner.openStream(key);
        }

        public Optional<Versioned> getVersioned(String key) throws IOException {
            return inner.getVersioned(key);
        }

        public boolean exists(String key) throws IOException {
            return inner.exists(key);
        }

        public long size(String key) throws IOException {
            return inner.size(key);
        }

        public boolean putIfAbsent(String key, byte[] bytes) throws IOException {
            return inner.putIfAbsent(key, bytes);
        }

        public boolean putIfAbsent(String key, Path file) throws IOException {
            return inner.putIfAbsent(key, file);
        }

        public boolean compareAndSet(String key, String expectedVersion, byte[] newBytes) throws IOException {
            return inner.compareAndSet(key, expectedVersion, newBytes);
        }

        public List<String> list(String prefix) throws IOException {
            return inner.list(prefix);
        }

        public List<String> listChildren(String prefix) throws IOException {
            return inner.listChildren(prefix);
        }

        public void delete(String key) throws IOException {
            inner.delete(key);
        }

        public String describe() {
            return inner.describe();
        }
    }
}
