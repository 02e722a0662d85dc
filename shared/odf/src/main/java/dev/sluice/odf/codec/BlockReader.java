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
import dev.sluice.odf.OdfFormatException;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.odf.PrepStep;
import dev.sluice.odf.ReadStep;
import dev.sluice.odf.SourceCaching;
import dev.sluice.odf.SourceOrdering;
import dev.sluice.odf.SourceState;
import dev.sluice.odf.TimeUnit;
import dev.sluice.odf.Transform;
import dev.sluice.odf.TransformInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a MetadataBlock buffer into the model. Mirrors kamu's deserializers: fields kamu unwraps are
 * required here (missing ones are an {@link OdfFormatException}), unknown union members and enum values are
 * rejected, unknown extra fields are ignored.
 */
final class BlockReader {
    private BlockReader() {}

    /** Returns {kind, version} and the content bytes of a Manifest buffer. */
    record Manifest(long kind, int version, byte[] content) {}

    static Manifest readManifest(byte[] bytes) {
        FbTable m = new FbTable.Buf(bytes).root("Manifest");
        long kind = m.i64(0, 0);
        int version = m.i32(1, 0);
        byte[] content = m.bytes(2, "content");
        return new Manifest(kind, version, content);
    }

    static MetadataBlock readBlock(byte[] inner) {
        FbTable b = new FbTable.Buf(inner).root("MetadataBlock");
        var systemTime = req(b.timestamp(0, "system_time"), b, "system_time");
        byte[] prev = b.bytes(1, "prev_block_hash");
        long seq = b.i64(2, 0);
        MetadataEvent event = event(b.u8(3), req(b.table(4, "event"), b, "event"));
        return new MetadataBlock(systemTime, prev == null ? null : Multihash.fromBytes(prev), seq, event);
    }

    // ---------------------------------------------------------------------------------------------------
    // Events

    private static MetadataEvent event(int tag, FbTable t) {
        return switch (tag) {
            case 1 -> new MetadataEvent.AddData(
                    hash(t, 0, "prev_checkpoint"),
                    t.optI64(1),
                    dataSlice(t.table(2, "new_data")),
                    checkpoint(t.table(3, "new_checkpoint")),
                    t.timestamp(4, "new_watermark"),
                    sourceState(t.table(5, "new_source_state")),
                    extra(t.table(6, "extra")));
            case 2 -> new MetadataEvent.ExecuteTransform(
                    req(tables(t, 0, "query_inputs", BlockReader::executeTransformInput), t, "query_inputs"),
                    hash(t, 1, "prev_checkpoint"),
                    t.optI64(2),
                    dataSlice(t.table(3, "new_data")),
                    checkpoint(t.table(4, "new_checkpoint")),
                    t.timestamp(5, "new_watermark"),
                    extra(t.table(6, "extra")));
            case 3 -> new MetadataEvent.Seed(
                    DatasetId.fromBytes(req(t.bytes(0, "dataset_id"), t, "dataset_id")),
                    enumValue(DatasetKind.values(), t.i32(1, 0), t, "dataset_kind"));
            case 4 -> new MetadataEvent.SetPollingSource(
                    fetchStep(t.u8(0), req(t.table(1, "fetch"), t, "fetch")),
                    tables(t, 2, "prepare", w -> prepStep(w.u8(0), req(w.table(1, "value"), w, "value"))),
                    readStep(t.u8(3), req(t.table(4, "read"), t, "read")),
                    transform(t.u8(5), t.table(6, "preprocess")),
                    mergeStrategy(t.u8(7), req(t.table(8, "merge"), t, "merge")));
            case 5 -> new MetadataEvent.SetTransform(
                    req(tables(t, 0, "inputs", i -> new TransformInput(
                            req(i.string(0, "dataset_ref"), i, "dataset_ref"), i.string(1, "alias"))), t, "inputs"),
                    req(transform(t.u8(1), t.table(2, "transform")), t, "transform"));
            case 6 -> new MetadataEvent.SetVocab(
                    t.string(0, "offset_column"),
                    t.string(1, "operation_type_column"),
                    t.string(2, "system_time_column"),
                    t.string(3, "event_time_column"));
            case 7 -> new MetadataEvent.SetAttachments(attachments(t.u8(0), req(t.table(1, "attachments"), t, "attachments")));
            case 8 -> new MetadataEvent.SetInfo(t.string(0, "description"), strings(t, 1, "keywords"));
            case 9 -> new MetadataEvent.SetLicense(
                    req(t.string(0, "short_name"), t, "short_name"),
                    req(t.string(1, "name"), t, "name"),
                    t.string(2, "spdx_id"),
                    req(t.string(3, "website_url"), t, "website_url"));
            case 10 -> new MetadataEvent.SetDataSchema(t.bytes(0, "raw_arrow_schema"), dataSchema(t.table(1, "schema")));
            case 11 -> new MetadataEvent.AddPushSource(
                    req(t.string(0, "source_name"), t, "source_name"),
                    readStep(t.u8(1), req(t.table(2, "read"), t, "read")),
                    transform(t.u8(3), t.table(4, "preprocess")),
                    mergeStrategy(t.u8(5), req(t.table(6, "merge"), t, "merge")));
            case 12 -> new MetadataEvent.DisablePushSource(req(t.string(0, "source_name"), t, "source_name"));
            case 13 -> new MetadataEvent.DisablePollingSource();
            default -> throw new OdfFormatException("unknown metadata event type " + tag);
        };
    }

    private static ExecuteTransformInput executeTransformInput(FbTable t) {
        return new ExecuteTransformInput(
                DatasetId.fromBytes(req(t.bytes(0, "dataset_id"), t, "dataset_id")),
                hash(t, 1, "prev_block_hash"),
                hash(t, 2, "new_block_hash"),
                t.optI64(3),
                t.optI64(4));
    }

    // ---------------------------------------------------------------------------------------------------
    // Fragments

    private static DataSlice dataSlice(FbTable t) {
        if (t == null) return null;
        FbTable iv = req(t.table(2, "offset_interval"), t, "offset_interval");
        return new DataSlice(
                req(hash(t, 0, "logical_hash"), t, "logical_hash"),
                req(hash(t, 1, "physical_hash"), t, "physical_hash"),
                new OffsetInterval(iv.i64(0, 0), iv.i64(1, 0)),
                t.i64(3, 0));
    }

    private static Checkpoint checkpoint(FbTable t) {
        if (t == null) return null;
        return new Checkpoint(req(hash(t, 0, "physical_hash"), t, "physical_hash"), t.i64(1, 0));
    }

    private static SourceState sourceState(FbTable t) {
        if (t == null) return null;
        return new SourceState(
                req(t.string(0, "source_name"), t, "source_name"),
                req(t.string(1, "kind"), t, "kind"),
                req(t.string(2, "value"), t, "value"));
    }

    @SuppressWarnings("unchecked")
    private static ExtraAttributes extra(FbTable t) {
        if (t == null) return null;
        String json = req(t.string(0, "attributes"), t, "attributes");
        Object v = CanonicalJson.parse(json);
        if (!(v instanceof Map)) throw new OdfFormatException("ExtraAttributes in " + t.what + " is not a JSON object");
        return new ExtraAttributes((Map<String, Object>) v);
    }

    private static DataSchema dataSchema(FbTable t) {
        if (t == null) return null;
        return new DataSchema(req(tables(t, 0, "fields", BlockReader::dataField), t, "fields"), extra(t.table(1, "extra")));
    }

    private static DataField dataField(FbTable t) {
        return new DataField(
                req(t.string(0, "name"), t, "name"),
                dataType(t.u8(1), req(t.table(2, "type"), t, "type")),
                extra(t.table(3, "extra")));
    }

    private static DataType dataType(int tag, FbTable t) {
        DataType simple = DataTypeTags.simple(tag);
        if (simple != null) return simple;
        return switch (tag) {
            case 1 -> new DataType.Binary(t.optI64(0));
            case 4 -> new DataType.Decimal(t.i32(0, 0), t.i32(1, 0));
            case 5 -> new DataType.Duration(enumValue(TimeUnit.values(), t.i16(0, 0), t, "unit"));
            case 17 -> new DataType.List(dataType(t.u8(0), req(t.table(1, "item_type"), t, "item_type")), t.optI64(2));
            case 18 -> new DataType.Map(
                    dataType(t.u8(0), req(t.table(1, "key_type"), t, "key_type")),
                    dataType(t.u8(2), req(t.table(3, "value_type"), t, "value_type")),
                    t.optBool(4));
            case 20 -> new DataType.Option(dataType(t.u8(0), req(t.table(1, "inner"), t, "inner")));
            case 21 -> new DataType.Struct(req(tables(t, 0, "fields", BlockReader::dataField), t, "fields"));
            case 22 -> new DataType.Time(optEnum(TimeUnit.values(), t.optI16(0), t, "unit"));
            case 23 -> new DataType.Timestamp(optEnum(TimeUnit.values(), t.optI16(0), t, "unit"), t.string(1, "timezone"));
            default -> throw new OdfFormatException("unknown data type " + tag + " in " + t.what);
        };
    }

    private static FetchStep fetchStep(int tag, FbTable t) {
        return switch (tag) {
            case 1 -> new FetchStep.Url(
                    req(t.string(0, "url"), t, "url"),
                    eventTimeSource(t.u8(1), t.table(2, "event_time")),
                    sourceCaching(t.u8(3), t.table(4, "cache")),
                    tables(t, 5, "headers", h -> new FetchStep.RequestHeader(
                            req(h.string(0, "name"), h, "name"), req(h.string(1, "value"), h, "value"))));
            case 2 -> new FetchStep.FilesGlob(
                    req(t.string(0, "path"), t, "path"),
                    eventTimeSource(t.u8(1), t.table(2, "event_time")),
                    sourceCaching(t.u8(3), t.table(4, "cache")),
                    optEnum(SourceOrdering.values(), t.optI32(5), t, "order"));
            case 3 -> new FetchStep.Container(
                    req(t.string(0, "image"), t, "image"),
                    strings(t, 1, "command"),
                    strings(t, 2, "args"),
                    tables(t, 3, "env", e -> new FetchStep.EnvVar(req(e.string(0, "name"), e, "name"), e.string(1, "value"))));
            case 4 -> new FetchStep.Mqtt(
                    req(t.string(0, "host"), t, "host"),
                    t.i32(1, 0),
                    t.string(2, "username"),
                    t.string(3, "password"),
                    req(tables(t, 4, "topics", s -> new FetchStep.MqttTopicSubscription(
                            req(s.string(0, "path"), s, "path"), optEnum(MqttQos.values(), s.optI32(1), s, "qos"))), t, "topics"));
            case 5 -> new FetchStep.EthereumLogs(t.optI64(0), t.string(1, "node_url"), t.string(2, "filter"), t.string(3, "signature"));
            default -> throw new OdfFormatException("unknown fetch step type " + tag + " in " + t.what);
        };
    }

    private static EventTimeSource eventTimeSource(int tag, FbTable t) {
        if (t == null) return null;
        return switch (tag) {
            case 1 -> new EventTimeSource.FromMetadata();
            case 2 -> new EventTimeSource.FromPath(req(t.string(0, "pattern"), t, "pattern"), t.string(1, "timestamp_format"));
            case 3 -> new EventTimeSource.FromSystemTime();
            default -> throw new OdfFormatException("unknown event time source type " + tag + " in " + t.what);
        };
    }

    private static SourceCaching sourceCaching(int tag, FbTable t) {
        if (t == null) return null;
        if (tag == 1) return new SourceCaching.Forever();
        throw new OdfFormatException("unknown source caching type " + tag + " in " + t.what);
    }

    private static PrepStep prepStep(int tag, FbTable t) {
        return switch (tag) {
            case 1 -> new PrepStep.Decompress(enumValue(CompressionFormat.values(), t.i32(0, 0), t, "format"), t.string(1, "sub_path"));
            case 2 -> new PrepStep.Pipe(req(strings(t, 0, "command"), t, "command"));
            default -> throw new OdfFormatException("unknown prep step type " + tag + " in " + t.what);
        };
    }

    private static ReadStep readStep(int tag, FbTable t) {
        return switch (tag) {
            case 1 -> new ReadStep.Csv(
                    dataSchema(t.table(10, "schema")),
                    strings(t, 0, "ddl_schema"),
                    t.string(1, "separator"),
                    t.string(2, "encoding"),
                    t.string(3, "quote"),
                    t.string(4, "escape"),
                    t.optBool(5),
                    t.optBool(6),
                    t.string(7, "null_value"),
                    t.string(8, "date_format"),
                    t.string(9, "timestamp_format"));
            case 2 -> new ReadStep.GeoJson(dataSchema(t.table(1, "schema")), strings(t, 0, "ddl_schema"));
            case 3 -> new ReadStep.EsriShapefile(dataSchema(t.table(2, "schema")), strings(t, 0, "ddl_schema"), t.string(1, "sub_path"));
            case 4 -> new ReadStep.Parquet(dataSchema(t.table(1, "schema")), strings(t, 0, "ddl_schema"));
            case 5 -> new ReadStep.Json(
                    dataSchema(t.table(5, "schema")),
                    strings(t, 1, "ddl_schema"),
                    t.string(0, "sub_path"),
                    t.string(2, "date_format"),
                    t.string(3, "encoding"),
                    t.string(4, "timestamp_format"));
            case 6 -> new ReadStep.NdJson(
                    dataSchema(t.table(4, "schema")),
                    strings(t, 0, "ddl_schema"),
                    t.string(1, "date_format"),
                    t.string(2, "encoding"),
                    t.string(3, "timestamp_format"));
            case 7 -> new ReadStep.NdGeoJson(dataSchema(t.table(1, "schema")), strings(t, 0, "ddl_schema"));
            default -> throw new OdfFormatException("unknown read step type " + tag + " in " + t.what);
        };
    }

    private static Transform transform(int tag, FbTable t) {
        if (t == null) return null;
        if (tag != 1) throw new OdfFormatException("unknown transform type " + tag + " in " + t.what);
        return new Transform.Sql(
                req(t.string(0, "engine"), t, "engine"),
                t.string(1, "version"),
                t.string(2, "query"),
                tables(t, 3, "queries", q -> new Transform.SqlQueryStep(q.string(0, "alias"), req(q.string(1, "query"), q, "query"))),
                tables(t, 4, "temporal_tables", tt -> new Transform.TemporalTable(
                        req(tt.string(0, "name"), tt, "name"), req(strings(tt, 1, "primary_key"), tt, "primary_key"))));
    }

    private static MergeStrategy mergeStrategy(int tag, FbTable t) {
        return switch (tag) {
            case 1 -> new MergeStrategy.Append();
            case 2 -> new MergeStrategy.Ledger(primaryKey(t));
            case 3 -> new MergeStrategy.Snapshot(primaryKey(t), strings(t, 1, "compare_columns"));
            case 4 -> new MergeStrategy.ChangelogStream(primaryKey(t));
            case 5 -> new MergeStrategy.UpsertStream(primaryKey(t));
            default -> throw new OdfFormatException("unknown merge strategy type " + tag + " in " + t.what);
        };
    }

    private static List<String> primaryKey(FbTable t) {
        return req(strings(t, 0, "primary_key"), t, "primary_key");
    }

    private static Attachments attachments(int tag, FbTable t) {
        if (tag != 1) throw new OdfFormatException("unknown attachments type " + tag + " in " + t.what);
        return new Attachments.Embedded(req(tables(t, 0, "items", i -> new Attachments.AttachmentEmbedded(
                req(i.string(0, "path"), i, "path"), req(i.string(1, "content"), i, "content"))), t, "items"));
    }

    // ---------------------------------------------------------------------------------------------------
    // Helpers

    private static Multihash hash(FbTable t, int slot, String name) {
        byte[] b = t.bytes(slot, name);
        return b == null ? null : Multihash.fromBytes(b);
    }

    private static List<String> strings(FbTable t, int slot, String name) {
        int n = t.vectorLength(slot, name);
        if (n < 0) return null;
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(t.stringElement(slot, i, name));
        return List.copyOf(out);
    }

    private static <T> List<T> tables(FbTable t, int slot, String name, Function<FbTable, T> read) {
        int n = t.vectorLength(slot, name);
        if (n < 0) return null;
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(read.apply(t.element(slot, i, name)));
        return List.copyOf(out);
    }

    private static <E extends Enum<E>> E enumValue(E[] values, int v, FbTable t, String name) {
        if (v < 0 || v >= values.length) throw new OdfFormatException("invalid " + name + " value " + v + " in " + t.what);
        return values[v];
    }

    private static <E extends Enum<E>> E optEnum(E[] values, Integer v, FbTable t, String name) {
        return v == null ? null : enumValue(values, v, t, name);
    }

    private static <T> T req(T v, FbTable t, String name) {
        if (v == null) throw new OdfFormatException("missing required field " + name + " in " + t.what);
        return v;
    }
}
