package dev.sluice.query;

import dev.sluice.ingest.IngestResult;
import dev.sluice.ingest.IngestSource;
import dev.sluice.ingest.PushIngest;
import dev.sluice.odf.yaml.ManifestYaml;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** player-scores as in kamu's leaderboard example, pushed in two matches with a fixed clock. */
final class Fixtures {
    static final Instant T1 = Instant.parse("2050-01-01T00:00:00Z");
    static final Instant T2 = Instant.parse("2050-01-02T00:00:00Z");

    static String playerScores(String name) {
        return """
                kind: DatasetSnapshot
                version: 1
                content:
                  name: %s
                  kind: Root
                  metadata:
                    - kind: AddPushSource
                      sourceName: default
                      read:
                        kind: NdJson
                        schema:
                          fields:
                            - name: match_time
                              type: timestamp
                            - name: match_id
                              type: int64
                            - name: player_id
                              type: string
                            - name: score
                              type: int64
                      merge:
                        kind: Ledger
                        primaryKey:
                          - match_id
                          - player_id
                    - kind: SetVocab
                      eventTimeColumn: match_time
                """.formatted(name);
    }

    static final String MATCH_1 = """
            {"match_time": "2000-01-01T00:00:00Z", "match_id": 1, "player_id": "Alice", "score": 100}
            {"match_time": "2000-01-01T00:00:00Z", "match_id": 1, "player_id": "Bob", "score": 80}
            """;
    static final String MATCH_2 = """
            {"match_time": "2000-01-02T00:00:00Z", "match_id": 2, "player_id": "Alice", "score": 70}
            {"match_time": "2000-01-02T00:00:00Z", "match_id": 2, "player_id": "Charlie", "score": 90}
            """;

    /** Creates the dataset and pushes match 1 (at T1) and match 2 (at T2); returns the two ingest results. */
    static IngestResult[] playerScores(DatasetRepository repo, Path scratch, String name) {
        Dataset ds = repo.create(ManifestYaml.readSnapshot(playerScores(name)));
        IngestResult a = new PushIngest(scratch, Clock.fixed(T1, ZoneOffset.UTC)).ingest(ds, null, null, text(MATCH_1), null);
        IngestResult b = new PushIngest(scratch, Clock.fixed(T2, ZoneOffset.UTC)).ingest(ds, null, null, text(MATCH_2), null);
        return new IngestResult[] {a, b};
    }

    static IngestSource text(String s) {
        return IngestSource.ofBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    static String data(QueryService qs, QueryRequest req) {
        try (QueryResult r = qs.execute(req)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            r.writeData(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    static String response(QueryService qs, QueryRequest req) {
        try (QueryResult r = qs.execute(req)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            r.writeResponse(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
