package dev.sluice.ingest.poll;

import static dev.sluice.ingest.poll.Polls.CSV_ID_NAME;
import static dev.sluice.ingest.poll.Polls.LEDGER_ID;
import static dev.sluice.ingest.poll.Polls.assertHead;
import static dev.sluice.ingest.poll.Polls.head;
import static dev.sluice.ingest.poll.Polls.manifest;
import static dev.sluice.ingest.poll.Polls.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.data.read.BadInputException;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.SourceState;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetVerifier;
import dev.sluice.storage.HashedBlock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Url polling over real HTTP: the JDK's server on an ephemeral port, data read back from Parquet by DuckDB. */
class UrlPollTest {
    static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir Path root;
    @TempDir Path scratch;
    SourceServer server;
    PollingIngest polling;

    @BeforeEach
    void start() throws Exception {
        server = new SourceServer();
        polling = new PollingIngest(scratch, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    Dataset urlDataset(String url, String merge) {
        return Polls.create(root, manifest("src", "kind: Url\nurl: " + url, null, CSV_ID_NAME, merge));
    }

    @Test
    void etagKeepsUnchangedSourcesFromBeingIngestedAgain() throws Exception {
        server.serve("/data.csv", "id,name\n1,a\n2,b\n", "\"v1\"", null);
        Dataset ds = urlDataset(server.url("/data.csv"), LEDGER_ID);

        PollResult first = polling.poll(ds, PollOptions.defaults());
        assertEquals(PollResult.Status.UPDATED, first.status());
        assertEquals(2, first.rowsRead());
        assertEquals(2, first.rowsAdded());
        assertEquals(0, first.newData().start());
        assertEquals(1, first.newData().end());
        assertEquals(List.of("0 +A 1 a", "1 +A 2 b"), rows(ds, "\"offset\", op, id, name"));
        assertEquals(new SourceState("odf/polling", "odf/etag", "\"v1\""), Polls.headAddData(ds).newSourceState());
        assertNull(server.last("/data.csv").header("If-None-Match"), "nothing to send on the first poll");

        // Unchanged: the stored ETag goes back as If-None-Match, the server answers 304, no block.
        Multihash before = head(ds);
        PollResult second = polling.poll(ds, PollOptions.defaults());
        assertEquals(PollResult.Status.UP_TO_DATE, second.status());
        assertFalse(second.committed());
        assertEquals("\"v1\"", server.last("/data.csv").header("If-None-Match"));
        assertEquals(304, server.last("/data.csv").answered());
        assertHead(before, ds);

        // Changed content and ETag: a new slice, by Ledger rules only the unseen key.
        server.serve("/data.csv", "id,name\n1,a\n2,b\n3,c\n", "\"v2\"", null);
        PollResult third = polling.poll(ds, PollOptions.defaults());
        assertEquals(PollResult.Status.UPDATED, third.status());
        assertEquals(3, third.rowsRead());
        assertEquals(1, third.rowsAdded());
        assertEquals("\"v1\"", server.last("/data.csv").header("If-None-Match"));
        assertEquals(200, server.last("/data.csv").answered());
        assertEquals(List.of("0 +A 1 a", "1 +A 2 b", "2 +A 3 c"), rows(ds, "\"offset\", op, id, name"));
        assertEquals("\"v2\"", Polls.headAddData(ds).newSourceState().value());
        assertEquals(3, server.requestsTo("/data.csv").size());
        assertTrue(new DatasetVerifier().verify(ds).ok());
    }

    @Test
    void snapshotSourceYieldsRetractionsAndCorrections() throws Exception {
        server.serve("/cities.csv", "id,name\n1,a\n2,b\n3,c\n", "\"s1\"", null);
        Dataset ds = urlDataset(server.url("/cities.csv"), "kind: Snapshot\nprimaryKey: [id]");
        polling.poll(ds, PollOptions.defaults());
        server.serve("/cities.csv", "id,name\n1,a\n2,B\n4,d\n", "\"s2\"", null);
        PollResult r = polling.poll(ds, PollOptions.defaults());
        assertEquals(4, r.rowsAdded());
        assertEquals(List.of("0 +A 1 a", "1 +A 2 b", "2 +A 3 c", "3 -C 2 b", "4 +C 2 B", "5 -R 3 c", "6 +A 4 d"),
                rows(ds, "\"offset\", op, id, name"));
    }

    @Test
    void newEtagWithNothingNewCommitsOnlyTheSourceState() throws Exception {
        server.serve("/d.csv", "id,name\n1,a\n", "\"a\"", null);
        Dataset ds = urlDataset(server.url("/d.csv"), LEDGER_ID);
        polling.poll(ds, PollOptions.defaults());
        server.serve("/d.csv", "id,name\n1,a\n", "\"b\"", null);
        PollResult r = polling.poll(ds, PollOptions.defaults());
        assertEquals(PollResult.Status.UPDATED, r.status(), "the new ETag is recorded so it is not fetched again");
        assertEquals(0, r.rowsAdded());
        assertNull(Polls.headAddData(ds).newData());
        assertEquals("\"b\"", Polls.headAddData(ds).newSourceState().value());
        assertEquals(1, rows(ds, "id").size());
        Multihash h = head(ds);
        assertEquals(PollResult.Status.UP_TO_DATE, polling.poll(ds, PollOptions.defaults()).status());
        assertEquals("\"b\"", server.last("/d.csv").header("If-None-Match"));
        assertHead(h, ds);
    }

    @Test
    void sameEtagWithout304IsUpToDateToo() throws Exception {
        server.serveIgnoringConditionals("/d.csv", "id,name\n1,a\n", "\"same\"");
        Dataset ds = urlDataset(server.url("/d.csv"), "kind: Append");
        polling.poll(ds, PollOptions.defaults());
        Multihash h = head(ds);
        PollResult r = polling.poll(ds, PollOptions.defaults());
        assertEquals(PollResult.Status.UP_TO_DATE, r.status());
        assertEquals(200, server.last("/d.csv").answered(), "the server ignored If-None-Match");
        assertHead(h, ds);
        assertEquals(1, rows(ds, "id").size(), "Append would have duplicated the row");
    }

    @Test
    void lastModifiedOnlyServerAndEventTimeFromMetadata() throws Exception {
        Instant modified = Instant.parse("2024-05-06T07:08:09Z");
        server.serve("/lm.csv", "id,name\n1,a\n", null, modified);
        Dataset ds = urlDataset(server.url("/lm.csv"), LEDGER_ID);
        PollResult first = polling.poll(ds, PollOptions.defaults());
        assertEquals(new SourceState("odf/polling", "odf/last-modified", "2024-05-06T07:08:09Z"), first.sourceState());
        // No event-time column in the data: rows get the Last-Modified time (eventTime defaults to fromMetadata).
        assertEquals(List.of("1 2024-05-06T07:08:09Z"), rows(ds, "id, event_time"));
        assertEquals(modified, Polls.headAddData(ds).newWatermark());

        Multihash h = head(ds);
        assertEquals(PollResult.Status.UP_TO_DATE, polling.poll(ds, PollOptions.defaults()).status());
        assertEquals("Mon, 6 May 2024 07:08:09 GMT", server.last("/lm.csv").header("If-Modified-Since"));
        assertEquals(304, server.last("/lm.csv").answered());
        assertHead(h, ds);

        server.serve("/lm.csv", "id,name\n1,a\n2,b\n", null, modified.plusSeconds(60));
        PollResult third = polling.poll(ds, PollOptions.defaults());
        assertEquals(1, third.rowsAdded());
        assertEquals(List.of("1 2024-05-06T07:08:09Z", "2 2024-05-06T07:09:09Z"), rows(ds, "id, event_time"));
    }

    @Test
    void eventTimeFromSystemTimeAndFromPath() throws Exception {
        server.serve("/export-2021-03-04.csv", "id,name\n1,a\n", "\"e\"", Instant.parse("2024-01-01T00:00:00Z"));
        Dataset a = Polls.create(root, manifest("a", "kind: Url\nurl: " + server.url("/export-2021-03-04.csv")
                + "\neventTime:\n  kind: FromSystemTime", null, CSV_ID_NAME, LEDGER_ID));
        polling.poll(a, PollOptions.defaults());
        assertEquals(List.of("1 2030-01-01T00:00:00Z"), rows(a, "id, event_time"));
        Dataset b = Polls.create(root, manifest("b", "kind: Url\nurl: " + server.url("/export-2021-03-04.csv")
                + "\neventTime:\n  kind: FromPath\n  pattern: 'export-(\\d{4}-\\d{2}-\\d{2})\\.csv'\n  timestampFormat: '%Y-%m-%d'",
                null, CSV_ID_NAME, LEDGER_ID));
        polling.poll(b, PollOptions.defaults());
        assertEquals(List.of("1 2021-03-04T00:00:00Z"), rows(b, "id, event_time"));
    }

    @Test
    void serverErrorIsRetryableAndChangesNothingThenTheNextPollSucceeds() throws Exception {
        server.serve("/d.csv", "id,name\n1,a\n", "\"1\"", null);
        Dataset ds = urlDataset(server.url("/d.csv"), LEDGER_ID);
        polling.poll(ds, PollOptions.defaults());
        Multihash h = head(ds);

        server.fail("/d.csv", 500);
        FetchException e = assertThrows(FetchException.class, () -> polling.poll(ds, PollOptions.defaults()));
        assertTrue(e.retryable());
        assertEquals(500, e.httpStatus());
        assertTrue(e.getMessage().contains("HTTP 500"), e.getMessage());
        assertHead(h, ds);

        server.fail("/d.csv", 429);
        assertTrue(assertThrows(FetchException.class, () -> polling.poll(ds, PollOptions.defaults())).retryable());
        assertHead(h, ds);

        server.serve("/d.csv", "id,name\n1,a\n2,b\n", "\"2\"", null);
        PollResult ok = polling.poll(ds, PollOptions.defaults());
        assertEquals(1, ok.rowsAdded());
        assertEquals(List.of("1 a", "2 b"), rows(ds, "id, name"));
        assertEquals(0, Files.list(scratch).filter(p -> p.getFileName().toString().startsWith(".fetch-")).count(), "no scratch left");
    }

    @Test
    void notFoundAndOtherClientErrorsAreNotRetryable() {
        Dataset ds = urlDataset(server.url("/missing.csv"), LEDGER_ID);
        Multihash h = head(ds);
        FetchException e = assertThrows(FetchException.class, () -> polling.poll(ds, PollOptions.defaults()));
        assertFalse(e.retryable());
        assertEquals(404, e.httpStatus());
        assertTrue(e.getMessage().contains("not found") && e.getMessage().contains("/missing.csv"), e.getMessage());
        server.fail("/missing.csv", 403);
        assertFalse(assertThrows(FetchException.class, () -> polling.poll(ds, PollOptions.defaults())).retryable());
        assertHead(h, ds);
    }

    @Test
    void connectionRefusedAndTimeoutsAreRetryable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Dataset refused = urlDataset("http://127.0.0.1:" + closedPort + "/d.csv", LEDGER_ID);
        FetchException e = assertThrows(FetchException.class, () -> polling.poll(refused, PollOptions.defaults()));
        assertTrue(e.retryable(), e.getMessage());

        CountDownLatch release = new CountDownLatch(1);
        try {
            server.hang("/slow.csv", release);
            Dataset slow = Polls.create(root, manifest("slow", "kind: Url\nurl: " + server.url("/slow.csv"), null, CSV_ID_NAME, LEDGER_ID));
            Multihash h = head(slow);
            FetchException t = assertThrows(FetchException.class,
                    () -> polling.poll(slow, PollOptions.defaults().responseTimeout(Duration.ofMillis(200))));
            assertTrue(t.retryable());
            assertTrue(t.getMessage().contains("did not answer in time"), t.getMessage());
            assertHead(h, slow);
        } finally {
            release.countDown();
        }
    }

    @Test
    void redirectsAreFollowed() throws Exception {
        server.serve("/real.csv", "id,name\n5,e\n", "\"r\"", null);
        server.redirect("/moved.csv", server.url("/real.csv"));
        Dataset ds = urlDataset(server.url("/moved.csv"), LEDGER_ID);
        polling.poll(ds, PollOptions.defaults());
        assertEquals(List.of("5 e"), rows(ds, "id, name"));
        assertEquals(302, server.last("/moved.csv").answered());
    }

    @Test
    void templatedUrlAndHeadersFromVariables() throws Exception {
        server.serve("/v2/data.csv", "id,name\n1,a\n", "\"t\"", null);
        String url = server.url("/${{ env.API_VERSION }}/data.csv") + "?token=${{ env.TOKEN }}&region=${{ env.REGION || 'eu' }}";
        Dataset ds = Polls.create(root, manifest("t", "kind: Url\nurl: \"" + url + "\"\nheaders:\n  - name: Authorization\n"
                + "    value: 'Bearer ${{ env.TOKEN }}'\n  - name: X-Client\n    value: sluice", null, CSV_ID_NAME, LEDGER_ID));
        PollOptions o = PollOptions.defaults().variable("API_VERSION", "v2").secret("TOKEN", "s3cr3t-t0ken");
        PollResult r = polling.poll(ds, o);
        assertEquals(1, r.rowsAdded());
        SourceServer.Seen seen = server.last("/v2/data.csv");
        assertEquals("token=s3cr3t-t0ken&region=eu", seen.query());
        assertEquals("Bearer s3cr3t-t0ken", seen.header("Authorization"));
        assertEquals("sluice", seen.header("X-Client"));
        assertFalse(r.fetched().contains("s3cr3t-t0ken"), r.fetched());
        assertTrue(r.fetched().contains("token=***"), r.fetched());

        // An unknown variable: a clear error naming it, nothing fetched or written.
        Multihash h = head(ds);
        int requests = server.seen.size();
        FetchException missing = assertThrows(FetchException.class,
                () -> polling.poll(ds, PollOptions.defaults().variable("API_VERSION", "v2")));
        assertFalse(missing.retryable());
        assertTrue(missing.getMessage().contains("TOKEN"), missing.getMessage());
        assertEquals(requests, server.seen.size());
        assertHead(h, ds);
    }

    @Test
    void secretValuesNeverAppearInErrors() throws Exception {
        String secret = "p@ss word/xyz";
        server.fail("/private.csv", 403);
        Dataset ds = Polls.create(root, manifest("s", "kind: Url\nurl: '" + server.url("/private.csv")
                + "?key=${{ env.KEY }}'", null, CSV_ID_NAME, LEDGER_ID));
        // The raw secret makes the URL invalid (a space): the URI parser's message would quote it.
        FetchException bad = assertThrows(FetchException.class, () -> polling.poll(ds, PollOptions.defaults().secret("KEY", secret)));
        assertNoSecret(bad, secret);
        assertTrue(bad.getMessage().contains("key=***"), bad.getMessage());

        String token = "tok-123456";
        FetchException denied = assertThrows(FetchException.class, () -> polling.poll(ds, PollOptions.defaults().secret("KEY", token)));
        assertEquals(403, denied.httpStatus());
        assertNoSecret(denied, token);
        assertTrue(denied.getMessage().contains("key=***"), denied.getMessage());
        assertEquals("key=" + token, server.last("/private.csv").query(), "the real value was sent");

        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Dataset refused = Polls.create(root, manifest("r", "kind: Url\nurl: 'http://127.0.0.1:" + closedPort
                + "/${{ env.KEY }}/d.csv'", null, CSV_ID_NAME, LEDGER_ID));
        FetchException conn = assertThrows(FetchException.class, () -> polling.poll(refused, PollOptions.defaults().secret("KEY", token)));
        assertNoSecret(conn, token);
        assertFalse(PollOptions.defaults().secret("KEY", token).toString().contains(token));
    }

    /** Neither the message nor anything in the printed stack trace (causes included) contains the secret. */
    static void assertNoSecret(Throwable t, String secret) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        assertFalse(w.toString().contains(secret), w.toString());
    }

    @Test
    void sourcesWithoutEtagOrLastModifiedAreNotRefetchedUnlessAsked() throws Exception {
        server.serve("/plain.csv", "id,name\n1,a\n", null, null);
        Dataset ds = urlDataset(server.url("/plain.csv"), LEDGER_ID);
        PollResult first = polling.poll(ds, PollOptions.defaults());
        assertEquals(PollResult.Status.UPDATED, first.status());
        assertNull(Polls.headAddData(ds).newSourceState());
        Multihash h = head(ds);
        PollResult second = polling.poll(ds, PollOptions.defaults());
        assertEquals(PollResult.Status.UNCACHEABLE, second.status());
        assertEquals(1, server.requestsTo("/plain.csv").size(), "not fetched");
        server.serve("/plain.csv", "id,name\n1,a\n2,b\n", null, null);
        PollResult forced = polling.poll(ds, PollOptions.defaults().fetchUncacheable(true));
        assertEquals(1, forced.rowsAdded());
        assertEquals(2, server.requestsTo("/plain.csv").size());
        assertFalse(h.equals(head(ds)));
    }

    @Test
    void badDataIsBadInputAndChangesNothing() throws Exception {
        server.serve("/bad.csv", "id,name\nnot-a-number,a\n", "\"x\"", null);
        Dataset ds = urlDataset(server.url("/bad.csv"), LEDGER_ID);
        Multihash h = head(ds);
        BadInputException e = assertThrows(BadInputException.class, () -> polling.poll(ds, PollOptions.defaults()));
        assertTrue(e.getMessage().contains("not-a-number"), e.getMessage());
        assertHead(h, ds);
        // The next poll sends no If-None-Match: the failed one committed no state.
        server.serve("/bad.csv", "id,name\n1,a\n", "\"y\"", null);
        polling.poll(ds, PollOptions.defaults());
        assertNull(server.last("/bad.csv").header("If-None-Match"));
        assertEquals(List.of("1 a"), rows(ds, "id, name"));
    }

    @Test
    void unsupportedSchemeAndMalformedUrlAreNotRetryable() {
        Dataset ftp = urlDataset("ftp://example.org/d.csv", LEDGER_ID);
        FetchException e = assertThrows(FetchException.class, () -> polling.poll(ftp, PollOptions.defaults()));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("ftp"), e.getMessage());
        Dataset bad = Polls.create(root, manifest("bad", "kind: Url\nurl: 'http://exa mple.org/d.csv'", null, CSV_ID_NAME, LEDGER_ID));
        assertFalse(assertThrows(FetchException.class, () -> polling.poll(bad, PollOptions.defaults())).retryable());
    }

    @Test
    void everyPollBlockCarriesTheWatermarkAndChainStaysValid() throws Exception {
        server.serve("/w.csv", "id,name\n1,a\n", "\"1\"", Instant.parse("2020-01-01T00:00:00Z"));
        Dataset ds = urlDataset(server.url("/w.csv"), LEDGER_ID);
        polling.poll(ds, PollOptions.defaults());
        server.serve("/w.csv", "id,name\n1,a\n", "\"2\"", Instant.parse("2020-01-02T00:00:00Z"));
        polling.poll(ds, PollOptions.defaults());
        int addData = 0;
        for (HashedBlock b : ds.blocks()) {
            if (b.block().event() instanceof MetadataEvent.AddData a) {
                addData++;
                assertEquals(Instant.parse("2020-01-01T00:00:00Z"), a.newWatermark());
            }
        }
        assertEquals(2, addData);
        assertTrue(new DatasetVerifier().verify(ds).ok());
    }

    @Test
    void cacheForeverFetchesOnce() throws Exception {
        server.serve("/hist.csv", "id,name\n1,a\n", "\"h1\"", null);
        Dataset ds = Polls.create(root, manifest("hist", "kind: Url\nurl: " + server.url("/hist.csv") + "\ncache:\n  kind: Forever",
                null, CSV_ID_NAME, LEDGER_ID));
        assertEquals(PollResult.Status.UPDATED, polling.poll(ds, PollOptions.defaults()).status());
        server.serve("/hist.csv", "id,name\n1,a\n2,b\n", "\"h2\"", null);
        Multihash h = head(ds);
        PollResult again = polling.poll(ds, PollOptions.defaults());
        assertEquals(PollResult.Status.UP_TO_DATE, again.status());
        assertTrue(again.detail().contains("Forever"), again.detail());
        assertEquals(1, server.requestsTo("/hist.csv").size(), "not fetched again");
        assertHead(h, ds);
    }
}
