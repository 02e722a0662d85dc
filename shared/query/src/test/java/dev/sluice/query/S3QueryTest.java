package dev.sluice.query;

import static dev.sluice.query.Fixtures.data;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.LocalS3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3QueryTest {
    @TempDir Path scratch;
    @TempDir Path cache;

    @Test
    void queriesSlicesOfAnS3StoreThroughTheCache() throws Exception {
        try (LocalS3Server s3 = LocalS3Server.start()) {
            DatasetRepository repo = new DatasetRepository(s3.newStore("datasets"));
            var pushes = Fixtures.playerScores(repo, scratch, "player-scores");
            try (QueryService qs = new QueryService(repo, cache)) {
                String q = "SELECT player_id, score FROM \"player-scores\" ORDER BY \"offset\"";
                assertEquals("[[\"Alice\",100],[\"Bob\",80],[\"Alice\",70],[\"Charlie\",90]]", data(qs, QueryRequest.of(q).withFormat(DataFormat.JSON_AOA)));
                assertEquals(2, cachedSlices(), "each slice fetched once");
                assertEquals("[[\"Alice\",100],[\"Bob\",80]]", data(qs, QueryRequest.of(q).withFormat(DataFormat.JSON_AOA)
                        .withDatasets(QueryRequest.DatasetInput.pin("player-scores", pushes[0].newHead().toMultibase()))));
                assertEquals(2, cachedSlices(), "immutable slices are served from the cache");
            }
        }
    }

    private long cachedSlices() throws Exception {
        try (Stream<Path> s = Files.list(cache.resolve("slices"))) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }
}
