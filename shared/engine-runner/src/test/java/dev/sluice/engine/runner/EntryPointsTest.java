package dev.sluice.engine.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.engine.TransformRequest;
import dev.sluice.engine.TransformResponse;
import dev.sluice.engine.runner.testengine.LinesRequests;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.storage.FileSystemObjectStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI, HTTP and Lambda entry points over one runner. */
class EntryPointsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;
    @TempDir Path work;

    private EngineRunner localRunner() {
        return new EngineRunner(EngineCatalog.load(), null, work, true);
    }

    @Test
    void cliRunsARequestFileAndPrintsTheResponse() throws Exception {
        TransformRequest request = LinesRequests.request(dir, "lines", "grep a", null);
        Path requestFile = Files.write(dir.resolve("request.json"), WireJson.write(WireRequest.from(request, Location::of)));
        Path responseFile = dir.resolve("response.json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = EngineRunnerMain.execute(localRunner(),
                new String[] {"run", requestFile.toString(), "--response", responseFile.toUri().toString()},
                InputStream.nullInputStream(), new PrintStream(out), new PrintStream(err));

        assertEquals(EngineRunnerMain.OK, status, err.toString());
        WireResponse printed = WireJson.readResponse(out.toByteArray());
        assertEquals(new TransformResponse.Success(new OffsetInterval(10, 13), LinesRequests.EVENT_TIME), printed.toTransformResponse());
        assertEquals(printed, WireJson.readResponse(Files.readAllBytes(responseFile)));
        assertEquals(LinesRequests.GREP_A_DATA, Files.readAllLines(request.newDataPath()));
    }

    @Test
    void cliReadsStdinAndStoreLocations() throws Exception {
        FileSystemObjectStore store = new FileSystemObjectStore(dir.resolve("store"));
        EngineRunner runner = new EngineRunner(EngineCatalog.load(), store, work, true);
        TransformRequest request = LinesRequests.request(dir, "lines", "invalid: nope", null);
        store.putIfAbsent("inv/request.json", WireJson.write(WireRequest.from(request, Location::of)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = EngineRunnerMain.execute(runner, new String[] {"run", "store:inv/request.json", "--response", "store:inv/response.json"},
                InputStream.nullInputStream(), new PrintStream(out), System.err);

        assertEquals(EngineRunnerMain.OK, status);
        assertEquals(new TransformResponse.InvalidQuery("nope"),
                WireJson.readResponse(store.get("inv/response.json").orElseThrow()).toTransformResponse());

        ByteArrayOutputStream out2 = new ByteArrayOutputStream();
        int status2 = EngineRunnerMain.execute(runner, new String[] {"run", "-"},
                new ByteArrayInputStream(store.get("inv/request.json").orElseThrow()), new PrintStream(out2), System.err);
        assertEquals(EngineRunnerMain.OK, status2);
        assertEquals(new TransformResponse.InvalidQuery("nope"), WireJson.readResponse(out2.toByteArray()).toTransformResponse());
    }

    @Test
    void cliRefusesBadInputWithStatus2() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err);
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"formatVersion\":1}");
        assertEquals(EngineRunnerMain.USAGE, EngineRunnerMain.execute(localRunner(), new String[] {"run", bad.toString()},
                InputStream.nullInputStream(), System.out, errStream));
        assertTrue(err.toString().contains("missing field datasetId"), err.toString());
        assertEquals(EngineRunnerMain.USAGE, EngineRunnerMain.execute(localRunner(), new String[] {"run", dir.resolve("none.json").toString()},
                InputStream.nullInputStream(), System.out, errStream));
        assertEquals(EngineRunnerMain.USAGE, EngineRunnerMain.execute(localRunner(), new String[] {"frobnicate"},
                InputStream.nullInputStream(), System.out, errStream));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(EngineRunnerMain.OK, EngineRunnerMain.execute(localRunner(), new String[] {"engines"},
                InputStream.nullInputStream(), new PrintStream(out), errStream));
        assertEquals("lines\tlines/1", out.toString().trim());
    }

    @Test
    void httpServesTransformAndHealth() throws Exception {
        try (EngineHttpServer server = EngineHttpServer.start(localRunner(), new InetSocketAddress("127.0.0.1", 0), 2)) {
            HttpClient http = HttpClient.newHttpClient();
            TransformRequest request = LinesRequests.request(dir, "lines", "grep an", null);

            HttpResponse<byte[]> ok = http.send(post(server.uri().resolve("/transform"), WireJson.write(WireRequest.from(request, Location::of))),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, ok.statusCode());
            assertEquals(new TransformResponse.Success(new OffsetInterval(10, 10), LinesRequests.EVENT_TIME),
                    WireJson.readResponse(ok.body()).toTransformResponse());
            assertEquals(List.of("10\tbanana"), Files.readAllLines(request.newDataPath()));

            HttpResponse<String> bad = http.send(post(server.uri().resolve("/transform"), "{nope".getBytes(StandardCharsets.UTF_8)),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, bad.statusCode());
            assertTrue(JSON.readTree(bad.body()).get("error").asText().startsWith("malformed transform request"), bad.body());

            JsonNode health = JSON.readTree(get(http, server.uri().resolve("/health"), 200));
            assertEquals("UP", health.get("status").asText());
            assertEquals("lines/1", health.get("engines").get(0).get("build").asText());
            assertEquals("lines", JSON.readTree(get(http, server.uri().resolve("/health?dialect=lines"), 200)).get("engine").get("name").asText());
            assertTrue(get(http, server.uri().resolve("/health?dialect=spark"), 404).contains("no engine for dialect spark"));
            get(http, server.uri().resolve("/transform"), 405);
            get(http, server.uri().resolve("/nothing"), 404);
        }
    }

    @Test
    void lambdaHandlerAnswersWithTheWireResponse() throws Exception {
        FileSystemObjectStore store = new FileSystemObjectStore(dir.resolve("store"));
        EngineLambdaHandler handler = new EngineLambdaHandler(new EngineRunner(EngineCatalog.load(), store, work, false));
        TransformRequest request = LinesRequests.request(dir, "lines", "grep cherry", null);
        store.putIfAbsent("inv/in/0", request.queryInputs().get(0).dataPaths().get(0));
        store.putIfAbsent("inv/in/1", request.queryInputs().get(0).dataPaths().get(1));
        WireRequest wire = WireRequest.from(request, p -> switch (p.getFileName().toString()) {
            case "slice-1.txt" -> Location.ofKey("inv/in/0");
            case "slice-2.txt" -> Location.ofKey("inv/in/1");
            default -> Location.ofKey("inv/out/" + p.getFileName());
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        handler.handleRequest(new ByteArrayInputStream(WireJson.write(wire)), out, null);

        assertEquals(new TransformResponse.Success(new OffsetInterval(10, 10), LinesRequests.EVENT_TIME),
                WireJson.readResponse(out.toByteArray()).toTransformResponse());
        assertEquals("10\tcherry\n", new String(store.get("inv/out/out.data").orElseThrow(), StandardCharsets.UTF_8));

        // file: locations are refused by a Lambda runner; the runtime reports the exception as a function error
        assertThrows(InvalidWireRequestException.class, () -> handler.handleRequest(
                new ByteArrayInputStream(WireJson.write(WireRequest.from(request, Location::of))), new ByteArrayOutputStream(), null));
    }

    private static HttpRequest post(URI uri, byte[] body) {
        return HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json").build();
    }

    private static String get(HttpClient http, URI uri, int expectedStatus) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expectedStatus, response.statusCode(), response.body());
        return response.body();
    }
}
