package dev.sluice.ingest.poll;

import static dev.sluice.ingest.poll.Polls.CSV_ID_NAME;
import static dev.sluice.ingest.poll.Polls.LEDGER_ID;
import static dev.sluice.ingest.poll.Polls.assertHead;
import static dev.sluice.ingest.poll.Polls.head;
import static dev.sluice.ingest.poll.Polls.manifest;
import static dev.sluice.ingest.poll.Polls.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ingest.IngestException;
import dev.sluice.odf.DatasetSnapshot;
import dev.sluice.odf.FetchStep;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.PrepStep;
import dev.sluice.odf.yaml.ManifestYaml;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which sources can be polled, a manifest from YAML to a polled dataset, and concurrent polls. */
class PollSourceTest {
    @TempDir Path root;
    @TempDir Path scratch;
    SourceServer server;
    PollingIngest polling;

    @BeforeEach
    void start() throws Exception {
        server = new SourceServer();
        polling = new PollingIngest(scratch, Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void mqttEthereumLogsAndContainerAreStoredButNotRun() {
        String mqtt = "kind: Mqtt\nhost: localhost\nport: 1883\nusername: u\npassword: p\ntopics:\n  - path: sensors/temp\n    qos: AtMostOnce";
        String eth = "kind: EthereumLogs\nchainId: 1\nnodeUrl: http://localhost:8545\nfilter: block_number > 5\n"
                + "signature: Transfer(address indexed from, address indexed to, uint256 value)";
        String container = "kind: Container\nimage: ghcr.io/kamu-data/fetch-com.github:0.1.0\nargs: [--owner, kamu-data]";
        for (String[] c : new String[][] {{"Mqtt", mqtt}, {"EthereumLogs", eth}, {"Container", container}}) {
            Dataset ds = Polls.create(root, manifest(c[0].toLowerCase(), c[1], null, "kind: Parquet", "kind: Append"));
            assertEquals(c[0], ds.state().pollingSource().fetch().kind(), "the step is stored in the metadata");
            Multihash h = head(ds);
            UnsupportedSourceException e = assertThrows(UnsupportedSourceException.class, () -> polling.poll(ds, PollOptions.defaults()));
            assertEquals(c[0], e.fetchKind());
            assertTrue(e.getMessage().contains("fetch step " + c[0]), e.getMessage());
            assertTrue(e.getMessage().contains(c[0].equals("Container") ? "not supported" : "not run yet"), e.getMessage());
            assertHead(h, ds);
        }
    }

    @Test
    void disabledOrMissingPollingSourceIsAClearError() {
        server.serve("/d.csv", "id,name\n1,a\n", "\"1\"", null);
        Dataset ds = Polls.create(root, manifest("dis", "kind: Url\nurl: " + server.url("/d.csv"), null, CSV_ID_NAME, LEDGER_ID));
        ds.commit(new MetadataEvent.DisablePollingSource());
        Multihash h = head(ds);
        IngestException e = assertThrows(IngestException.class, () -> polling.poll(ds, PollOptions.defaults()));
        assertTrue(e.getMessage().contains("disabled"), e.getMessage());
        assertEquals(0, server.seen.size(), "nothing fetched");
        assertHead(h, ds);

        Dataset push = new DatasetRepository(new FileSystemObjectStore(root)).create(ManifestYaml.readSnapshot("""
                kind: DatasetSnapshot
                version: 1
                content:
                  name: pushed
                  kind: Root
                  metadata:
                    - kind: AddPushSource
                      sourceName: default
                      read: {kind: NdJson}
                      merge: {kind: Append}
                """));
        assertTrue(assertThrows(IngestException.class, () -> polling.poll(push, PollOptions.defaults()))
                .getMessage().contains("has no polling source"));
    }

    /** The kamu example manifest's shape (Url + Pipe + Csv + preprocess-free Ledger + SetVocab), written as YAML. */
    @Test
    void manifestRoundTripFromYamlToPolledDataset() throws Exception {
        server.serve("/valet/observations/FX_RATES_DAILY/csv", """
                "TERMS AND CONDITIONS"
                "https://www.bankofcanada.ca/terms/"
                "OBSERVATIONS"
                "date","FXUSDCAD","FXEURCAD"
                "2024-01-02","1.3316","1.4605"
                "2024-01-03","1.3339","1.4567"
                """, "\"fx-1\"", Instant.parse("2024-01-03T21:00:00Z"));
        String yaml = """
                kind: DatasetSnapshot
                version: 1
                content:
                  name: ca.bankofcanada.exchange-rates.daily
                  kind: Root
                  metadata:
                    - kind: SetPollingSource
                      fetch:
                        kind: Url
                        url: "%s?start_date=${{ env.START || '2017-01-03' }}"
                        headers:
                          - name: Accept
                            value: text/csv
                      prepare:
                        - kind: Pipe
                          command:
                            - sed
                            - -e
                            - 1,/OBSERVATIONS/d
                      read:
                        kind: Csv
                        header: true
                        schema:
                          fields:
                            - { name: date, type: timestamp }
                            - { name: FXUSDCAD, type: float64 }
                            - { name: FXEURCAD, type: float64 }
                      merge:
                        kind: Ledger
                        primaryKey:
                          - date
                    - kind: SetVocab
                      eventTimeColumn: date
                """.formatted(server.url("/valet/observations/FX_RATES_DAILY/csv"));
        DatasetSnapshot snapshot = ManifestYaml.readSnapshot(yaml);
        assertEquals(snapshot, ManifestYaml.readSnapshot(ManifestYaml.writeSnapshot(snapshot)), "YAML round trip");
        Dataset ds = new DatasetRepository(new FileSystemObjectStore(root)).create(snapshot);
        MetadataEvent.SetPollingSource stored = ds.state().pollingSource();
        assertEquals(snapshot.metadata().get(0), stored, "the block stores the source exactly");
        assertTrue(stored.fetch() instanceof FetchStep.Url u && u.headers().size() == 1);
        assertTrue(stored.prepare().get(0) instanceof PrepStep.Pipe);

        PollResult r = polling.poll(ds, PollOptions.defaults());
        assertEquals(2, r.rowsAdded());
        assertEquals("start_date=2017-01-03", server.last("/valet/observations/FX_RATES_DAILY/csv").query());
        assertEquals("text/csv", server.last("/valet/observations/FX_RATES_DAILY/csv").header("Accept"));
        assertEquals(List.of("2024-01-02T00:00:00Z 1.3316 1.4605", "2024-01-03T00:00:00Z 1.3339 1.4567"),
                rows(ds, "date, FXUSDCAD, FXEURCAD"));
        assertEquals(Instant.parse("2024-01-03T00:00:00Z"), Polls.headAddData(ds).newWatermark(), "event time from the date column");
        assertEquals(PollResult.Status.UP_TO_DATE, polling.poll(ds, PollOptions.defaults()).status());
    }

    @Test
    void concurrentPollsOfTheSameVersionCommitItOnce() throws Exception {
        CountDownLatch bothArrived = new CountDownLatch(2);
        server.serveGated("/d.csv", "id,name\n1,a\n2,b\n", "\"v1\"", bothArrived);
        Dataset created = Polls.create(root, manifest("c", "kind: Url\nurl: " + server.url("/d.csv"), null, CSV_ID_NAME, "kind: Append"));
        FileSystemObjectStore store = new FileSystemObjectStore(root);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<PollResult>> fs = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Path own = scratch.resolve("p" + i);
                fs.add(pool.submit(() -> new PollingIngest(own).poll(new DatasetRepository(store).get(created.id().toDid()), PollOptions.defaults())));
            }
            List<PollResult.Status> statuses = new ArrayList<>();
            for (Future<PollResult> f : fs) statuses.add(f.get().status());
            assertEquals(1, statuses.stream().filter(s -> s == PollResult.Status.UPDATED).count(), statuses.toString());
            assertEquals(1, statuses.stream().filter(s -> s == PollResult.Status.UP_TO_DATE).count(), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of("1 a", "2 b"), rows(created, "id, name"), "Append would have doubled the rows");
    }
}
