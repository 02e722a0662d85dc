package dev.sluice.engine.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.engine.TransformRequest;
import dev.sluice.engine.TransformResponse;
import dev.sluice.engine.runner.testengine.LinesRequests;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.storage.LocalS3Server;
import dev.sluice.storage.S3ObjectStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineRunnerTest {
    private static LocalS3Server s3;

    @TempDir Path dir;
    @TempDir Path work;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = LocalS3Server.start();
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @Test
    void findsTheEngineThroughServiceLoader() {
        EngineCatalog catalog = EngineCatalog.load();
        assertEquals(List.of("lines"), catalog.engines().stream().map(e -> e.name()).toList());
        assertTrue(catalog.find("LINES").isPresent());
        assertTrue(catalog.find("spark").isEmpty());
    }

    @Test
    void runsOnLocalFilesInPlace() throws Exception {
        EngineRunner runner = new EngineRunner(EngineCatalog.load(), null, work, true);
        TransformRequest request = LinesRequests.request(dir, "lines", "grep a", null);

        WireResponse response = runner.run(WireRequest.from(request, Location::of));

        assertEquals(new TransformResponse.Success(new OffsetInterval(10, 13), LinesRequests.EVENT_TIME),
                response.toTransformResponse());
        assertEquals(new WireResponse.EngineInfo("lines", "lines/1"), response.engine());
        assertEquals(LinesRequests.GREP_A_DATA, Files.readAllLines(request.newDataPath()));
        assertEquals(List.of("runs=1", "build=lines/1"), Files.readAllLines(request.newCheckpointPath()));
        assertScratchCleaned();
    }

    @Test
    void stagesStoreInputsAndUploadsOutputsThroughS3() throws Exception {
        S3ObjectStore store = s3.newStore("engine-staging");
        EngineRunner runner = new EngineRunner(EngineCatalog.load(), store, work, false);
        TransformRequest local = LinesRequests.request(dir, "lines", "grep ap", null);
        store.putIfAbsent("inv-1/in/0-slice-1.txt", local.queryInputs().get(0).dataPaths().get(0));
        store.putIfAbsent("inv-1/in/1-slice-2.txt", local.queryInputs().get(0).dataPaths().get(1));
        store.putIfAbsent("inv-1/prev-checkpoint", "runs=4\n".getBytes(StandardCharsets.UTF_8));
        WireRequest wire = WireRequest.from(
                new TransformRequest(local.datasetId(), local.datasetAlias(), local.systemTime(), local.vocab(),
                        local.transform(), local.queryInputs(), local.nextOffset(), dir.resolve("prev"),
                        local.newCheckpointPath(), local.newDataPath()),
                path -> switch (path.getFileName().toString()) {
                    case "slice-1.txt" -> Location.ofKey("inv-1/in/0-slice-1.txt");
                    case "slice-2.txt" -> Location.ofKey("inv-1/in/1-slice-2.txt");
                    case "prev" -> Location.ofKey("inv-1/prev-checkpoint");
                    case "out.data" -> Location.ofKey("inv-1/out/data");
                    case "out.checkpoint" -> Location.ofKey("inv-1/out/checkpoint");
                    default -> throw new AssertionError(path);
                });

        WireResponse response = runner.run(wire);

        assertEquals(new TransformResponse.Success(new OffsetInterval(10, 11), LinesRequests.EVENT_TIME),
                response.toTransformResponse());
        assertEquals("10\tapple\n11\tapricot\n", new String(store.get("inv-1/out/data").orElseThrow(), StandardCharsets.UTF_8));
        assertEquals("runs=5\nbuild=lines/1\n", new String(store.get("inv-1/out/checkpoint").orElseThrow(), StandardCharsets.UTF_8));
        assertFalse(Files.exists(local.newDataPath()), "nothing written locally");
        assertScratchCleaned();
    }

    @Test
    void noRowsMeansNoDataObject() throws Exception {
        S3ObjectStore store = s3.newStore("");
        EngineRunner runner = new EngineRunner(EngineCatalog.load(), store, work, true);
        TransformRequest local = LinesRequests.request(dir, "lines", "grep zzz", null);
        WireRequest wire = WireRequest.from(local, p -> p.getFileName().toString().startsWith("out.")
                ? Location.ofKey("inv/" + p.getFileName()) : Location.of(p));

        assertEquals(new TransformResponse.Success(null, LinesRequests.EVENT_TIME), runner.run(wire).toTransformResponse());
        assertEquals(List.of("inv/out.checkpoint"), store.list(""));
    }

    @Test
    void engineFailuresBecomeResponses() throws Exception {
        EngineRunner runner = new EngineRunner(EngineCatalog.load(), null, work, true);

        var invalid = runner.run(wire("invalid: no such column x")).toTransformResponse();
        assertEquals(new TransformResponse.InvalidQuery("no such column x"), invalid);

        var failed = assertInstanceOf(TransformResponse.InternalError.class, runner.run(wire("fail: disk full")).toTransformResponse());
        assertEquals("disk full", failed.message());

        var crashed = assertInstanceOf(TransformResponse.InternalError.class, runner.run(wire("throw")).toTransformResponse());
        assertEquals("lines failed: java.lang.IllegalStateException: simulated engine crash", crashed.message());
        assertTrue(crashed.backtrace().contains("LinesEngine.transform"), crashed.backtrace());

        var lied = assertInstanceOf(TransformResponse.InternalError.class, runner.run(wire("lie")).toTransformResponse());
        assertEquals("lines reported rows OffsetInterval[start=0, end=0] but wrote no data file", lied.message());
        assertScratchCleaned();
    }

    @Test
    void unknownDialectNamesWhatIsAvailable() throws Exception {
        EngineRunner runner = new EngineRunner(EngineCatalog.load(), null, work, true);
        WireRequest request = WireRequest.from(LinesRequests.request(dir, "flink", "grep a", null), Location::of);

        var error = assertInstanceOf(TransformResponse.InternalError.class, runner.run(request).toTransformResponse());

        assertEquals("engine flink not available in this runner (it has lines (lines/1))", error.message());
        assertFalse(Files.exists(dir.resolve("out.data")));
    }

    @Test
    void refusesLocationsItMayNotServe() throws Exception {
        WireRequest local = wire("grep a");
        EngineRunner remoteOnly = new EngineRunner(EngineCatalog.load(), s3.newStore(""), work, false);
        var e = assertThrows(InvalidWireRequestException.class, () -> remoteOnly.run(local));
        assertTrue(e.getMessage().startsWith("file: locations are disabled on this runner"), e.getMessage());

        TransformRequest r = LinesRequests.request(dir, "lines", "grep a", null);
        WireRequest stored = WireRequest.from(r, p -> Location.ofKey("k/" + p.getFileName()));
        EngineRunner noStore = new EngineRunner(EngineCatalog.load(), null, work, true);
        var e2 = assertThrows(InvalidWireRequestException.class, () -> noStore.run(stored));
        assertTrue(e2.getMessage().contains("this runner has no store (set SLUICE_ENGINE_STORE)"), e2.getMessage());
        assertFalse(Files.exists(r.newDataPath()));
    }

    @Test
    void missingStagedInputIsAnInternalError() throws Exception {
        S3ObjectStore store = s3.newStore("");
        EngineRunner runner = new EngineRunner(EngineCatalog.load(), store, work, false);
        TransformRequest r = LinesRequests.request(dir, "lines", "grep a", null);
        var error = assertInstanceOf(TransformResponse.InternalError.class,
                runner.run(WireRequest.from(r, p -> Location.ofKey("gone/" + p.getFileName()))).toTransformResponse());
        assertTrue(error.message().startsWith("staging inputs failed:"), error.message());
        assertTrue(error.message().contains("gone/slice-1.txt"), error.message());
        assertEquals(List.of(), store.list(""));
        assertScratchCleaned();
    }

    private WireRequest wire(String query) throws Exception {
        return WireRequest.from(LinesRequests.request(dir, "lines", query, null), Location::of);
    }

    private void assertScratchCleaned() throws Exception {
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of(), left.toList());
        }
    }
}
