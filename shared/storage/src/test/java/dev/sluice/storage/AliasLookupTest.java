package dev.sluice.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding a dataset by alias costs one store call once its id is known, however many datasets there are. */
class AliasLookupTest {
    @TempDir Path dir;

    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();

    private ObjectStore counting(ObjectStore inner) {
        return (ObjectStore) Proxy.newProxyInstance(ObjectStore.class.getClassLoader(), new Class<?>[] {ObjectStore.class}, (p, m, args) -> {
            calls.computeIfAbsent(m.getName(), k -> new AtomicLong()).incrementAndGet();
            try {
                return m.invoke(inner, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    private long total() {
        return calls.values().stream().mapToLong(AtomicLong::get).sum();
    }

    @Test
    void aKnownAliasIsOneExistsCheckAndADeletedOneIsListedAgain() {
        var repo = new DatasetRepository(counting(new FileSystemObjectStore(dir)), Clock.systemUTC(), "kamu");
        for (int i = 0; i < 40; i++) TestChains.createRoot(repo, "ds-" + i);
        Dataset first = repo.get("ds-7"); // learns every alias from one listing
        calls.clear();
        assertEquals(first.id(), repo.get("kamu/DS-7").id());
        assertEquals(repo.find("ds-30").orElseThrow().alias(), "ds-30");
        assertEquals(Map.of("exists", 2L), Map.of("exists", calls.get("exists").get()));
        assertEquals(2, total(), "one head check per lookup: " + calls);

        // Deleted (here or by another process): the head check fails, the repository lists again.
        repo.delete(first);
        assertTrue(repo.find("ds-7").isEmpty());
        Dataset again = TestChains.createRoot(repo, "ds-7");
        assertNotEquals(first.id(), again.id());
        assertEquals(again.id(), repo.get("ds-7").id());
    }

    @Test
    void anotherRepositoryDeletingAndRecreatingIsSeen() {
        ObjectStore shared = new FileSystemObjectStore(dir);
        var mine = new DatasetRepository(shared);
        var theirs = new DatasetRepository(shared);
        Dataset old = TestChains.createRoot(mine, "board");
        assertEquals(old.id(), mine.get("board").id());
        theirs.delete(theirs.get("board"));
        Dataset recreated = TestChains.createRoot(theirs, "board");
        assertEquals(recreated.id(), mine.get("board").id());
    }
}
