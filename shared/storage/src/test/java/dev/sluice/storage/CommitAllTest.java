package dev.sluice.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.chain.ChainValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Dataset#commitAll}: several blocks, validated in sequence, published by one head swap. */
class CommitAllTest {
    @TempDir Path root;
    @TempDir Path scratch;

    @Test
    void commitsConsecutiveBlocksWithOneCompareAndSetAndTellsListenersOfEach() throws Exception {
        CountingStore store = new CountingStore(new FileSystemObjectStore(root));
        var repo = new DatasetRepository(store);
        List<CommitResult> heard = new ArrayList<>();
        repo.addListener((id, alias, r) -> heard.add(r));
        Dataset ds = TestChains.createRoot(repo, "batched");
        Multihash before = ds.head().orElseThrow();
        long seq = ds.state().sequenceNumber();
        int casBefore = store.cas.get();

        List<CommitResult> rs = ds.commitAll(List.of(), s -> List.of(new MetadataEvent.SetInfo("first", List.of()),
                TestChains.addData(ds, scratch, "second", 3).apply(s)), 1);

        assertEquals(1, store.cas.get() - casBefore, "one head swap for both blocks");
        assertEquals(2, rs.size());
        assertEquals(before, rs.get(0).oldHead());
        assertEquals(rs.get(0).newHead(), rs.get(1).oldHead());
        assertEquals(rs.get(1).newHead(), ds.head().orElseThrow());
        assertEquals(seq + 2, ds.state().sequenceNumber());
        assertEquals(rs.get(0).newHead(), ds.block(rs.get(1).newHead()).block().prevBlockHash());
        assertEquals(rs, heard, "listeners hear of each block, in chain order");
        assertEquals(2, ds.state().lastOffset());
        // A fresh handle folds the same chain from storage, and it verifies.
        Dataset fresh = new DatasetRepository(new FileSystemObjectStore(root)).get(ds.id().toDid());
        assertEquals(ds.state(), fresh.state());
        assertTrue(new DatasetVerifier().verify(fresh).ok());
    }

    @Test
    void anInvalidLaterEventCommitsNothing() {
        var repo = new DatasetRepository(new FileSystemObjectStore(root));
        Dataset ds = TestChains.createRoot(repo, "all-or-nothing");
        Multihash head = ds.head().orElseThrow();
        // ExecuteTransform is not allowed on a root dataset: validated before anything is published.
        var bad = new MetadataEvent.ExecuteTransform(List.of(), null, null, null, null, null);
        assertThrows(ChainValidationException.class,
                () -> ds.commitAll(List.of(), s -> List.of(new MetadataEvent.SetInfo("ok", List.of()), bad), 1));
        assertEquals(head, ds.head().orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> ds.commitAll(List.of(), s -> List.of(), 1));
        assertEquals(head, ds.head().orElseThrow());
    }

    @Test
    void stagedFilesAreStoredBeforeTheHeadMovesAndAFailedOneCommitsNothing() throws Exception {
        var repo = new DatasetRepository(new FileSystemObjectStore(root));
        Dataset ds = TestChains.createRoot(repo, "staged");
        byte[] content = "slice bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Multihash physical = Multihash.sha3(content);
        Path slice = java.nio.file.Files.write(scratch.resolve("slice"), content);
        Path checkpoint = java.nio.file.Files.write(scratch.resolve("cp"), new byte[] {1, 2, 3});
        Multihash cpHash = Multihash.sha3(new byte[] {1, 2, 3});
        Multihash head = ds.head().orElseThrow();

        // A staged file that cannot be read: the error surfaces, the head stays.
        Path missing = scratch.resolve("missing");
        assertThrows(RuntimeException.class, () -> ds.commitAll(List.of(ds.stagedData(Multihash.sha3(new byte[] {9}), missing)),
                s -> List.of(new MetadataEvent.SetInfo("never", List.of())), 1));
        assertEquals(head, ds.head().orElseThrow());

        ds.commitAll(List.of(ds.stagedData(physical, slice), ds.stagedCheckpoint(cpHash, checkpoint)),
                s -> List.of(new MetadataEvent.SetInfo("with files", List.of())), 1);
        try (InputStream in = ds.openData(physical)) {
            assertEquals(new String(content, java.nio.charset.StandardCharsets.UTF_8), new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
        try (InputStream in = ds.openCheckpoint(cpHash)) {
            assertArrayEquals(new byte[] {1, 2, 3}, in.readAllBytes());
        }
        assertEquals(ds.state().sequenceNumber(), ds.block(ds.head().orElseThrow()).block().sequenceNumber());
    }

    /** Counts compare-and-set calls (head swaps) of a real store. */
    private static final class CountingStore implements ObjectStore {
        private final ObjectStore s;
        final AtomicInteger cas = new AtomicInteger();

        CountingStore(ObjectStore s) {
            this.s = s;
        }

        @Override
        public Optional<byte[]> get(String key) throws IOException {
            return s.get(key);
        }

        @Override
        public InputStream openStream(String key) throws IOException {
            return s.openStream(key);
        }

        @Override
        public Optional<Versioned> getVersioned(String key) throws IOException {
            return s.getVersioned(key);
        }

        @Override
        public boolean exists(String key) throws IOException {
            return s.exists(key);
        }

        @Override
        public long size(String key) throws IOException {
            return s.size(key);
        }

        @Override
        public boolean putIfAbsent(String key, byte[] bytes) throws IOException {
            return s.putIfAbsent(key, bytes);
        }

        @Override
        public boolean putIfAbsent(String key, Path file) throws IOException {
            return s.putIfAbsent(key, file);
        }

        @Override
        public boolean compareAndSet(String key, String expectedVersion, byte[] newBytes) throws IOException {
            cas.incrementAndGet();
            return s.compareAndSet(key, expectedVersion, newBytes);
        }

        @Override
        public List<String> list(String prefix) throws IOException {
            return s.list(prefix);
        }

        @Override
        public List<String> listChildren(String prefix) throws IOException {
            return s.listChildren(prefix);
        }

        @Override
        public void delete(String key) throws IOException {
            s.delete(key);
        }

        @Override
        public Optional<Path> localFile(String key) throws IOException {
            return s.localFile(key);
        }

        @Override
        public String describe() {
            return s.describe();
        }
    }
}
