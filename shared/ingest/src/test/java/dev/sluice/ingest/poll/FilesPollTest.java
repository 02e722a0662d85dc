package dev.sluice.ingest.poll;

import static dev.sluice.ingest.poll.Polls.CSV_ID_NAME;
import static dev.sluice.ingest.poll.Polls.LEDGER_ID;
import static dev.sluice.ingest.poll.Polls.assertHead;
import static dev.sluice.ingest.poll.Polls.head;
import static dev.sluice.ingest.poll.Polls.manifest;
import static dev.sluice.ingest.poll.Polls.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.SourceState;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetVerifier;
import dev.sluice.storage.HashedBlock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local sources: {@code file:} URLs and FilesGlob (order, skipping what was ingested, allowed folders). */
class FilesPollTest {
    static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir Path root;
    @TempDir Path scratch;
    @TempDir Path files;

    PollingIngest polling() {
        return new PollingIngest(scratch, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    Path write(String name, String content, Instant mtime) throws Exception {
        Path p = files.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        Files.setLastModifiedTime(p, FileTime.from(mtime));
        return p;
    }

    @Test
    void fileUrlUsesTheModificationTimeAsState() throws Exception {
        Path f = write("data.csv", "id,name\n1,a\n", Instant.parse("2024-01-01T00:00:00.123Z"));
        Dataset ds = Polls.create(root, manifest("f", "kind: Url\nurl: " + f.toUri(), null, CSV_ID_NAME, LEDGER_ID));
        PollingIngest p = polling();
        PollResult first = p.poll(ds, PollOptions.defaults());
        assertEquals(1, first.rowsAdded());
        assertEquals(new SourceState("odf/polling", "odf/last-modified", "2024-01-01T00:00:00.123Z"), first.sourceState());
        assertEquals(List.of("1 a 2024-01-01T00:00:00.123Z"), rows(ds, "id, name, event_time"), "event time from the file's metadata");

        Multihash h = head(ds);
        assertEquals(PollResult.Status.UP_TO_DATE, p.poll(ds, PollOptions.defaults()).status());
        assertHead(h, ds);

        write("data.csv", "id,name\n1,a\n2,b\n", Instant.parse("2024-01-02T00:00:00Z"));
        PollResult third = p.poll(ds, PollOptions.defaults());
        assertEquals(1, third.rowsAdded());
        assertEquals(List.of("1 a", "2 b"), rows(ds, "id, name"));
        assertTrue(Files.exists(f), "the source file is read, never moved or deleted");
        assertEquals(List.of(), scratchLeftovers());
    }

    @Test
    void missingFileIsNotRetryable() {
        Dataset ds = Polls.create(root, manifest("f", "kind: Url\nurl: " + files.resolve("nope.csv").toUri(), null, CSV_ID_NAME, LEDGER_ID));
        Multihash h = head(ds);
        FetchException e = assertThrows(FetchException.class, () -> polling().poll(ds, PollOptions.defaults()));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("file not found") && e.getMessage().contains("nope.csv"), e.getMessage());
        assertHead(h, ds);
    }

    @Test
    void globByNameIngestsOneFilePerPollInNameOrderAndSkipsWhatWasIngested() throws Exception {
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        write("in/b.csv", "id,name\n2,b\n", t);
        write("in/a.csv", "id,name\n1,a\n", t.plusSeconds(100));
        write("in/c.csv", "id,name\n3,c\n", t.minusSeconds(100));
        write("in/ignored.txt", "id,name\n9,x\n", t);
        // A relative glob resolves against the base folder.
        Dataset ds = Polls.create(root, manifest("g", "kind: FilesGlob\npath: in/*.csv", null, CSV_ID_NAME, LEDGER_ID));
        PollOptions o = PollOptions.defaults().baseDir(files);
        PollingIngest p = polling();

        List<String> fetched = new ArrayList<>();
        List<Boolean> more = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            PollResult r = p.poll(ds, o);
            assertEquals(PollResult.Status.UPDATED, r.status());
            assertEquals(1, r.rowsAdded());
            fetched.add(Path.of(r.fetched()).getFileName().toString());
            more.add(r.hasMore());
        }
        assertEquals(List.of("a.csv", "b.csv", "c.csv"), fetched);
        assertEquals(List.of(true, true, false), more);
        assertEquals(List.of("0 1 a", "1 2 b", "2 3 c"), rows(ds, "\"offset\", id, name"));
        assertEquals(new SourceState("odf/polling", "odf/etag", "c.csv"), Polls.headAddData(ds).newSourceState(), "kamu's form: the last file name");
        assertEquals(3, dataBlocks(ds), "one AddData per file");

        Multihash h = head(ds);
        PollResult none = p.poll(ds, o);
        assertEquals(PollResult.Status.UP_TO_DATE, none.status());
        assertHead(h, ds);

        write("in/0-early.csv", "id,name\n0,z\n", t);
        assertEquals(PollResult.Status.UP_TO_DATE, p.poll(ds, o).status(), "a name before the last ingested one is skipped");
        write("in/d.csv", "id,name\n4,d\n", t);
        PollResult d = p.poll(ds, o);
        assertTrue(d.fetched().endsWith("d.csv"));
        assertFalse(d.hasMore());
        assertEquals(List.of("1 a", "2 b", "3 c", "4 d"), rows(ds, "id, name"));
        assertTrue(new DatasetVerifier().verify(ds).ok());
        assertEquals(List.of(), scratchLeftovers());
    }

    @Test
    void globByEventTimeFromPathOrdersByTheTimeInTheName() throws Exception {
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        write("x-2024-03-01.csv", "id,name\n1,x\n", t);
        write("a-2024-03-03.csv", "id,name\n3,a\n", t);
        write("m-2024-03-02.csv", "id,name\n2,m\n", t);
        String fetch = "kind: FilesGlob\npath: " + files + "/*-*.csv\norder: ByEventTime\neventTime:\n  kind: FromPath\n"
                + "  pattern: '(\\d{4}-\\d{2}-\\d{2})\\.csv$'\n  timestampFormat: yyyy-MM-dd";
        Dataset ds = Polls.create(root, manifest("e", fetch, null, CSV_ID_NAME, LEDGER_ID));
        PollingIngest p = polling();
        List<Instant> watermarks = new ArrayList<>();
        PollResult r;
        do {
            r = p.poll(ds, PollOptions.defaults());
            watermarks.add(Polls.headAddData(ds).newWatermark());
        } while (r.hasMore());
        assertEquals(List.of("1 x 2024-03-01T00:00:00Z", "2 m 2024-03-02T00:00:00Z", "3 a 2024-03-03T00:00:00Z"),
                rows(ds, "id, name, event_time"));
        assertEquals(List.of(Instant.parse("2024-03-01T00:00:00Z"), Instant.parse("2024-03-02T00:00:00Z"),
                Instant.parse("2024-03-03T00:00:00Z")), watermarks, "the watermark advances file by file");
        assertEquals(new SourceState("odf/polling", "sluice.dev/files-glob-position", "2024-03-03T00:00:00Z|a-2024-03-03.csv"),
                Polls.headAddData(ds).newSourceState());

        write("b-2024-02-01.csv", "id,name\n0,b\n", t);
        Multihash h = head(ds);
        assertEquals(PollResult.Status.UP_TO_DATE, p.poll(ds, PollOptions.defaults()).status(), "an older file is skipped");
        assertHead(h, ds);
        write("z-2024-03-03.csv", "id,name\n4,z\n", t);
        PollResult same = p.poll(ds, PollOptions.defaults());
        assertTrue(same.fetched().endsWith("z-2024-03-03.csv"), "same time, later name: still pending");
        assertEquals(4, rows(ds, "id").size());
    }

    @Test
    void globByEventTimeNeedsATimeSource() {
        write0();
        Dataset ds = Polls.create(root, manifest("e", "kind: FilesGlob\npath: " + files + "/*.csv\norder: ByEventTime",
                null, CSV_ID_NAME, LEDGER_ID));
        var e = assertThrows(dev.sluice.ingest.IngestException.class, () -> polling().poll(ds, PollOptions.defaults()));
        assertTrue(e.getMessage().contains("fromPath"), e.getMessage());
    }

    private void write0() {
        try {
            write("a.csv", "id,name\n1,a\n", Instant.parse("2024-01-01T00:00:00Z"));
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void globWithoutAnyMatchIsNotRetryable() {
        Dataset ds = Polls.create(root, manifest("g", "kind: FilesGlob\npath: " + files + "/*.csv", null, CSV_ID_NAME, LEDGER_ID));
        FetchException e = assertThrows(FetchException.class, () -> polling().poll(ds, PollOptions.defaults()));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("no file matches"), e.getMessage());
    }

    @Test
    void fileRootsConfineLocalReadsIncludingThroughSymlinks() throws Exception {
        Path secret = write("secret/data.csv", "id,name\n1,s\n", Instant.parse("2024-01-01T00:00:00Z"));
        Path allowed = Files.createDirectories(files.resolve("allowed"));
        Files.createSymbolicLink(allowed.resolve("link.csv"), secret);
        PollOptions o = PollOptions.defaults().fileRoots(List.of(allowed));

        Dataset direct = Polls.create(root, manifest("d", "kind: Url\nurl: " + secret.toUri(), null, CSV_ID_NAME, LEDGER_ID));
        FetchException e = assertThrows(FetchException.class, () -> polling().poll(direct, o));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("outside"), e.getMessage());

        Dataset viaLink = Polls.create(root, manifest("l", "kind: Url\nurl: " + allowed.resolve("link.csv").toUri(), null, CSV_ID_NAME, LEDGER_ID));
        assertTrue(assertThrows(FetchException.class, () -> polling().poll(viaLink, o)).getMessage().contains("outside"));

        Dataset glob = Polls.create(root, manifest("g", "kind: FilesGlob\npath: " + files + "/secret/*.csv", null, CSV_ID_NAME, LEDGER_ID));
        assertTrue(assertThrows(FetchException.class, () -> polling().poll(glob, o)).getMessage().contains("outside"));
        assertEquals(List.of(), rows(glob, "id"));

        write("allowed/ok.csv", "id,name\n7,ok\n", Instant.parse("2024-01-01T00:00:00Z"));
        Dataset ok = Polls.create(root, manifest("ok", "kind: Url\nurl: " + allowed.resolve("ok.csv").toUri(), null, CSV_ID_NAME, LEDGER_ID));
        assertEquals(1, polling().poll(ok, o).rowsAdded());
        assertEquals(FetchException.class, assertThrows(FetchException.class,
                () -> polling().poll(direct, PollOptions.defaults().fileRoots(List.of()))).getClass(), "an empty list allows no file");
    }

    static int dataBlocks(Dataset ds) {
        int n = 0;
        for (HashedBlock b : ds.blocks()) {
            if (b.block().event() instanceof MetadataEvent.AddData a && a.newData() != null) n++;
        }
        return n;
    }

    List<String> scratchLeftovers() throws Exception {
        if (!Files.isDirectory(scratch)) return List.of();
        try (var s = Files.list(scratch)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
        }
    }

    @Test
    void templatedFileUrlsMaskSecretsInErrorsAndResults() throws Exception {
        write("k3y-dir/data.csv", "id,name\n1,a\n", Instant.parse("2024-01-01T00:00:00Z"));
        String url = files.toUri() + "${{ env.DIR }}/data.csv";
        Dataset ds = Polls.create(root, manifest("t", "kind: Url\nurl: \"" + url + "\"", null, CSV_ID_NAME, LEDGER_ID));
        PollResult ok = polling().poll(ds, PollOptions.defaults().secret("DIR", "k3y-dir"));
        assertEquals(1, ok.rowsAdded());
        assertFalse(ok.fetched().contains("k3y-dir"), ok.fetched());
        PollResult same = polling().poll(ds, PollOptions.defaults().secret("DIR", "k3y-dir"));
        assertFalse(same.detail().contains("k3y-dir"), same.detail());

        FetchException missing = assertThrows(FetchException.class, () -> polling().poll(ds, PollOptions.defaults().secret("DIR", "0ther-s3cret")));
        assertTrue(missing.getMessage().contains("/***/data.csv"), missing.getMessage());
        UrlPollTest.assertNoSecret(missing, "0ther-s3cret");
    }
}
