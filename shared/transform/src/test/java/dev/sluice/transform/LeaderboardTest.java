package dev.sluice.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.DataSlice;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetVerifier;
import dev.sluice.storage.FileSystemObjectStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture pair from kamu's examples: {@code leaderboard} (top 2 by score, risingwave SQL, run on DuckDB) follows
 * {@code player-scores}. Each push that changes the top 2 must produce exactly the corrections, in ODF changelog form.
 */
class LeaderboardTest {
    @TempDir Path root;
    @TempDir Path scratch;

    static String score(int match, String player, int score, String time) {
        return "{\"match_time\":\"" + time + "\",\"match_id\":" + match + ",\"player_id\":\"" + player + "\",\"score\":" + score + "}\n";
    }

    /** A push and the leaderboard rows it must produce ("offset op place player score"). */
    record Case(String push, List<String> expected) {}

    static final List<Case> CASES = List.of(
            new Case(score(1, "alice", 100, "2000-01-01T00:00:00Z") + score(1, "bob", 80, "2000-01-01T00:00:00Z"),
                    List.of("0 0 1 alice 100", "1 0 2 bob 80")),
            new Case(score(2, "charlie", 90, "2000-01-02T00:00:00Z"),
                    List.of("2 2 2 bob 80", "3 3 2 charlie 90")),
            // Below the top 2: nothing changes, so no rows (the step still commits a block: the input advanced).
            new Case(score(3, "dave", 50, "2000-01-03T00:00:00Z"),
                    List.of()),
            new Case(score(4, "eve", 200, "2000-01-04T00:00:00Z") + score(4, "bob", 95, "2000-01-04T00:00:00Z"),
                    List.of("4 2 1 alice 100", "5 3 1 eve 200", "6 2 2 charlie 90", "7 3 2 alice 100")),
            new Case(score(5, "alice", 210, "2000-01-05T00:00:00Z"),
                    List.of("8 2 1 eve 200", "9 3 1 alice 210", "10 2 2 alice 100", "11 3 2 eve 200")));

    @Test
    void followsPlayerScoresWithRetractionsAndCorrectionsAndRecomputesIdentically() throws Exception {
        try (Workspace ws = new Workspace(new FileSystemObjectStore(root), scratch)) {
            Dataset scores = ws.createFixture("kamu-cli__leaderboard__player-scores.yaml");
            Dataset board = ws.createFixture("kamu-cli__leaderboard__leaderboard.yaml");
            assertTrue(ws.transforms.transform(board, 10).upToDate(), "no input data yet: nothing to do");
            assertEquals(0, Workspace.executes(board).size());

            for (int i = 0; i < CASES.size(); i++) {
                Case c = CASES.get(i);
                ws.push(scores, c.push());
                TransformResult r = ws.transforms.transform(board, 10);

                assertEquals(1, r.steps().size(), "case " + i);
                assertTrue(r.upToDate());
                var x = Workspace.executes(board).get(i);
                if (c.expected().isEmpty()) {
                    assertNull(x.newData(), "case " + i + ": no rows, no slice");
                    assertNull(r.steps().get(0).newData());
                } else {
                    assertEquals(c.expected(), ws.rows(board, x.newData(), "\"offset\", op, place, player_id, score"), "case " + i);
                }
                assertEquals(scores.state().watermark(), board.state().watermark(), "watermark follows the input's");
                // Nothing new: up to date, no block.
                var again = ws.transforms.transform(board, 10);
                assertEquals(0, again.steps().size());
                assertTrue(again.upToDate());
            }
            assertEquals(Instant.parse("2000-01-05T00:00:00Z"), board.state().watermark());
            var last = Workspace.executes(board).get(4);
            assertEquals("duckdb", last.extra().entries().get(TransformService.ENGINE_ATTRIBUTE));
            assertEquals("risingwave", last.extra().entries().get(TransformService.DIALECT_ATTRIBUTE));
            assertEquals(ws.duckdb().build(), last.extra().entries().get(TransformService.ENGINE_BUILD_ATTRIBUTE));
            assertNotNull(last.newCheckpoint(), "top-N keeps its previous result in a checkpoint");
            assertEquals(scores.state().head(), last.queryInputs().get(0).newBlockHash());
            assertEquals(11L, last.newData().offsetInterval().end());
            assertTrue(new DatasetVerifier().verify(board).ok());

            List<DataSlice> original = dataOf(board);

            // verify --recompute: every step re-run in scratch gives the committed hashes.
            TransformVerifier.Report report = new TransformVerifier(ws.transforms).verify(board);
            assertEquals(5, report.blocks().size());
            assertTrue(report.ok(), report.toString());

            // Reset to metadata and transform again: the same data, slice for slice.
            ResetResult reset = ws.transforms.reset(board);
            assertTrue(reset.changed());
            assertEquals(0, Workspace.executes(board).size());
            assertNull(board.state().schema(), "the output schema the transform wrote is gone too");
            TransformResult rebuilt = ws.transforms.transform(board, 100);
            assertEquals(5, rebuilt.steps().size());
            assertEquals(original, dataOf(board));

            // Delete the dataset and create it again from the manifest: still the same data.
            ws.repo.delete(board);
            Dataset again = ws.createFixture("kamu-cli__leaderboard__leaderboard.yaml");
            ws.transforms.transform(again, 100);
            assertEquals(original, dataOf(again));
            assertTrue(new TransformVerifier(ws.transforms).verify(again).ok());
        }
    }

    @Test
    void resetKeepsMetadataAddedAfterTheFirstTransform() throws Exception {
        try (Workspace ws = new Workspace(new FileSystemObjectStore(root), scratch)) {
            Dataset scores = ws.createFixture("kamu-cli__leaderboard__player-scores.yaml");
            Dataset board = ws.createFixture("kamu-cli__leaderboard__leaderboard.yaml");
            ws.push(scores, CASES.get(0).push());
            ws.transforms.transform(board, 10);
            board.commit(new MetadataEvent.SetInfo("top two players", List.of("games")));
            ws.push(scores, CASES.get(1).push());
            ws.transforms.transform(board, 10);
            int blocksBefore = board.chain().size();

            ResetResult r = ws.transforms.reset(board);
            assertEquals(1, r.keptEvents());
            assertEquals(4, r.droppedBlocks(), "SetDataSchema, 2 × ExecuteTransform, SetInfo: " + r);
            assertEquals(blocksBefore - 3, board.chain().size());
            assertTrue(board.chain().get(0).block().event() instanceof MetadataEvent.SetInfo);
            assertNull(board.state().lastOffset());
            assertEquals(0, ws.transforms.reset(board).droppedBlocks(), "already metadata only");

            ws.transforms.transform(board, 10);
            assertEquals(CASES.get(1).expected(), ws.rows(board, Workspace.executes(board).get(1).newData(),
                    "\"offset\", op, place, player_id, score"));
        }
    }

    static List<DataSlice> dataOf(Dataset ds) {
        List<DataSlice> out = new ArrayList<>();
        for (var x : Workspace.executes(ds)) out.add(x.newData());
        return out;
    }
}
