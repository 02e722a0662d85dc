package dev.sluice.odf.codec;

import dev.sluice.odf.Attachments;
import dev.sluice.odf.Checkpoint;
import dev.sluice.odf.CompressionFormat;
import dev.sluice.odf.DataField;
import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DataSlice;
import dev.sluice.odf.DataType;
import dev.sluice.odf.DatasetId;
import dev.sluice.odf.DatasetKind;
import dev.sluice.odf.EventTimeSource;
import dev.sluice.odf.ExecuteTransformInput;
import dev.sluice.odf.ExtraAttributes;
import dev.sluice.odf.FetchStep;
import dev.sluice.odf.MergeStrategy;
import dev.sluice.odf.MetadataBlock;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.MqttQos;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.odf.PrepStep;
import dev.sluice.odf.ReadStep;
import dev.sluice.odf.SourceCaching;
import dev.sluice.odf.SourceOrdering;
import dev.sluice.odf.SourceState;
import dev.sluice.odf.TimeUnit;
import dev.sluice.odf.Transform;
import dev.sluice.odf.TransformInput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Blocks covering every event, every fragment kind, every DataType kind, and optional fields both present
 * and absent (including optional scalars present with value 0).
 */
final class Corpus {
    private Corpus() {}

    static final Instant T = Instant.parse("2020-01-01T12:00:00Z");
    static final Multihash H1 = Multihash.sha3("one");
    static final Multihash H2 = Multihash.sha3("two");
    static final Multihash LOGICAL = new Multihash(Multihash.ARROW0_SHA3_256, Multihash.sha3("logical").digest());

    static DatasetId id(int seed) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) seed);
        return DatasetId.ofPublicKey(key);
    }

    static ExtraAttributes linkedObjects() {
        return new ExtraAttributes(Map.of("opendatafabric.org/linkedObjects", Map.of("numObjectsNaive", 10L, "sizeNaive", 100L)));
    }

    static ExtraAttributes richExtra() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("z", List.of(1L, 2.5, "s", true, false));
        nested.put("a", null);
        nested.put("ü", Map.of());
        nested.put("float", 1e-7);
        nested.put("big", new java.math.BigInteger("18446744073709551616"));
        nested.put("text", "quote \" backslash \\ newline \n tab \t ctl \u0001 del \u007f slash / é 😀");
        return new ExtraAttributes(Map.of("kamu.dev/archetype", "Collection", "example.org/nested", nested));
    }

    /** Every DataType kind, with each optional field present and absent, nested Struct/List/Map/Option. */
    static List<DataField> allTypeFields() {
        List<DataField> f = new ArrayList<>();
        f.add(new DataField("bin", new DataType.Binary(null), null));
        f.add(new DataField("bin0", new DataType.Binary(0L), null));
        f.add(new DataField("bin16", new DataType.Binary(16L), null));
        f.add(new DataField("bool", new DataType.Bool(), null));
        f.add(new DataField("date", new DataType.Date(), null));
        f.add(new DataField("dec0", new DataType.Decimal(0, 0), null));
        f.add(new DataField("dec", new DataType.Decimal(38, -2), null));
        f.add(new DataField("durS", new DataType.Duration(TimeUnit.Second), null));
        f.add(new DataField("durN", new DataType.Duration(TimeUnit.Nanosecond), null));
        f.add(new DataField("f16", new DataType.Float16(), null));
        f.add(new DataField("f32", new DataType.Float32(), null));
        f.add(new DataField("f64", new DataType.Float64(), null));
        f.add(new DataField("i8", new DataType.Int8(), null));
        f.add(new DataField("i16", new DataType.Int16(), null));
        f.add(new DataField("i32", new DataType.Int32(), null));
        f.add(new DataField("i64", new DataType.Int64(), linkedObjects()));
        f.add(new DataField("u8", new DataType.UInt8(), null));
        f.add(new DataField("u16", new DataType.UInt16(), null));
        f.add(new DataField("u32", new DataType.UInt32(), null));
        f.add(new DataField("u64", new DataType.UInt64(), null));
        f.add(new DataField("list", new DataType.List(new DataType.String(), null), null));
        f.add(new DataField("list0", new DataType.List(new DataType.Int32(), 0L), null));
        f.add(new DataField("list3", new DataType.List(new DataType.List(new DataType.Float64(), 3L), 2L), null));
        f.add(new DataField("map", new DataType.Map(new DataType.String(), new DataType.Int64(), null), null));
        f.add(new DataField("mapF", new DataType.Map(new DataType.String(), new DataType.Option(new DataType.Int64()), false), null));
        f.add(new DataField("mapT", new DataType.Map(new DataType.Int32(), new DataType.Struct(List.of()), true), null));
        f.add(new DataField("null", new DataType.Null(), null));
        f.add(new DataField("opt", new DataType.Option(new DataType.Struct(List.of(
                new DataField("x", new DataType.Option(new DataType.Timestamp(TimeUnit.Microsecond, "UTC")), null),
                new DataField("y", new DataType.List(new DataType.Struct(List.of(
                        new DataField("deep", new DataType.String(), richExtra()))), null), null)))), null));
        f.add(new DataField("struct", new DataType.Struct(List.of()), new ExtraAttributes(Map.of())));
        f.add(new DataField("time", new DataType.Time(null), null));
        f.add(new DataField("timeS", new DataType.Time(TimeUnit.Second), null));
        f.add(new DataField("timeU", new DataType.Time(TimeUnit.Microsecond), null));
        f.add(new DataField("ts", new DataType.Timestamp(null, null), null));
        f.add(new DataField("tsS", new DataType.Timestamp(TimeUnit.Second, null), null));
        f.add(new DataField("tsTz", new DataType.Timestamp(null, "+07:30"), null));
        f.add(new DataField("tsN", new DataType.Timestamp(TimeUnit.Nanosecond, "America/New_York"), null));
        f.add(new DataField("str", new DataType.String(), null));
        return f;
    }

    static DataSchema smallSchema() {
        return new DataSchema(List.of(new DataField("a", new DataType.Int32(), null), new DataField("b", new DataType.String(), null)), null);
    }

    static List<ReadStep> readSteps() {
        DataSchema s = smallSchema();
        List<String> ddl = List.of("a INT", "b STRING");
        return List.of(
                new ReadStep.Csv(null, null, null, null, null, null, null, null, null, null, null),
                new ReadStep.Csv(s, ddl, ";", "utf8", "'", "\\", true, false, "", "rfc3339", "%Y"),
                new ReadStep.Csv(null, List.of(), null, null, null, null, false, true, null, null, null),
                new ReadStep.GeoJson(null, null),
                new ReadStep.GeoJson(s, ddl),
                new ReadStep.EsriShapefile(null, null, null),
                new ReadStep.EsriShapefile(s, ddl, "*.shp"),
                new ReadStep.Parquet(null, null),
                new ReadStep.Parquet(s, ddl),
                new ReadStep.Json(null, null, null, null, null, null),
                new ReadStep.Json(s, ddl, "a.b", "%d", "utf16", "%t"),
                new ReadStep.NdJson(null, null, null, null, null),
                new ReadStep.NdJson(s, ddl, "%d", "utf8", "%t"),
                new ReadStep.NdGeoJson(null, null),
                new ReadStep.NdGeoJson(s, ddl));
    }

    static List<Transform> transforms() {
        return List.of(
                new Transform.Sql("datafusion", null, null, null, null),
                new Transform.Sql("spark", "1.0.0", "SELECT * FROM input", null, null),
                new Transform.Sql("flink", "2.0", null,
                        List.of(new Transform.SqlQueryStep("tmp", "SELECT 1"), new Transform.SqlQueryStep(null, "SELECT * FROM tmp")),
                        List.of(new Transform.TemporalTable("rates", List.of("currency")), new Transform.TemporalTable("empty", List.of()))),
                new Transform.Sql("risingwave", null, null, List.of(), List.of()));
    }

    static List<MergeStrategy> merges() {
        return List.of(
                new MergeStrategy.Append(),
                new MergeStrategy.Ledger(List.of("a")),
                new MergeStrategy.Ledger(List.of()),
                new MergeStrategy.Snapshot(List.of("a", "b"), null),
                new MergeStrategy.Snapshot(List.of("a"), List.of("updated_at")),
                new MergeStrategy.ChangelogStream(List.of("id")),
                new MergeStrategy.UpsertStream(List.of("id", "key")));
    }

    static List<FetchStep> fetchSteps() {
        return List.of(
                new FetchStep.Url("https://example.org/data.csv", null, null, null),
                new FetchStep.Url("https://example.org/data.csv", new EventTimeSource.FromPath("(\\d+)", null), new SourceCaching.Forever(), List.of()),
                new FetchStep.Url("https://example.org/x", new EventTimeSource.FromPath("(\\d+)", "yyyy-MM-dd"), null,
                        List.of(new FetchStep.RequestHeader("Authorization", "Bearer ${{ env.TOKEN }}"), new FetchStep.RequestHeader("X", ""))),
                new FetchStep.FilesGlob("./*.csv", null, null, null),
                new FetchStep.FilesGlob("./*.csv", new EventTimeSource.FromSystemTime(), new SourceCaching.Forever(), SourceOrdering.ByEventTime),
                new FetchStep.FilesGlob("./*.json", new EventTimeSource.FromMetadata(), null, SourceOrdering.ByName),
                new FetchStep.Container("ghcr.io/kamu-data/fetch:1", null, null, null),
                new FetchStep.Container("img", List.of("/bin/sh", "-c"), List.of("echo", "hi"),
                        List.of(new FetchStep.EnvVar("A", "1"), new FetchStep.EnvVar("B", null))),
                new FetchStep.Mqtt("broker", 0, null, null, List.of()),
                new FetchStep.Mqtt("broker", 1883, "user", "${{ env.PASS }}", List.of(
                        new FetchStep.MqttTopicSubscription("a/#", null),
                        new FetchStep.MqttTopicSubscription("b", MqttQos.AtMostOnce),
                        new FetchStep.MqttTopicSubscription("c", MqttQos.ExactlyOnce))),
                new FetchStep.EthereumLogs(null, null, null, null),
                new FetchStep.EthereumLogs(0L, "https://node", "block_number > 1", "Transfer(address,address,uint256)"),
                new FetchStep.EthereumLogs(1L, null, null, null));
    }

    static List<MetadataEvent> events() {
        List<MetadataEvent> e = new ArrayList<>();
        // Seed
        e.add(new MetadataEvent.Seed(id(1), DatasetKind.Root));
        e.add(new MetadataEvent.Seed(id(2), DatasetKind.Derivative));
        // SetPollingSource: every fetch, read, merge, transform, prepare variant
        List<FetchStep> fetches = fetchSteps();
        List<ReadStep> reads = readSteps();
        List<MergeStrategy> merges = merges();
        List<Transform> transforms = transforms();
        List<List<PrepStep>> prepares = Arrays.asList(null, List.of(),
                List.of(new PrepStep.Decompress(CompressionFormat.Gzip, null)),
                List.of(new PrepStep.Decompress(CompressionFormat.Zip, "data/*.csv"), new PrepStep.Pipe(List.of("gunzip", "-c")), new PrepStep.Pipe(List.of())));
        int n = Math.max(Math.max(fetches.size(), reads.size()), Math.max(merges.size(), transforms.size()));
        for (int i = 0; i < n; i++) {
            e.add(new MetadataEvent.SetPollingSource(
                    fetches.get(i % fetches.size()),
                    prepares.get(i % prepares.size()),
                    reads.get(i % reads.size()),
                    i % (transforms.size() + 1) == 0 ? null : transforms.get(i % transforms.size()),
                    merges.get(i % merges.size())));
        }
        e.add(new MetadataEvent.DisablePollingSource());
        // AddPushSource: every read step
        for (int i = 0; i < reads.size(); i++) {
            e.add(new MetadataEvent.AddPushSource("src" + i, reads.get(i),
                    i % 3 == 0 ? null : transforms.get(i % transforms.size()), merges.get(i % merges.size())));
        }
        e.add(new MetadataEvent.DisablePushSource("src0"));
        // SetTransform
        e.add(new MetadataEvent.SetTransform(List.of(), transforms.get(0)));
        e.add(new MetadataEvent.SetTransform(
                List.of(new TransformInput(id(3).toDid(), "left"), new TransformInput(id(4).toDid(), null)), transforms.get(2)));
        // AddData
        e.add(new MetadataEvent.AddData(null, null, null, null, null, null, null));
        e.add(new MetadataEvent.AddData(null, 0L, null, null, null, null, null));
        e.add(new MetadataEvent.AddData(H1, 99L,
                new DataSlice(LOGICAL, H2, new OffsetInterval(100, 199), 4096),
                new Checkpoint(H1, 12),
                T,
                new SourceState("default", SourceState.KIND_ETAG, "\"abc\""),
                linkedObjects()));
        e.add(new MetadataEvent.AddData(null, null,
                new DataSlice(LOGICAL, H2, new OffsetInterval(0, 0), 0),
                new Checkpoint(H2, 0), null, null, richExtra()));
        e.add(new MetadataEvent.AddData(null, null, null, null, Instant.parse("2024-12-31T23:59:59.999999999Z"), null, new ExtraAttributes(Map.of())));
        // ExecuteTransform
        e.add(new MetadataEvent.ExecuteTransform(List.of(), null, null, null, null, null));
        e.add(new MetadataEvent.ExecuteTransform(
                List.of(new ExecuteTransformInput(id(5), null, null, null, null),
                        new ExecuteTransformInput(id(6), H1, H2, 0L, 10L),
                        new ExecuteTransformInput(id(7), null, H2, null, 0L)),
                H1, 0L, new DataSlice(LOGICAL, H2, new OffsetInterval(1, 10), 777), new Checkpoint(H2, 5), T));
        // ExecuteTransform with Sluice's extra attributes (field 6)
        e.add(new MetadataEvent.ExecuteTransform(List.of(new ExecuteTransformInput(id(6), H1, H2, 0L, 10L)),
                null, null, null, null, T, new ExtraAttributes(Map.of("sluice.dev/engine", "duckdb", "sluice.dev/engineBuild", "x 1.0"))));
        // SetVocab
        e.add(new MetadataEvent.SetVocab(null, null, null, null));
        e.add(new MetadataEvent.SetVocab("off", "operation", "sys_time", "ev_time"));
        e.add(new MetadataEvent.SetVocab(null, null, null, "ts"));
        // SetDataSchema
        e.add(new MetadataEvent.SetDataSchema(null, null));
        e.add(new MetadataEvent.SetDataSchema(new byte[] {1, 2, 3, 4, 5, 0, (byte) 0xff}, null));
        e.add(new MetadataEvent.SetDataSchema(new byte[0], smallSchema()));
        e.add(new MetadataEvent.SetDataSchema(null, new DataSchema(allTypeFields(), richExtra())));
        e.add(new MetadataEvent.SetDataSchema(null, new DataSchema(List.of(), linkedObjects())));
        // SetInfo / SetLicense / SetAttachments
        e.add(new MetadataEvent.SetInfo(null, null));
        e.add(new MetadataEvent.SetInfo("A dataset", List.of()));
        e.add(new MetadataEvent.SetInfo(null, List.of("gov", "population", "ünïcödé")));
        e.add(new MetadataEvent.SetLicense("OGL-Canada-2.0", "Open Government Licence - Canada", null, "https://open.canada.ca/en/open-government-licence-canada"));
        e.add(new MetadataEvent.SetLicense("MIT", "MIT License", "MIT", "https://opensource.org/licenses/MIT"));
        e.add(new MetadataEvent.SetAttachments(new Attachments.Embedded(List.of())));
        e.add(new MetadataEvent.SetAttachments(new Attachments.Embedded(List.of(
                new Attachments.AttachmentEmbedded("README.md", "# Title\n\nSome text."),
                new Attachments.AttachmentEmbedded("LICENSE", "")))));
        return e;
    }

    /** Each event in a block; the wrapper varies (seq 0 / large, prev absent / present, unusual times). */
    static List<MetadataBlock> blocks() {
        List<Instant> times = List.of(T, Instant.parse("2024-12-31T23:59:59.999999999Z"), Instant.parse("1969-07-20T20:17:40Z"),
                Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("2050-02-28T00:00:00.000001Z"));
        List<MetadataBlock> out = new ArrayList<>();
        List<MetadataEvent> events = events();
        for (int i = 0; i < events.size(); i++) {
            MetadataEvent ev = events.get(i);
            boolean seed = ev instanceof MetadataEvent.Seed;
            long seq = seed ? 0 : (i % 5 == 0 ? Long.MAX_VALUE : i);
            out.add(new MetadataBlock(times.get(i % times.size()), seed ? null : (i % 2 == 0 ? H1 : H2), seq, ev));
        }
        // Non-seed blocks with seq 0 and no prev hash also encode (seq omitted like the Seed block).
        out.add(new MetadataBlock(T, null, 0, new MetadataEvent.SetInfo("x", null)));
        return out;
    }
}
