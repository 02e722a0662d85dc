package dev.sluice.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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

    /**
     * Another commit of the same dataset, through the same handle, does not queue behind a commit's slice upload: the
     * first commit's data-file PUT is held on a latch while the second commit swaps the head; released, the first one
     * lands on top of it (its speculative attempt lost the swap, the retry under the lock wins).
     */
    @Test
    void aCommitDoesNotWaitForAnotherCommitsFileUpload() throws Exception {
        CountingStore store = new CountingStore(new FileSystemObjectStore(root));
        var repo = new DatasetRepository(store);
        Dataset ds = TestChains.createRoot(repo, "uploads");
        byte[] content = "a large slice".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Multihash physical = Multihash.sha3(content);
        Path slice = java.nio.file.Files.write(scratch.resolve("slice"), content);
        String dataKey = DatasetLayout.data(ds.id(), physical);
        CountDownLatch uploading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        store.beforeFilePut = key -> {
            if (!key.equals(dataKey)) return;
            uploading.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<List<CommitResult>> slow = pool.submit(() -> ds.commitAll(List.of(ds.stagedData(physical, slice)),
                    s -> List.of(new MetadataEvent.SetInfo("with a slow upload", List.of())), 3));
            assertTrue(uploading.await(30, TimeUnit.SECONDS), "the upload started");
            int casBefore = store.cas.get();

            // Before, this queued behind the upload on the commit lock (the deadline turns a wait into a failure, not a hang).
            CommitResult fast = pool.submit(() -> ds.commit(new MetadataEvent.SetInfo("no upload", List.of()))).get(30, TimeUnit.SECONDS);

            assertFalse(slow.isDone(), "the first commit is still uploading");
            assertFalse(store.exists(dataKey), "its slice is not stored yet");
            assertEquals(fast.newHead(), ds.head().orElseThrow(), "the second commit's head swap completed");
            assertEquals(1, store.cas.get() - casBefore);
            assertEquals(1, fast.attempts());

            release.countDown();
            List<CommitResult> rs = slow.get(30, TimeUnit.SECONDS);
            assertEquals(1, rs.size());
            assertEquals(2, rs.get(0).attempts(), "the attempt built during the upload lost the swap; the retry won");
            assertEquals(fast.newHead(), rs.get(0).oldHead(), "landed on top of the second commit");
            assertEquals(rs.get(0).newHead(), ds.head().orElseThrow());
            assertEquals(3, store.cas.get() - casBefore, "fast, slow's lost swap, slow's retry");
            assertTrue(store.exists(dataKey));
            Dataset fresh = new DatasetRepository(new FileSystemObjectStore(root)).get(ds.id().toDid());
            assertEquals(List.of("with a slow upload", "no upload"), fresh.chain().stream().map(b -> b.block().event())
                    .filter(e -> e instanceof MetadataEvent.SetInfo).map(e -> ((MetadataEvent.SetInfo) e).description()).toList());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    /** Counts compare-and-set calls (head swaps) of a real store, and can hold a file upload. */
    private static final class CountingStore extends ForwardingObjectStore {
        final AtomicInteger cas = new AtomicInteger();
        /** Runs before a file is stored (a test holds an upload here). */
        volatile java.util.function.Consumer<String> beforeFilePut = key -> { };

        CountingStore(ObjectStore s) {
            super(s);
        }

        @Override
        public boolean putIfAbsent(String key, Path file) throws IOException {
            beforeFilePut.accept(key);
            return super.putIfAbsent(key, file);
        }

        @Override
        public boolean compareAndSet(String key, String expectedVersion, byte[] newBytes) throws IOException {
            cas.incrementAndGet();
            return super.compareAndSet(key, expectedVersion, newBytes);
        }
    }
}
