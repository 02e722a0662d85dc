package dev.sluice.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.chain.ChainValidationException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Dataset#resetTo}: a validated, all-or-nothing non-fast-forward move of the head. */
class ResetToTest {
    @TempDir Path root;
    @TempDir Path scratch;

    @Test
    void cutsBackToAnAncestorAndAppendsEventsOnTop() throws Exception {
        var repo = new DatasetRepository(new FileSystemObjectStore(root));
        Dataset ds = TestChains.createRoot(repo, "reset-me");
        Multihash metadataOnly = ds.head().orElseThrow();
        long metadataSeq = ds.state().sequenceNumber();
        for (int i = 0; i < 3; i++) ds.commit(TestChains.addData(ds, scratch, "r" + i, 5));
        Multihash before = ds.head().orElseThrow();
        assertEquals(14, ds.state().lastOffset());

        CommitResult r = ds.resetTo(before, metadataOnly, List.of(new MetadataEvent.SetInfo("kept", List.of())));

        assertEquals(before, r.oldHead());
        assertEquals(r.newHead(), ds.head().orElseThrow());
        assertEquals(metadataSeq + 1, ds.state().sequenceNumber(), "base + one appended block");
        assertEquals(null, ds.state().lastOffset(), "the data blocks are gone from the chain");
        assertEquals(metadataOnly, ds.block(r.newHead()).block().prevBlockHash());
        // A fresh handle (no cached state) folds the same chain; verify passes and lists the cut blocks as garbage.
        Dataset fresh = new DatasetRepository(new FileSystemObjectStore(root)).get(ds.id().toDid());
        assertEquals(ds.state(), fresh.state());
        VerifyReport report = new DatasetVerifier().verify(fresh);
        assertTrue(report.ok(), report.problems().toString());
        assertEquals(6, report.garbage().size(), "3 blocks + 3 data objects unreferenced: " + report.garbage());
        // Appending continues from the reset chain: offsets start again at 0.
        ds.commit(TestChains.addData(ds, scratch, "after", 2));
        assertEquals(1, ds.state().lastOffset());
    }

    @Test
    void plainResetWithoutEvents() throws Exception {
        var repo = new DatasetRepository(new FileSystemObjectStore(root));
        Dataset ds = TestChains.createRoot(repo, "plain");
        Multihash base = ds.head().orElseThrow();
        ds.commit(TestChains.addData(ds, scratch, "p", 1));
        CommitResult r = ds.resetTo(ds.head().orElseThrow(), base, List.of());
        assertEquals(base, r.newHead());
        assertEquals(base, ds.head().orElseThrow());
    }

    @Test
    void refusesAStaleHeadAForeignBlockAndInvalidEventsChangingNothing() throws Exception {
        var repo = new DatasetRepository(new FileSystemObjectStore(root));
        Dataset ds = TestChains.createRoot(repo, "guarded");
        Dataset other = TestChains.createRoot(repo, "other");
        Multihash base = ds.head().orElseThrow();
        ds.commit(TestChains.addData(ds, scratch, "g1", 1));
        Multihash stale = ds.head().orElseThrow();
        ds.commit(TestChains.addData(ds, scratch, "g2", 1));
        Multihash head = ds.head().orElseThrow();

        assertThrows(CommitConflictException.class, () -> ds.resetTo(stale, base, List.of()), "a concurrent commit moved the head");
        assertThrows(IllegalArgumentException.class, () -> ds.resetTo(head, other.head().orElseThrow(), List.of()), "not an ancestor");
        // ExecuteTransform on a root breaks the chain rules: validated before anything is written.
        var bad = new MetadataEvent.ExecuteTransform(List.of(), null, null, null, null, null);
        assertThrows(ChainValidationException.class, () -> ds.resetTo(head, base, List.of(bad)));
        assertEquals(head, ds.head().orElseThrow());
        assertFalse(new DatasetVerifier().verify(ds).problems().size() > 0);
    }
}
