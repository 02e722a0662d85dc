package dev.sluice.engine.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.engine.TransformRequest;
import dev.sluice.engine.TransformRequestInput;
import dev.sluice.engine.TransformResponse;
import dev.sluice.engine.Watermark;
import dev.sluice.engine.runner.testengine.LinesRequests;
import dev.sluice.odf.DatasetVocabulary;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.odf.Transform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WireFormatTest {
    @TempDir Path dir;

    private static final Function<Location, Path> LOCAL = l -> ((Location.LocalFile) l).path();

    @Test
    void requestSurvivesTheWireUnchanged() {
        TransformRequest original = new TransformRequest(
                LinesRequests.OUTPUT, "acme/leaderboard", Instant.parse("2026-03-04T05:06:07.123456Z"),
                new DatasetVocabulary("o", "op", "st", "et"),
                new Transform.Sql("datafusion", "0.9", null,
                        List.of(new Transform.SqlQueryStep("tmp", "select 1"), new Transform.SqlQueryStep(null, "select * from tmp")),
                        List.of(new Transform.TemporalTable("rates", List.of("ccy")))),
                List.of(
                        new TransformRequestInput(LinesRequests.INPUT, "player-scores", "scores", DatasetVocabulary.DEFAULT,
                                new OffsetInterval(5, 9), List.of(dir.resolve("a b.parquet"), dir.resolve("c.parquet")),
                                dir.resolve("schema.parquet"),
                                List.of(new Watermark(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2025-12-31T00:00:00Z")))),
                        new TransformRequestInput(LinesRequests.OUTPUT, null, "empty", DatasetVocabulary.DEFAULT,
                                null, List.of(), dir.resolve("schema2.parquet"), List.of())),
                42, dir.resolve("prev.ckpt"), dir.resolve("new.ckpt"), dir.resolve("new.parquet"));

        byte[] json = WireJson.write(WireRequest.from(original, Location::of));
        TransformRequest back = WireJson.readRequest(json).toTransformRequest(LOCAL, LOCAL);

        assertEquals(original, back);
        String text = new String(json, StandardCharsets.UTF_8);
        assertTrue(text.contains("\"datasetId\":\"did:odf:fed01"), text);
        assertTrue(text.contains("\"newDataPath\":\"file:///"), text);
        assertTrue(text.contains("a%20b.parquet"), "paths are URIs: " + text);
    }

    @Test
    void storeLocationsRoundTrip() {
        assertEquals(new Location.StoreObject("staging/x/in/0-a.parquet"), Location.parse("store:staging/x/in/0-a.parquet"));
        assertEquals("store:k/v", Location.ofKey("k/v").toString());
        assertThrows(InvalidWireRequestException.class, () -> Location.parse("s3://bucket/key"));
        assertThrows(InvalidWireRequestException.class, () -> Location.parse("store:"));
        assertThrows(InvalidWireRequestException.class, () -> Location.parse("relative/path"));
    }

    @Test
    void badRequestsAreRefusedNamingTheField() throws Exception {
        WireRequest good = WireRequest.from(LinesRequests.request(dir, "lines", "grep a", null), Location::of);
        good.validate();

        assertMessage("missing field systemTime", withField(good, "systemTime", null));
        assertMessage("systemTime is not an ISO-8601 instant", withField(good, "systemTime", "yesterday"));
        assertMessage("datasetId", withField(good, "datasetId", "did:odf:nope"));
        assertMessage("unsupported formatVersion 7", withField(good, "formatVersion", 7));
        assertMessage("missing field nextOffset", withField(good, "nextOffset", null));
        assertMessage("must start with file: or store:", withField(good, "newDataPath", "/tmp/x"));
        assertMessage("missing field queryInputs", withField(good, "queryInputs", null));

        InvalidWireRequestException malformed = assertThrows(InvalidWireRequestException.class,
                () -> WireJson.readRequest("{\"formatVersion\": 1, ".getBytes(StandardCharsets.UTF_8)));
        assertTrue(malformed.getMessage().startsWith("malformed transform request"), malformed.getMessage());
    }

    @Test
    void responsesRoundTripWithTheEngineThatRan() {
        var engine = new WireResponse.EngineInfo("duckdb", "duckdb 1.5.4 / sluice 0.1.0");
        var success = new TransformResponse.Success(new OffsetInterval(3, 7), Instant.parse("2026-01-01T00:00:00Z"));
        WireResponse wire = WireJson.readResponse(WireJson.write(WireResponse.from(success, engine)));
        assertEquals(success, wire.toTransformResponse());
        assertEquals(engine, wire.engine());

        assertEquals(new TransformResponse.Success(null, null),
                WireJson.readResponse(WireJson.write(WireResponse.from(new TransformResponse.Success(null, null), engine)))
                        .toTransformResponse());
        var invalid = new TransformResponse.InvalidQuery("no such column x");
        assertEquals(invalid, WireJson.readResponse(WireJson.write(WireResponse.from(invalid, engine))).toTransformResponse());
        var error = new TransformResponse.InternalError("boom", "at x.y");
        assertEquals(error, WireJson.readResponse(WireJson.write(WireResponse.from(error, engine))).toTransformResponse());
    }

    @Test
    void malformedResponsesBecomeInternalErrors() {
        var unknown = WireJson.readResponse("{\"formatVersion\":1,\"outcome\":\"Maybe\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals("engine response has unknown outcome 'Maybe'",
                assertInstanceOf(TransformResponse.InternalError.class, unknown.toTransformResponse()).message());
        var backwards = WireJson.readResponse(
                "{\"formatVersion\":1,\"outcome\":\"Success\",\"newOffsetInterval\":{\"start\":5,\"end\":4}}".getBytes(StandardCharsets.UTF_8));
        assertInstanceOf(TransformResponse.InternalError.class, backwards.toTransformResponse());
        var oldFormat = WireJson.readResponse("{\"outcome\":\"Success\"}".getBytes(StandardCharsets.UTF_8));
        assertInstanceOf(TransformResponse.InternalError.class, oldFormat.toTransformResponse());
        assertNull(WireJson.readResponse("{\"formatVersion\":1,\"outcome\":\"Success\"}".getBytes(StandardCharsets.UTF_8)).engine());
    }

    private static void assertMessage(String expected, WireRequest request) {
        InvalidWireRequestException e = assertThrows(InvalidWireRequestException.class, request::validate);
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    /** A copy of {@code r} with one JSON field replaced, through the JSON form (as a foreign caller would send it). */
    private static WireRequest withField(WireRequest r, String field, Object value) {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.valueToTree(r);
        node.set(field, mapper.valueToTree(value));
        try {
            return WireJson.readRequest(mapper.writeValueAsBytes(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
