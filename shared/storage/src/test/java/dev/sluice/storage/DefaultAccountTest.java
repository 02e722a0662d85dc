package dev.sluice.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A single-tenant repository (kamu's default account): {@code kamu/name} and {@code name} are one dataset. */
class DefaultAccountTest {
    @TempDir Path dir;

    @Test
    void accountQualifiedAliasFindsBareDatasetAndBack() {
        var repo = new DatasetRepository(new FileSystemObjectStore(dir), Clock.systemUTC(), "kamu");
        Dataset bare = TestChains.createRoot(repo, "player-scores");
        assertEquals(bare.id(), repo.get("kamu/player-scores").id());
        assertEquals(bare.id(), repo.get("KAMU/Player-Scores").id());
        assertTrue(repo.find("other/player-scores").isEmpty(), "another account is another dataset");
        assertTrue(repo.find("kamu/no-such").isEmpty());

        Dataset qualified = TestChains.createRoot(repo, "kamu/board");
        assertEquals(qualified.id(), repo.get("board").id());
        assertThrows(DatasetAlreadyExistsException.class, () -> TestChains.createRoot(repo, "kamu/player-scores"));
        assertThrows(DatasetAlreadyExistsException.class, () -> TestChains.createRoot(repo, "board"));
    }

    @Test
    void withoutDefaultAccountQualifiedAliasesStayDistinct() {
        var repo = new DatasetRepository(new FileSystemObjectStore(dir));
        TestChains.createRoot(repo, "player-scores");
        assertTrue(repo.find("kamu/player-scores").isEmpty());
    }

    /** A dataset created with a given identity has it; the identity is taken once. */
    @Test
    void createWithAGivenIdentity() {
        var repo = new DatasetRepository(new FileSystemObjectStore(dir));
        var id = dev.sluice.odf.DatasetId.ofPublicKey(new byte[32]);
        var snapshot = new dev.sluice.odf.DatasetSnapshot("fixed", dev.sluice.odf.DatasetKind.Root, List.of());
        Dataset ds = repo.create(id, snapshot);
        assertEquals(id, ds.id());
        assertEquals(id, repo.get("fixed").id());
        assertEquals(id, ((dev.sluice.odf.MetadataEvent.Seed) ds.block(ds.head().orElseThrow()).block().event()).datasetId());
        assertThrows(DatasetAlreadyExistsException.class,
                () -> repo.create(id, new dev.sluice.odf.DatasetSnapshot("other", dev.sluice.odf.DatasetKind.Root, List.of())));
        assertTrue(repo.find("other").isEmpty());
    }
}
