package dev.sluice.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.data.merge.MergeException;
import dev.sluice.data.read.BadInputException;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.yaml.ManifestYaml;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.DatasetVerifier;
import dev.sluice.storage.FileSystemObjectStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1000 generated malformed pushes (truncated files, wrong types, bad UTF-8, ragged CSV rows, JSON of the wrong
 * shape, empty bodies) through the whole push pipeline: each is a clear error and the dataset is unchanged.
 */
class MalformedPushTest {
    @TempDir Path root;
    @TempDir Path scratch;

    static final String CSV_DATASET = PushIngestTest.PLAYER_SCORES.replace("name: player-scores", "name: scores-csv")
            .replace("kind: NdJson", "kind: Csv\n        header: true");

    static final String GOOD_NDJSON = PushIngestTest.MATCH_1_AND_2;
    static final String GOOD_CSV = "match_time,match_id,player_id,score\n2000-01-01T00:00:00Z,1,Alice,100\n2000-01-01T00:00:00Z,1,Bob,80\n";

    @Test
    void everyMalformedPushIsRejectedAndChangesNothing() throws Exception {
        var repo = new DatasetRepository(new FileSystemObjectStore(root));
        Dataset nd = repo.create(ManifestYaml.readSnapshot(PushIngestTest.PLAYER_SCORES));
        Dataset csv = repo.create(ManifestYaml.readSnapshot(CSV_DATASET));
        PushIngest ingest = new PushIngest(scratch);
        // Some data first, so merges against previous data are exercised too.
        ingest.ingest(nd, null, null, IngestSource.ofBytes(PushIngestTest.MATCH_1.getBytes(StandardCharsets.UTF_8)), null);
        ingest.ingest(csv, null, null, IngestSource.ofBytes(GOOD_CSV.getBytes(StandardCharsets.UTF_8)), null);
        Multihash ndHead = nd.head().orElseThrow();
        Multihash csvHead = csv.head().orElseThrow();

        Random rnd = new Random(7);
        List<byte[]> ndInputs = new ArrayList<>();
        List<byte[]> csvInputs = new ArrayList<>();
        while (ndInputs.size() < 500) ndInputs.add(malformedNdJson(rnd));
        while (csvInputs.size() < 500) csvInputs.add(malformedCsv(rnd));
        int n = 0;
        for (byte[] body : ndInputs) n += expectRejected(ingest, nd, body);
        for (byte[] body : csvInputs) n += expectRejected(ingest, csv, body);
        assertEquals(1000, n);
        assertEquals(ndHead, nd.head().orElseThrow(), "NDJSON dataset head unchanged");
        assertEquals(csvHead, csv.head().orElseThrow(), "CSV dataset head unchanged");
        assertTrue(new DatasetVerifier().verify(nd).garbage().isEmpty(), "no objects left behind");
        assertTrue(new DatasetVerifier().verify(csv).garbage().isEmpty(), "no objects left behind");
        try (Stream<Path> left = Files.list(scratch)) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().startsWith(".push-")), "no temp slices left");
        }
    }

    static int expectRejected(PushIngest ingest, Dataset ds, byte[] body) {
        try {
            IngestResult r = ingest.ingest(ds, null, null, IngestSource.ofBytes(body), null);
            fail("accepted malformed input (" + r + "):\n" + preview(body));
        } catch (BadInputException | MergeException | IngestException e) {
            String m = e.getMessage();
            assertTrue(m != null && !m.isBlank() && m.length() < 1000 && m.lines().count() == 1, "one clear line: " + m);
        }
        return 1;
    }

    static String preview(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    static byte[] malformedNdJson(Random rnd) {
        String good = GOOD_NDJSON;
        return switch (rnd.nextInt(9)) {
            case 0 -> good.substring(0, 1 + rnd.nextInt(good.length() - 30)).replaceAll("\\}\\s*$", "").getBytes(StandardCharsets.UTF_8); // truncated mid-record
            case 1 -> good.replace("\"score\": 100", "\"score\": \"lots" + rnd.nextInt(1000) + "\"").getBytes(StandardCharsets.UTF_8); // wrong type
            case 2 -> good.replace("\"match_id\": 2", "\"match_id\": " + (rnd.nextInt(100) + 0.5)).getBytes(StandardCharsets.UTF_8); // non-integral
            case 3 -> badUtf8(good, rnd); // invalid UTF-8
            case 4 -> new byte[0]; // empty body
            case 5 -> ("[" + good.replace("\n", ",") + "]").getBytes(StandardCharsets.UTF_8); // JSON array, not NDJSON
            case 6 -> good.replace("2000-01-02T00:00:00Z", "yesterday-" + rnd.nextInt(99)).getBytes(StandardCharsets.UTF_8); // bad timestamp
            case 7 -> good.replace("\"player_id\": \"Alice\", ", "").getBytes(StandardCharsets.UTF_8); // missing required (key) field
            default -> ("{\"match_time\": \"2000-01-01T00:00:00Z\", \"match_id\": " + rnd.nextInt() + ", \"player_id\": [1,2], \"score\": 1}\n").getBytes(StandardCharsets.UTF_8); // wrong shape
        };
    }

    static byte[] malformedCsv(Random rnd) {
        String good = GOOD_CSV;
        return switch (rnd.nextInt(7)) {
            case 0 -> (good + "2000-01-02T00:00:00Z,2,Carol\n").getBytes(StandardCharsets.UTF_8); // ragged row
            case 1 -> (good + "2000-01-02T00:00:00Z,2,Carol,9,extra" + rnd.nextInt(9) + "\n").getBytes(StandardCharsets.UTF_8); // ragged row
            case 2 -> good.replace(",100", ",1e" + rnd.nextInt(5) + "x").getBytes(StandardCharsets.UTF_8); // wrong type
            case 3 -> badUtf8(good, rnd);
            case 4 -> new byte[0];
            case 5 -> (good + "2000-01-02T00:00:00Z,2,\"unterminated" + rnd.nextInt(9) + ",9\n").getBytes(StandardCharsets.UTF_8); // open quote at EOF
            default -> good.replace("match_id", "match_no" + rnd.nextInt(9)).getBytes(StandardCharsets.UTF_8); // wrong header
        };
    }

    static byte[] badUtf8(String good, Random rnd) {
        byte[] b = good.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = good.indexOf("Alice") + rnd.nextInt(3);
        out.write(b, 0, at);
        out.write(new byte[] {(byte) 0xC3, (byte) (0x28 + rnd.nextInt(4))}, 0, 2); // invalid continuation byte
        out.write(b, at, b.length - at);
        return out.toByteArray();
    }
}
