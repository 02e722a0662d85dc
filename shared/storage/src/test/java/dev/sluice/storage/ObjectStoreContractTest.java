package dev.sluice.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour every {@link ObjectStore} must have; subclasses supply the store under test. */
abstract class ObjectStoreContractTest {

    static final int THREADS = 8;
    static final int INCREMENTS_PER_THREAD = 125;

    /** Scratch space for local files (not the store's own storage). */
    @TempDir
    Path scratch;

    protected ObjectStore store;

    /** A fresh, empty store for each test. */
    protected abstract ObjectStore createStore() throws Exception;

    @BeforeEach
    void createFreshStore() throws Exception {
        store = createStore();
    }

    static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    static String text(Optional<byte[]> bytes) {
        return bytes.map(b -> new String(b, UTF_8)).orElse(null);
    }

    // ------------------------------------------------------------------------------------- get / put

    @Test
    void absentObject() throws IOException {
        assertEquals(Optional.empty(), store.get("ds/refs/head"));
        assertEquals(Optional.empty(), store.getVersioned("ds/refs/head"));
        assertFalse(store.exists("ds/refs/head"));
        assertEquals(-1, store.size("ds/refs/head"));
        assertThrows(NoSuchFileException.class, () -> store.openStream("ds/refs/head"));
    }

    @Test
    void putIfAbsentCreatesThenNeverOverwrites() throws IOException {
        assertTrue(store.putIfAbsent("ds/blocks/f1620aa", bytes("first")));
        assertFalse(store.putIfAbsent("ds/blocks/f1620aa", bytes("second")));
        assertEquals("first", text(store.get("ds/blocks/f1620aa")));
        assertTrue(store.exists("ds/blocks/f1620aa"));
        assertEquals(5, store.size("ds/blocks/f1620aa"));
        try (InputStream in = store.openStream("ds/blocks/f1620aa")) {
            assertEquals("first", new String(in.readAllBytes(), UTF_8));
        }
        // A file upload is refused the same way.
        Path file = Files.writeString(scratch.resolve("other"), "third");
        assertFalse(store.putIfAbsent("ds/blocks/f1620aa", file));
        assertEquals("first", text(store.get("ds/blocks/f1620aa")));
    }

    @Test
    void emptyObject() throws IOException {
        assertTrue(store.putIfAbsent("ds/info/empty", new byte[0]));
        assertArrayEquals(new byte[0], store.get("ds/info/empty").orElseThrow());
        assertEquals(0, store.size("ds/info/empty"));
        assertTrue(store.exists("ds/info/empty"));
    }

    @Test
    void putIfAbsentFromFile() throws IOException {
        Path file = Files.writeString(scratch.resolve("slice.parquet"), "PAR1 data PAR1");
        assertTrue(store.putIfAbsent("ds/data/f1620bb", file));
        assertEquals("PAR1 data PAR1", text(store.get("ds/data/f1620bb")));
        assertThrows(NoSuchFileException.class, () -> store.putIfAbsent("ds/data/x", scratch.resolve("missing")));
        assertFalse(store.exists("ds/data/x"));
    }

    // ------------------------------------------------------------------------------------------- CAS

    @Test
    void compareAndSetWithNullCreatesOnlyIfAbsent() throws IOException {
        assertTrue(store.compareAndSet("ds/refs/head", null, bytes("f1620a")));
        assertFalse(store.compareAndSet("ds/refs/head", null, bytes("f1620b")));
        assertEquals("f1620a", text(store.get("ds/refs/head")));
    }

    @Test
    void compareAndSetSucceedsOnCurrentVersionAndFailsOnStaleOne() throws IOException {
        assertTrue(store.compareAndSet("ds/refs/head", null, bytes("f1620a")));
        ObjectStore.Versioned v1 = store.getVersioned("ds/refs/head").orElseThrow();
        assertEquals("f1620a", new String(v1.bytes(), UTF_8));

        assertTrue(store.compareAndSet("ds/refs/head", v1.version(), bytes("f1620b")));
        ObjectStore.Versioned v2 = store.getVersioned("ds/refs/head").orElseThrow();
        assertEquals("f1620b", new String(v2.bytes(), UTF_8));
        assertNotEquals(v1.version(), v2.version());

        // The loser of a race holds v1: nothing changes.
        assertFalse(store.compareAndSet("ds/refs/head", v1.version(), bytes("f1620c")));
        assertEquals("f1620b", text(store.get("ds/refs/head")));
        assertEquals(v2.version(), store.getVersioned("ds/refs/head").orElseThrow().version());
    }

    @Test
    void compareAndSetWithVersionOnAbsentObjectFails() throws IOException {
        assertTrue(store.compareAndSet("ds/refs/head", null, bytes("f1620a")));
        String version = store.getVersioned("ds/refs/head").orElseThrow().version();
        store.delete("ds/refs/head");
        assertFalse(store.compareAndSet("ds/refs/head", version, bytes("f1620b")));
        assertFalse(store.exists("ds/refs/head"));
    }

    @Test
    void compareAndSetOnObjectWrittenByPutIfAbsent() throws IOException {
        assertTrue(store.putIfAbsent("ds/info/alias", bytes("alice/weather")));
        String version = store.getVersioned("ds/info/alias").orElseThrow().version();
        assertTrue(store.compareAndSet("ds/info/alias", version, bytes("alice/climate")));
        assertEquals("alice/climate", text(store.get("ds/info/alias")));
    }

    // --------------------------------------------------------------------------------------- listings

    @Test
    void listAndListChildren() throws IOException {
        for (String key : List.of("fed01b/refs/head", "fed01a/blocks/f2", "fed01a/blocks/f1", "fed01a/refs/head",
                "fed01a/data/d1", "fed01ax/refs/head", "readme")) {
            assertTrue(store.putIfAbsent(key, bytes(key)));
        }
        assertEquals(List.of("fed01a/blocks/f1", "fed01a/blocks/f2", "fed01a/data/d1", "fed01a/refs/head",
                "fed01ax/refs/head", "fed01b/refs/head", "readme"), store.list(""));
        assertEquals(List.of("fed01a/blocks/f1", "fed01a/blocks/f2", "fed01a/data/d1", "fed01a/refs/head"),
                store.list("fed01a/"));
        assertEquals(List.of("fed01a/blocks/f1", "fed01a/blocks/f2"), store.list("fed01a/blocks/"));
        assertEquals(List.of(), store.list("nothing/"));

        assertEquals(List.of("fed01a/", "fed01ax/", "fed01b/", "readme"), store.listChildren(""));
        assertEquals(List.of("blocks/", "data/", "refs/"), store.listChildren("fed01a/"));
        assertEquals(List.of("f1", "f2"), store.listChildren("fed01a/blocks/"));
        assertEquals(List.of(), store.listChildren("nothing/"));
        assertEquals(List.of(), store.listChildren("readme/"));
    }

    @Test
    void listingsSortKeys() throws IOException {
        for (String key : List.of("k/b", "k/a", "k/c", "k/B", "k/a0", "k/a-")) {
            store.putIfAbsent(key, bytes(key));
        }
        assertEquals(List.of("k/B", "k/a", "k/a-", "k/a0", "k/b", "k/c"), store.list("k/"));
        assertEquals(List.of("B", "a", "a-", "a0", "b", "c"), store.listChildren("k/"));
    }

    // ----------------------------------------------------------------------------------------- delete

    @Test
    void deleteRemovesAndToleratesAbsent() throws IOException {
        store.putIfAbsent("fed01a/blocks/f1", bytes("b1"));
        store.putIfAbsent("fed01a/refs/head", bytes("f1"));
        store.putIfAbsent("fed01b/refs/head", bytes("f9"));

        store.delete("fed01a/refs/head");
        assertFalse(store.exists("fed01a/refs/head"));
        assertEquals(Optional.empty(), store.get("fed01a/refs/head"));
        store.delete("fed01a/refs/head"); // absent: no error
        store.delete("never/existed");
        store.delete("fed01a"); // a "directory" is not an object
        assertEquals(Optional.empty(), store.get("fed01a/blocks"));
        assertEquals(Optional.empty(), store.getVersioned("fed01a/blocks"));
        assertFalse(store.exists("fed01a/blocks"));
        assertEquals(-1, store.size("fed01a/blocks"));
        assertThrows(NoSuchFileException.class, () -> store.openStream("fed01a/blocks"));
        assertTrue(store.exists("fed01a/blocks/f1"));

        // Once a "directory" holds no objects it disappears from listings, as on S3.
        store.delete("fed01a/blocks/f1");
        assertEquals(List.of("fed01b/"), store.listChildren(""));
        assertEquals(List.of("fed01b/refs/head"), store.list(""));

        // Deleted keys can be written again.
        assertTrue(store.putIfAbsent("fed01a/blocks/f1", bytes("again")));
        assertEquals("again", text(store.get("fed01a/blocks/f1")));
    }

    @Test
    void deletedCasKeyCanBeRecreated() throws IOException {
        assertTrue(store.compareAndSet("ds/refs/head", null, bytes("a")));
        store.delete("ds/refs/head");
        assertTrue(store.compareAndSet("ds/refs/head", null, bytes("b")));
        assertEquals("b", text(store.get("ds/refs/head")));
    }

    // ------------------------------------------------------------------------------------------- keys

    @Test
    void badKeysAreRejectedByEveryOperation() throws IOException {
        List<String> bad = List.of("", "/abs/key", "a//b", "a/", "./a", "a/./b", "../a", "a/../b", "a/..", "a\\b",
                "a\u0000b", "a\nb", "a\tb", "a/.hidden", ".tmp-123", "x".repeat(1025));
        Path file = Files.writeString(scratch.resolve("f"), "x");
        for (String key : bad) {
            List<Executable> ops = List.of(
                    () -> store.get(key), () -> store.getVersioned(key), () -> store.openStream(key),
                    () -> store.exists(key), () -> store.size(key), () -> store.putIfAbsent(key, bytes("x")),
                    () -> store.putIfAbsent(key, file), () -> store.compareAndSet(key, null, bytes("x")),
                    () -> store.delete(key));
            for (Executable op : ops) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, op::run,
                        () -> "key " + printable(key));
                assertTrue(e.getMessage().contains("Invalid object key"), e.getMessage());
                if (key.length() < 100 && key.chars().noneMatch(c -> c < 0x20)) {
                    assertTrue(e.getMessage().contains(key), "message names the key: " + e.getMessage());
                }
            }
        }
        for (String prefix : List.of("a", "/a/", "a//", "../", "a/../", "a\\b/")) {
            assertThrows(IllegalArgumentException.class, () -> store.list(prefix), prefix);
            assertThrows(IllegalArgumentException.class, () -> store.listChildren(prefix), prefix);
        }
        assertEquals(List.of(), store.list(""));
    }

    @Test
    void unicodeKeysAreAllowed() throws IOException {
        assertTrue(store.putIfAbsent("ds/info/naïve-日本", bytes("ok")));
        assertEquals("ok", text(store.get("ds/info/naïve-日本")));
        assertEquals(List.of("ds/info/naïve-日本"), store.list("ds/"));
    }

    // ------------------------------------------------------------------------------------ large files

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void largeObjectStreamsBothWays() throws Exception {
        long size = 20L * 1024 * 1024 + 17;
        Path file = scratch.resolve("large.bin");
        MessageDigest written = MessageDigest.getInstance("SHA-256");
        Random random = new Random(42);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; ) {
                int n = (int) Math.min(chunk.length, left);
                random.nextBytes(chunk);
                out.write(chunk, 0, n);
                written.update(chunk, 0, n);
                left -= n;
            }
        }
        assertTrue(store.putIfAbsent("ds/data/large", file));
        assertEquals(size, store.size("ds/data/large"));

        MessageDigest read = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(store.openStream("ds/data/large"), read)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        assertArrayEquals(written.digest(), read.digest());
        assertFalse(store.putIfAbsent("ds/data/large", file));
    }

    // ------------------------------------------------------------------------------------ concurrency

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void concurrentCompareAndSetIncrementsLoseNoUpdates() throws Exception {
        assertTrue(store.compareAndSet("counter", null, bytes("0")));
        AtomicInteger successfulCas = new AtomicInteger();
        AtomicInteger failedCas = new AtomicInteger();
        runConcurrently(THREADS, worker -> {
            ObjectStore s = storeForWorker(worker);
            for (int i = 0; i < INCREMENTS_PER_THREAD; i++) {
                while (true) {
                    ObjectStore.Versioned current = s.getVersioned("counter").orElseThrow();
                    int value = Integer.parseInt(new String(current.bytes(), UTF_8).split(" ")[0]);
                    // Contents are unique per write, as refs (block hashes) are: see ObjectStore#compareAndSet.
                    if (s.compareAndSet("counter", current.version(), bytes((value + 1) + " by " + worker + "/" + i))) {
                        successfulCas.incrementAndGet();
                        break;
                    }
                    failedCas.incrementAndGet(); // another writer won; re-read and retry
                }
            }
            return null;
        });
        assertEquals(THREADS * INCREMENTS_PER_THREAD, successfulCas.get());
        assertEquals(Integer.toString(THREADS * INCREMENTS_PER_THREAD), text(store.get("counter")).split(" ")[0]);
        System.out.printf("%s: %d CAS successes, %d retries%n", getClass().getSimpleName(), successfulCas.get(),
                failedCas.get());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void racingPutIfAbsentHasExactlyOneWinner() throws Exception {
        for (int round = 0; round < 5; round++) {
            String key = "ds/blocks/race" + round;
            List<Boolean> results = runConcurrently(THREADS,
                    worker -> storeForWorker(worker).putIfAbsent(key, bytes("writer-" + worker)));
            assertEquals(1, results.stream().filter(b -> b).count(), "winners in round " + round);
            int winner = results.indexOf(true);
            assertEquals("writer-" + winner, text(store.get(key)));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void racingCreateByCompareAndSetHasExactlyOneWinner() throws Exception {
        for (int round = 0; round < 5; round++) {
            String key = "ds" + round + "/refs/head";
            List<Boolean> results = runConcurrently(THREADS,
                    worker -> storeForWorker(worker).compareAndSet(key, null, bytes("head-" + worker)));
            assertEquals(1, results.stream().filter(b -> b).count(), "winners in round " + round);
            assertEquals("head-" + results.indexOf(true), text(store.get(key)));
        }
    }

    /** The store a concurrent worker uses; subclasses may hand out several instances over the same storage. */
    protected ObjectStore storeForWorker(int worker) throws Exception {
        return store;
    }

    interface Worker<T> {
        T run(int worker) throws Exception;
    }

    interface Executable {
        void run() throws Exception;
    }

    /** Runs {@code threads} workers released together by a barrier; returns results in worker order. */
    static <T> List<T> runConcurrently(int threads, Worker<T> body) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int worker = i;
                Callable<T> task = () -> {
                    start.await();
                    return body.run(worker);
                };
                futures.add(pool.submit(task));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String printable(String key) {
        return key.length() > 40 ? key.substring(0, 40) + "…" : key.replaceAll("\\p{Cntrl}", "?");
    }
}
