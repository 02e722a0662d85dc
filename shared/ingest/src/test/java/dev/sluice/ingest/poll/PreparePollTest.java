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

import dev.sluice.data.read.BadInputException;
import dev.sluice.odf.Multihash;
import dev.sluice.storage.Dataset;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prepare steps: Decompress (Gzip, Zip with subPath) and Pipe, over HTTP and local files. */
class PreparePollTest {
    @TempDir Path root;
    @TempDir Path scratch;
    @TempDir Path files;
    SourceServer server;
    PollingIngest polling;

    @BeforeEach
    void start() throws Exception {
        server = new SourceServer();
        polling = new PollingIngest(scratch, Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        try (var s = Files.list(scratch)) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList(),
                    "every scratch file is removed, also after a failure");
        }
    }

    static byte[] gzip(String s) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    static byte[] zip(String... namesAndContents) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                z.putNextEntry(new ZipEntry(namesAndContents[i]));
                if (!namesAndContents[i].endsWith("/")) z.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void gzipOverHttp() throws Exception {
        server.serve("/d.csv.gz", gzip("id,name\n1,a\n2,b\n"), "\"g\"");
        Dataset ds = Polls.create(root, manifest("gz", "kind: Url\nurl: " + server.url("/d.csv.gz"),
                "- kind: Decompress\n  format: Gzip", CSV_ID_NAME, LEDGER_ID));
        assertEquals(2, polling.poll(ds, PollOptions.defaults()).rowsAdded());
        assertEquals(List.of("1 a", "2 b"), rows(ds, "id, name"));
    }

    @Test
    void zipWithSubPathPicksTheEntryAndAMissingEntryIsAClearError() throws Exception {
        Path z = files.resolve("bundle.zip");
        Files.write(z, zip("readme.txt", "not data", "inner/", "", "inner/data.csv", "id,name\n3,c\n", "other.csv", "id,name\n9,x\n"));
        Dataset ds = Polls.create(root, manifest("zip", "kind: Url\nurl: " + z.toUri(),
                "- kind: Decompress\n  format: Zip\n  subPath: inner/data.csv", CSV_ID_NAME, LEDGER_ID));
        polling.poll(ds, PollOptions.defaults());
        assertEquals(List.of("3 c"), rows(ds, "id, name"));

        Dataset first = Polls.create(root, manifest("first", "kind: Url\nurl: " + z.toUri(),
                "- kind: Decompress\n  format: Zip", "kind: Csv\nheader: false\nschema:\n  fields:\n    - {name: line, type: string}", "kind: Append"));
        polling.poll(first, PollOptions.defaults());
        assertEquals(List.of("not data"), rows(first, "line"), "without subPath: the first file entry");

        Dataset missing = Polls.create(root, manifest("missing", "kind: Url\nurl: " + z.toUri(),
                "- kind: Decompress\n  format: Zip\n  subPath: data.csv", CSV_ID_NAME, LEDGER_ID));
        Multihash h = head(missing);
        PrepareException e = assertThrows(PrepareException.class, () -> polling.poll(missing, PollOptions.defaults()));
        assertTrue(e.getMessage().contains("no file 'data.csv'") && e.getMessage().contains("'inner/data.csv'"), e.getMessage());
        assertHead(h, missing);
    }

    @Test
    void corruptCompressedDataIsBadInput() throws Exception {
        server.serve("/bad.gz", "this is not gzip".getBytes(StandardCharsets.UTF_8), "\"b\"");
        Dataset ds = Polls.create(root, manifest("bad", "kind: Url\nurl: " + server.url("/bad.gz"),
                "- kind: Decompress\n  format: Gzip", CSV_ID_NAME, LEDGER_ID));
        Multihash h = head(ds);
        BadInputException e = assertThrows(BadInputException.class, () -> polling.poll(ds, PollOptions.defaults()));
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());
        assertHead(h, ds);
        Files.writeString(files.resolve("bad.zip"), "not a zip");
        Dataset z = Polls.create(root, manifest("badzip", "kind: Url\nurl: " + files.resolve("bad.zip").toUri(),
                "- kind: Decompress\n  format: Zip", CSV_ID_NAME, LEDGER_ID));
        assertThrows(BadInputException.class, () -> polling.poll(z, PollOptions.defaults()));
    }

    @Test
    void pipeTransformsTheDataAndChainsAfterDecompress() throws Exception {
        server.serve("/lower.csv.gz", gzip("id,name\n1,abc\n2,xyz\n"), "\"p\"");
        String read = "kind: Csv\nheader: true\nschema:\n  fields:\n    - {name: ID, type: int64}\n    - {name: NAME, type: string}";
        Dataset ds = Polls.create(root, manifest("pipe", "kind: Url\nurl: " + server.url("/lower.csv.gz"),
                "- kind: Decompress\n  format: Gzip\n- kind: Pipe\n  command: [tr, a-z, A-Z]", read, "kind: Ledger\nprimaryKey: [ID]"));
        polling.poll(ds, PollOptions.defaults());
        assertEquals(List.of("1 ABC", "2 XYZ"), rows(ds, "ID, NAME"));
    }

    @Test
    void pipeLikeTheBankOfCanadaManifestDropsAPreamble() throws Exception {
        server.serve("/fx.csv", "\"TERMS AND CONDITIONS\"\n\"blah\"\n\"OBSERVATIONS\"\nid,name\n1,usd\n", "\"fx\"", null);
        Dataset ds = Polls.create(root, manifest("fx", "kind: Url\nurl: " + server.url("/fx.csv"),
                "- kind: Pipe\n  command:\n    - sed\n    - -e\n    - 1,/OBSERVATIONS/d", CSV_ID_NAME, LEDGER_ID));
        polling.poll(ds, PollOptions.defaults());
        assertEquals(List.of("1 usd"), rows(ds, "id, name"));
    }

    @Test
    void failingPipeReportsExitCodeAndStderrTailAndChangesNothing() throws Exception {
        server.serve("/d.csv", "id,name\n1,a\n", "\"f\"", null);
        Dataset ds = Polls.create(root, manifest("fail", "kind: Url\nurl: " + server.url("/d.csv"),
                "- kind: Pipe\n  command: [sh, -c, 'cat >/dev/null; echo first line >&2; echo converter exploded >&2; exit 3']",
                CSV_ID_NAME, LEDGER_ID));
        Multihash h = head(ds);
        PrepareException e = assertThrows(PrepareException.class, () -> polling.poll(ds, PollOptions.defaults()));
        assertTrue(e.getMessage().contains("exited with code 3"), e.getMessage());
        assertTrue(e.getMessage().endsWith("first line\nconverter exploded"), e.getMessage());
        assertHead(h, ds);
        assertEquals(List.of(), rows(ds, "id"));
    }

    @Test
    void pipeThatCannotStartTimesOutOrIsDisabled() throws Exception {
        server.serve("/d.csv", "id,name\n1,a\n", "\"f\"", null);
        Dataset missing = Polls.create(root, manifest("m", "kind: Url\nurl: " + server.url("/d.csv"),
                "- kind: Pipe\n  command: [no-such-command-sluice]", CSV_ID_NAME, LEDGER_ID));
        assertTrue(assertThrows(PrepareException.class, () -> polling.poll(missing, PollOptions.defaults()))
                .getMessage().contains("cannot start 'no-such-command-sluice'"));

        Dataset slow = Polls.create(root, manifest("s", "kind: Url\nurl: " + server.url("/d.csv"),
                "- kind: Pipe\n  command: [sleep, '60']", CSV_ID_NAME, LEDGER_ID));
        Multihash h = head(slow);
        PrepareException t = assertThrows(PrepareException.class,
                () -> polling.poll(slow, PollOptions.defaults().pipeTimeout(Duration.ofMillis(200))));
        assertTrue(t.getMessage().contains("did not finish"), t.getMessage());
        assertHead(h, slow);
        assertTrue(ProcessHandle.current().descendants().noneMatch(p -> p.info().command().orElse("").endsWith("sleep")),
                "the timed-out command was killed");

        PrepareException off = assertThrows(PrepareException.class,
                () -> polling.poll(missing, PollOptions.defaults().allowPipe(false)));
        assertTrue(off.getMessage().contains("disabled"), off.getMessage());
    }

    @Test
    void pipeDoesNotSeeTheNodesEnvironment() throws Exception {
        server.serve("/d.csv", "id,name\n1,a\n", "\"e\"", null);
        Dataset ds = Polls.create(root, manifest("env", "kind: Url\nurl: " + server.url("/d.csv"),
                "- kind: Pipe\n  command: [sh, -c, 'cat >/dev/null; echo id,name; echo 1,$(env | cut -d= -f1 | sort | tr \"\\n\" \";\")']",
                CSV_ID_NAME, LEDGER_ID));
        polling.poll(ds, PollOptions.defaults());
        String names = rows(ds, "name").get(0);
        for (String n : names.split(";")) {
            assertTrue(List.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PWD", "SHLVL", "_").contains(n), "unexpected variable " + n + " in " + names);
        }
    }
}
