package dev.sluice.odf.yaml;

import static org.junit.jupiter.api.Assertions.*;

import dev.sluice.odf.*;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lenient input forms kamu accepts, and exact values (timestamps, JSON types, bytes). */
class ManifestYamlFormsTest {
    static final String HASH = Multihash.sha3("prev").toMultibase();

    static String snapshot(String metadata) {
        return "kind: DatasetSnapshot\nversion: 1\ncontent:\n  name: kamu/my.dataset\n  kind: root\n  metadata:\n" + metadata.indent(2);
    }

    @Test
    void caseInsensitiveKindsAndShortTypes() {
        DatasetSnapshot s = ManifestYaml.readSnapshot(snapshot("""
                - kind: addPushSource
                  sourceName: s
                  read:
                    kind: ndjson
                    schema:
                      fields:
                        - {name: a, type: timestamp}
                        - {name: b, type: {kind: option, inner: string}}
                        - {name: c, type: {kind: list, itemType: uint64}}
                        - {name: d, type: {kind: Decimal, precision: 10, scale: -2}}
                        - {name: e, type: {kind: TIMESTAMP, unit: microsecond, timezone: Europe/Berlin}}
                        - {name: f, type: {kind: struct, fields: [{name: x, type: BOOL}]}}
                  merge: {kind: LEDGER, primaryKey: [a]}
                - kind: SetPollingSource
                  fetch: {kind: filesGlob, path: "*.csv", eventTime: {kind: fromPath, pattern: "(\\\\d+)"}, cache: {kind: forever}, order: byname}
                  prepare: [{kind: decompress, format: GZIP}]
                  read: {kind: geoJson}
                  merge: {kind: snapshot, primaryKey: [id]}
                """));
        assertEquals(DatasetKind.Root, s.kind());
        var push = (MetadataEvent.AddPushSource) s.metadata().get(0);
        List<DataField> f = push.read().schema().fields();
        assertEquals(new DataType.Timestamp(null, null), f.get(0).type());
        assertEquals(new DataType.Option(new DataType.String()), f.get(1).type());
        assertEquals(new DataType.List(new DataType.UInt64(), null), f.get(2).type());
        assertEquals(new DataType.Decimal(10, -2), f.get(3).type());
        assertEquals(new DataType.Timestamp(TimeUnit.Microsecond, "Europe/Berlin"), f.get(4).type());
        assertEquals(new DataType.Struct(List.of(new DataField("x", new DataType.Bool(), null))), f.get(5).type());
        assertEquals(new MergeStrategy.Ledger(List.of("a")), push.merge());
        var poll = (MetadataEvent.SetPollingSource) s.metadata().get(1);
        assertEquals(new FetchStep.FilesGlob("*.csv", new EventTimeSource.FromPath("(\\d+)", null), new SourceCaching.Forever(), SourceOrdering.ByName),
                poll.fetch());
        assertEquals(List.of(new PrepStep.Decompress(CompressionFormat.Gzip, null)), poll.prepare());
        assertEquals(new ReadStep.GeoJson(null, null), poll.read());

        String out = ManifestYaml.writeSnapshot(s);
        assertTrue(out.contains("kind: AddPushSource") && out.contains("kind: NdJson") && out.contains("kind: Ledger"), out);
        assertTrue(out.contains("type:\n            kind: Timestamp"), "full DataType form written:\n" + out);
        assertTrue(out.contains("order: ByName") && out.contains("format: Gzip"), out);
        assertEquals(s, ManifestYaml.readSnapshot(out));
    }

    @Test
    void legacyDdlSchemaAndQueryShorthand() {
        DatasetSnapshot s = ManifestYaml.readSnapshot(snapshot("""
                - kind: SetPollingSource
                  fetch: {kind: Url, url: "https://x/y.csv", headers: [{name: A, value: "1"}]}
                  read:
                    kind: Csv
                    separator: ";"
                    schema:
                      - match_time TIMESTAMP
                      - score BIGINT
                  preprocess: {kind: sql, engine: spark, version: 1.0, query: SELECT * FROM input}
                  merge: {kind: Append}
                """));
        var poll = (MetadataEvent.SetPollingSource) s.metadata().get(0);
        var csv = (ReadStep.Csv) poll.read();
        assertNull(csv.schema());
        assertEquals(List.of("match_time TIMESTAMP", "score BIGINT"), csv.ddlSchema());
        assertEquals(";", csv.separator());
        assertEquals(new Transform.Sql("spark", "1.0", "SELECT * FROM input", null, null), poll.preprocess());
        assertEquals(List.of(new FetchStep.RequestHeader("A", "1")), ((FetchStep.Url) poll.fetch()).headers());
        String out = ManifestYaml.writeSnapshot(s);
        assertTrue(out.contains("ddlSchema:\n"), out);
        assertTrue(out.contains("version: '1.0'") || out.contains("version: \"1.0\""), "numeric-looking strings are quoted:\n" + out);
        assertEquals(s, ManifestYaml.readSnapshot(out));

        // the new key works too; schema list and ddlSchema together are ambiguous
        var r = (MetadataEvent.AddPushSource) ManifestYaml.readEvent(
                "kind: AddPushSource\nsourceName: s\nread: {kind: Json, ddlSchema: [a INT], subPath: x.y}\nmerge: {kind: append}\n");
        assertEquals(new ReadStep.Json(null, List.of("a INT"), "x.y", null, null, null), r.read());
        var e = assertThrows(OdfFormatException.class, () -> ManifestYaml.readEvent(
                "kind: AddPushSource\nsourceName: s\nread: {kind: Json, ddlSchema: [a INT], schema: [b INT]}\nmerge: {kind: append}\n"));
        assertTrue(e.getMessage().startsWith("read: both"), e.getMessage());
    }

    @Test
    void timestampsKeepNanosAndOffsets() {
        String yaml = """
                kind: MetadataBlock
                version: 2
                content:
                  systemTime: 2020-01-01T12:00:00.123456789+02:00
                  prevBlockHash: %s
                  sequenceNumber: 1
                  event:
                    kind: AddData
                    newWatermark: 2021-02-03t04:05:06.7z
                """.formatted(HASH.toUpperCase().replace("F1620", "F1620"));
        MetadataBlock b = ManifestYaml.readBlock(yaml);
        assertEquals(Instant.parse("2020-01-01T10:00:00.123456789Z"), b.systemTime());
        assertEquals(Instant.parse("2021-02-03T04:05:06.700Z"), ((MetadataEvent.AddData) b.event()).newWatermark());
        assertEquals(Multihash.sha3("prev"), b.prevBlockHash());
        String out = ManifestYaml.writeBlock(b);
        assertTrue(out.startsWith("kind: MetadataBlock\nversion: 3\ncontent:\n  systemTime: 2020-01-01T10:00:00.123456789Z\n  prevBlockHash: " + HASH + "\n"), out);
        assertTrue(out.contains("newWatermark: 2021-02-03T04:05:06.700Z"), out);
        assertEquals(b, ManifestYaml.readBlock(out));
    }

    @Test
    void extraAttributesKeepJsonTypes() {
        MetadataEvent e = ManifestYaml.readEvent("""
                kind: AddData
                prevOffset: 5
                newSourceState: {sourceName: src, kind: odf/etag, value: "123"}
                extra:
                  z.org/n: {i: 1, big: 9007199254740993, f: 1.5, e: 1e3, t: true, s: "7", no: no, nul: null, l: [1, two, {x: -2}]}
                  a.org/s: plain
                """);
        var ad = (MetadataEvent.AddData) e;
        assertEquals(new SourceState("src", "odf/etag", "123"), ad.newSourceState());
        assertEquals(List.of("a.org/s", "z.org/n"), List.copyOf(ad.extra().entries().keySet()), "sorted keys");
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("i", 1L);
        n.put("big", 9007199254740993L);
        n.put("f", 1.5);
        n.put("e", 1000.0);
        n.put("t", true);
        n.put("s", "7");
        n.put("no", "no"); // YAML 1.2 like kamu: `no` is a string
        n.put("nul", null);
        n.put("l", List.of(1L, "two", Map.of("x", -2L)));
        assertEquals(n, ad.extra().entries().get("z.org/n"));
        String out = ManifestYaml.writeEvent(e);
        assertTrue(out.startsWith("kind: MetadataEvent\nversion: 1\ncontent:\n  kind: AddData\n"), out);
        assertEquals(e, ManifestYaml.readEvent(out));
        assertEquals(e, ManifestYaml.readEvent(ManifestYaml.writeEventContent(e)));
    }

    @Test
    void everyEventKindRoundTrips() {
        DatasetId id = DatasetId.parse("did:odf:fed012126262ba49e1ba8392c26f7a39e1ba8d756c7469786d3365200c68402ff65dc");
        Multihash h = Multihash.sha3("x");
        DataSlice slice = new DataSlice(h, h, new OffsetInterval(0, 9), 1234);
        List<MetadataEvent> events = List.of(
                new MetadataEvent.Seed(id, DatasetKind.Derivative),
                new MetadataEvent.AddData(h, 3L, slice, new Checkpoint(h, 7), Instant.parse("2020-01-01T00:00:00.000001Z"),
                        new SourceState("s", "odf/last-modified", "x"), new ExtraAttributes(Map.of("a/b", Map.of("c", List.of(1L))))),
                new MetadataEvent.ExecuteTransform(List.of(new ExecuteTransformInput(id, h, h, 1L, 2L), new ExecuteTransformInput(id, null, null, null, null)),
                        null, null, slice, null, Instant.EPOCH),
                new MetadataEvent.SetPollingSource(new FetchStep.Container("img:1", List.of("run"), List.of("--x"), List.of(new FetchStep.EnvVar("K", null))),
                        null, new ReadStep.Parquet(null, null), null, new MergeStrategy.UpsertStream(List.of("k"))),
                new MetadataEvent.SetPollingSource(new FetchStep.Mqtt("h", 1883, "u", "p", List.of(new FetchStep.MqttTopicSubscription("t/#", MqttQos.AtLeastOnce))),
                        null, new ReadStep.NdGeoJson(null, null), null, new MergeStrategy.ChangelogStream(List.of("k"))),
                new MetadataEvent.SetPollingSource(new FetchStep.EthereumLogs(1L, "http://n", "block_number > 5", "Transfer(address)"), null,
                        new ReadStep.EsriShapefile(null, null, "a/b"), null, new MergeStrategy.Snapshot(List.of("k"), List.of("v"))),
                new MetadataEvent.SetTransform(List.of(new TransformInput("did:odf:fed01", null)),
                        new Transform.Sql("flink", null, null, List.of(new Transform.SqlQueryStep("a", "select 1"), new Transform.SqlQueryStep(null, "select\n2\n")),
                                List.of(new Transform.TemporalTable("t", List.of("k"))))),
                new MetadataEvent.SetVocab("o", "op", "st", "et"),
                new MetadataEvent.SetAttachments(new Attachments.Embedded(List.of())),
                new MetadataEvent.SetInfo(null, List.of("a", "true", "null", "1")),
                new MetadataEvent.SetLicense("MIT", "MIT License", null, "https://mit"),
                new MetadataEvent.SetDataSchema(new byte[] {1, 2, 3}, new DataSchema(List.of(
                        new DataField("m", new DataType.Map(new DataType.String(), new DataType.Binary(16L), true), null),
                        new DataField("d", new DataType.Duration(TimeUnit.Nanosecond), null),
                        new DataField("t", new DataType.Time(TimeUnit.Second), null),
                        new DataField("n", new DataType.Null(), new ExtraAttributes(Map.of()))), null)),
                new MetadataEvent.DisablePushSource("s"),
                new MetadataEvent.DisablePollingSource(),
                new MetadataEvent.AddPushSource("p", new ReadStep.Csv(null, null, ",", "utf8", "\"", "\\", false, true, "", "rfc3339", "rfc3339"),
                        new Transform.Sql("datafusion", null, "select *\nfrom input", null, null), new MergeStrategy.Append()),
                new MetadataEvent.ExecuteTransform(List.of(new ExecuteTransformInput(id, h, h, 1L, 2L)), h, 0L, slice, new Checkpoint(h, 3),
                        Instant.EPOCH, new ExtraAttributes(Map.of("sluice.dev/engine", "duckdb"))));
        for (MetadataEvent e : events) {
            String y = ManifestYaml.writeEvent(e);
            assertEquals(e, ManifestYaml.readEvent(y), y);
            MetadataBlock b = new MetadataBlock(Instant.parse("2024-05-06T07:08:09Z"), h, 42, e);
            assertEquals(b, ManifestYaml.readBlock(ManifestYaml.writeBlock(b)));
        }
        assertArrayEquals(new byte[] {1, 2, 3}, ((MetadataEvent.SetDataSchema) ManifestYaml.readEvent(ManifestYaml.writeEvent(events.get(11)))).rawArrowSchema());
        assertTrue(Arrays.stream(MetadataEvent.class.getPermittedSubclasses()).allMatch(c -> events.stream().anyMatch(c::isInstance)));
    }

    @Test
    void byteInput() {
        MetadataEvent e = ManifestYaml.readEvent("kind: SetInfo\ndescription: Grüße\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(new MetadataEvent.SetInfo("Grüße", null), e);
        var ex = assertThrows(OdfFormatException.class, () -> ManifestYaml.readEvent(new byte[] {'k', ':', (byte) 0xff}));
        assertTrue(ex.getMessage().contains("UTF-8"));
    }
}
