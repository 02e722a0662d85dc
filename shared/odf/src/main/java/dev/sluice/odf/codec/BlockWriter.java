package dev.sluice.odf.codec;

import com.google.flatbuffers.FlatBufferBuilder;
import dev.sluice.odf.Attachments;
import dev.sluice.odf.Checkpoint;
import dev.sluice.odf.DataField;
import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DataSlice;
import dev.sluice.odf.DataType;
import dev.sluice.odf.EventTimeSource;
import dev.sluice.odf.ExecuteTransformInput;
import dev.sluice.odf.ExtraAttributes;
import dev.sluice.odf.FetchStep;
import dev.sluice.odf.MergeStrategy;
import dev.sluice.odf.MetadataBlock;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.PrepStep;
import dev.sluice.odf.ReadStep;
import dev.sluice.odf.SourceCaching;
import dev.sluice.odf.SourceState;
import dev.sluice.odf.Transform;
import dev.sluice.odf.TransformInput;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Writes a MetadataBlock with the same builder calls, in the same order, as kamu-cli's generated Rust
 * convertors ({@code convertors_generated.rs}), so the bytes (and the block hash) are identical.
 *
 * <p>Per table the pattern is always: create every child (strings, vectors, sub-tables, unions) in schema
 * field order, skipping absent ones; then {@code startTable} and add the fields in schema field order. Slot
 * numbers are the schema field ids. Three kinds of scalars:
 * <ul>
 *   <li>plain scalars with a default ({@code addX(slot, v, default)}): omitted when equal to the default,
 *       as Rust's {@code push_slot} does;</li>
 *   <li>optional scalars ({@code = null} in the schema): written whenever present, even when 0, as Rust's
 *       {@code push_slot_always} does, hence {@code addX(v); slot(id)} (see {@link #optLong});</li>
 *   <li>structs (Timestamp): built inline right before {@code addStruct}.</li>
 * </ul>
 */
final class BlockWriter {
    private final FlatBufferBuilder fb = new FlatBufferBuilder(1024);

    /** A union value: its type tag (schema member index + 1) and the table offset. */
    private record U(int type, int offset) {}

    /** Finished inner MetadataBlock buffer (no file identifier, no size prefix). */
    static byte[] encodeBlock(MetadataBlock b) {
        BlockWriter w = new BlockWriter();
        int root = w.block(b);
        w.fb.finish(root);
        return w.fb.sizedByteArray();
    }

    /** Manifest{kind, version, content}; a fresh builder, fields in schema order. */
    static byte[] encodeManifest(long kind, int version, byte[] content) {
        FlatBufferBuilder m = new FlatBufferBuilder(content.length + 64);
        int c = m.createByteVector(content);
        m.startTable(3);
        m.addLong(0, kind, 0);
        m.addInt(1, version, 0);
        m.addOffset(2, c, 0);
        m.finish(m.endTable());
        return m.sizedByteArray();
    }

    // ---------------------------------------------------------------------------------------------------
    // Block and events

    private int block(MetadataBlock b) {
        int prev = hash(b.prevBlockHash());
        U ev = event(b.event());
        fb.startTable(5);
        fb.addStruct(0, timestamp(b.systemTime()), 0);
        fb.addOffset(1, prev, 0);
        fb.addLong(2, b.sequenceNumber(), 0); // plain uint64: omitted when 0 (the Seed block)
        fb.addByte(3, (byte) ev.type(), 0);
        fb.addOffset(4, ev.offset(), 0);
        return fb.endTable();
    }

    private U event(MetadataEvent e) {
        int off;
        if (e instanceof MetadataEvent.AddData v) off = addData(v);
        else if (e instanceof MetadataEvent.ExecuteTransform v) off = executeTransform(v);
        else if (e instanceof MetadataEvent.Seed v) off = seed(v);
        else if (e instanceof MetadataEvent.SetPollingSource v) off = setPollingSource(v);
        else if (e instanceof MetadataEvent.SetTransform v) off = setTransform(v);
        else if (e instanceof MetadataEvent.SetVocab v) off = setVocab(v);
        else if (e instanceof MetadataEvent.SetAttachments v) off = setAttachments(v);
        else if (e instanceof MetadataEvent.SetInfo v) off = setInfo(v);
        else if (e instanceof MetadataEvent.SetLicense v) off = setLicense(v);
        else if (e instanceof MetadataEvent.SetDataSchema v) off = setDataSchema(v);
        else if (e instanceof MetadataEvent.AddPushSource v) off = addPushSource(v);
        else if (e instanceof MetadataEvent.DisablePushSource v) off = disablePushSource(v);
        else if (e instanceof MetadataEvent.DisablePollingSource) off = emptyTable();
        else throw new IllegalArgumentException("unknown event " + e);
        return new U(e.unionTag(), off);
    }

    private int addData(MetadataEvent.AddData e) {
        int prevCheckpoint = hash(e.prevCheckpoint());
        int newData = e.newData() == null ? 0 : dataSlice(e.newData());
        int newCheckpoint = e.newCheckpoint() == null ? 0 : checkpoint(e.newCheckpoint());
        int newSourceState = e.newSourceState() == null ? 0 : sourceState(e.newSourceState());
        int extra = extra(e.extra());
        fb.startTable(7);
        fb.addOffset(0, prevCheckpoint, 0);
        optLong(1, e.prevOffset());
        fb.addOffset(2, newData, 0);
        fb.addOffset(3, newCheckpoint, 0);
        if (e.newWatermark() != null) fb.addStruct(4, timestamp(e.newWatermark()), 0);
        fb.addOffset(5, newSourceState, 0);
        fb.addOffset(6, extra, 0);
        return fb.endTable();
    }

    private int executeTransform(MetadataEvent.ExecuteTransform e) {
        int queryInputs = tables(req(e.queryInputs(), "ExecuteTransform.queryInputs"), this::executeTransformInput);
        int prevCheckpoint = hash(e.prevCheckpoint());
        int newData = e.newData() == null ? 0 : dataSlice(e.newData());
        int newCheckpoint = e.newCheckpoint() == null ? 0 : checkpoint(e.newCheckpoint());
        int extra = extra(e.extra());
        // Field 6 (extra) is Sluice's extension; when absent the vtable is trimmed and the bytes are kamu's.
        fb.startTable(7);
        fb.addOffset(0, queryInputs, 0);
        fb.addOffset(1, prevCheckpoint, 0);
        optLong(2, e.prevOffset());
        fb.addOffset(3, newData, 0);
        fb.addOffset(4, newCheckpoint, 0);
        if (e.newWatermark() != null) fb.addStruct(5, timestamp(e.newWatermark()), 0);
        fb.addOffset(6, extra, 0);
        return fb.endTable();
    }

    private int executeTransformInput(ExecuteTransformInput i) {
        int datasetId = fb.createByteVector(req(i.datasetId(), "ExecuteTransformInput.datasetId").toBytes());
        int prevBlockHash = hash(i.prevBlockHash());
        int newBlockHash = hash(i.newBlockHash());
        fb.startTable(5);
        fb.addOffset(0, datasetId, 0);
        fb.addOffset(1, prevBlockHash, 0);
        fb.addOffset(2, newBlockHash, 0);
        optLong(3, i.prevOffset());
        optLong(4, i.newOffset());
        return fb.endTable();
    }

    private int seed(MetadataEvent.Seed e) {
        int datasetId = fb.createByteVector(req(e.datasetId(), "Seed.datasetId").toBytes());
        fb.startTable(2);
        fb.addOffset(0, datasetId, 0);
        fb.addInt(1, req(e.datasetKind(), "Seed.datasetKind").ordinal(), 0); // enum: Root (0) omitted
        return fb.endTable();
    }

    private int setPollingSource(MetadataEvent.SetPollingSource e) {
        U fetch = fetchStep(req(e.fetch(), "SetPollingSource.fetch"));
        int prepare = 0;
        if (e.prepare() != null) {
            // Each PrepStep is wrapped in a PrepStepWrapper{value} table (a vector cannot hold unions).
            prepare = tables(e.prepare(), p -> {
                U step = prepStep(p);
                fb.startTable(2);
                fb.addByte(0, (byte) step.type(), 0);
                fb.addOffset(1, step.offset(), 0);
                return fb.endTable();
            });
        }
        U read = readStep(req(e.read(), "SetPollingSource.read"));
        U preprocess = e.preprocess() == null ? null : transform(e.preprocess());
        U merge = mergeStrategy(req(e.merge(), "SetPollingSource.merge"));
        fb.startTable(9);
        addUnion(0, fetch);
        fb.addOffset(2, prepare, 0);
        addUnion(3, read);
        addUnion(5, preprocess);
        addUnion(7, merge);
        return fb.endTable();
    }

    private int setTransform(MetadataEvent.SetTransform e) {
        int inputs = tables(req(e.inputs(), "SetTransform.inputs"), this::transformInput);
        U transform = transform(req(e.transform(), "SetTransform.transform"));
        fb.startTable(3);
        fb.addOffset(0, inputs, 0);
        addUnion(1, transform);
        return fb.endTable();
    }

    private int transformInput(TransformInput i) {
        int datasetRef = fb.createString(req(i.datasetRef(), "TransformInput.datasetRef"));
        int alias = str(i.alias());
        fb.startTable(2);
        fb.addOffset(0, datasetRef, 0);
        fb.addOffset(1, alias, 0);
        return fb.endTable();
    }

    private int setVocab(MetadataEvent.SetVocab e) {
        int offsetColumn = str(e.offsetColumn());
        int operationTypeColumn = str(e.operationTypeColumn());
        int systemTimeColumn = str(e.systemTimeColumn());
        int eventTimeColumn = str(e.eventTimeColumn());
        fb.startTable(4);
        fb.addOffset(0, offsetColumn, 0);
        fb.addOffset(1, operationTypeColumn, 0);
        fb.addOffset(2, systemTimeColumn, 0);
        fb.addOffset(3, eventTimeColumn, 0);
        return fb.endTable();
    }

    private int setAttachments(MetadataEvent.SetAttachments e) {
        Attachments a = req(e.attachments(), "SetAttachments.attachments");
        U attachments;
        if (a instanceof Attachments.Embedded emb) {
            int items = tables(req(emb.items(), "AttachmentsEmbedded.items"), item -> {
                int path = fb.createString(req(item.path(), "AttachmentEmbedded.path"));
                int content = fb.createString(req(item.content(), "AttachmentEmbedded.content"));
                fb.startTable(2);
                fb.addOffset(0, path, 0);
                fb.addOffset(1, content, 0);
                return fb.endTable();
            });
            fb.startTable(1);
            fb.addOffset(0, items, 0);
            attachments = new U(1, fb.endTable());
        } else {
            throw new IllegalArgumentException("unknown attachments " + a);
        }
        fb.startTable(2);
        addUnion(0, attachments);
        return fb.endTable();
    }

    private int setInfo(MetadataEvent.SetInfo e) {
        int description = str(e.description());
        int keywords = e.keywords() == null ? 0 : strings(e.keywords());
        fb.startTable(2);
        fb.addOffset(0, description, 0);
        fb.addOffset(1, keywords, 0);
        return fb.endTable();
    }

    private int setLicense(MetadataEvent.SetLicense e) {
        int shortName = fb.createString(req(e.shortName(), "SetLicense.shortName"));
        int name = fb.createString(req(e.name(), "SetLicense.name"));
        int spdxId = str(e.spdxId());
        int websiteUrl = fb.createString(req(e.websiteUrl(), "SetLicense.websiteUrl"));
        fb.startTable(4);
        fb.addOffset(0, shortName, 0);
        fb.addOffset(1, name, 0);
        fb.addOffset(2, spdxId, 0);
        fb.addOffset(3, websiteUrl, 0);
        return fb.endTable();
    }

    private int setDataSchema(MetadataEvent.SetDataSchema e) {
        int raw = e.rawArrowSchema() == null ? 0 : fb.createByteVector(e.rawArrowSchema());
        int schema = e.schema() == null ? 0 : dataSchema(e.schema());
        fb.startTable(2);
        fb.addOffset(0, raw, 0);
        fb.addOffset(1, schema, 0);
        return fb.endTable();
    }

    private int addPushSource(MetadataEvent.AddPushSource e) {
        int sourceName = fb.createString(req(e.sourceName(), "AddPushSource.sourceName"));
        U read = readStep(req(e.read(), "AddPushSource.read"));
        U preprocess = e.preprocess() == null ? null : transform(e.preprocess());
        U merge = mergeStrategy(req(e.merge(), "AddPushSource.merge"));
        fb.startTable(7);
        fb.addOffset(0, sourceName, 0);
        addUnion(1, read);
        addUnion(3, preprocess);
        addUnion(5, merge);
        return fb.endTable();
    }

    private int disablePushSource(MetadataEvent.DisablePushSource e) {
        int sourceName = fb.createString(req(e.sourceName(), "DisablePushSource.sourceName"));
        fb.startTable(1);
        fb.addOffset(0, sourceName, 0);
        return fb.endTable();
    }

    // ---------------------------------------------------------------------------------------------------
    // Fragments

    private int dataSlice(DataSlice s) {
        int logical = fb.createByteVector(req(s.logicalHash(), "DataSlice.logicalHash").toBytes());
        int physical = fb.createByteVector(req(s.physicalHash(), "DataSlice.physicalHash").toBytes());
        var iv = req(s.offsetInterval(), "DataSlice.offsetInterval");
        fb.startTable(2);
        fb.addLong(0, iv.start(), 0);
        fb.addLong(1, iv.end(), 0);
        int interval = fb.endTable();
        fb.startTable(4);
        fb.addOffset(0, logical, 0);
        fb.addOffset(1, physical, 0);
        fb.addOffset(2, interval, 0);
        fb.addLong(3, s.size(), 0);
        return fb.endTable();
    }

    private int checkpoint(Checkpoint c) {
        int physical = fb.createByteVector(req(c.physicalHash(), "Checkpoint.physicalHash").toBytes());
        fb.startTable(2);
        fb.addOffset(0, physical, 0);
        fb.addLong(1, c.size(), 0);
        return fb.endTable();
    }

    private int sourceState(SourceState s) {
        int sourceName = fb.createString(req(s.sourceName(), "SourceState.sourceName"));
        int kind = fb.createString(req(s.kind(), "SourceState.kind"));
        int value = fb.createString(req(s.value(), "SourceState.value"));
        fb.startTable(3);
        fb.addOffset(0, sourceName, 0);
        fb.addOffset(1, kind, 0);
        fb.addOffset(2, value, 0);
        return fb.endTable();
    }

    /** ExtraAttributes{attributes: string} holding serde_json text of the sorted map; 0 when absent. */
    private int extra(ExtraAttributes x) {
        if (x == null) return 0;
        int json = fb.createString(CanonicalJson.write(x.entries()));
        fb.startTable(1);
        fb.addOffset(0, json, 0);
        return fb.endTable();
    }

    private int dataSchema(DataSchema s) {
        int fields = tables(s.fields(), this::dataField);
        int extra = extra(s.extra());
        fb.startTable(2);
        fb.addOffset(0, fields, 0);
        fb.addOffset(1, extra, 0);
        return fb.endTable();
    }

    private int dataField(DataField f) {
        int name = fb.createString(req(f.name(), "DataField.name"));
        U type = dataType(req(f.type(), "DataField.type"));
        int extra = extra(f.extra());
        fb.startTable(4);
        fb.addOffset(0, name, 0);
        addUnion(1, type);
        fb.addOffset(3, extra, 0);
        return fb.endTable();
    }

    private U dataType(DataType t) {
        int tag = DataTypeTags.tagOf(t);
        int off;
        if (t instanceof DataType.Binary b) {
            fb.startTable(1);
            optLong(0, b.fixedLength());
            off = fb.endTable();
        } else if (t instanceof DataType.Decimal d) {
            fb.startTable(2);
            fb.addInt(0, d.precision(), 0);
            fb.addInt(1, d.scale(), 0);
            off = fb.endTable();
        } else if (t instanceof DataType.Duration d) {
            fb.startTable(1);
            fb.addShort(0, (short) req(d.unit(), "DataTypeDuration.unit").ordinal(), 0); // enum, not optional
            off = fb.endTable();
        } else if (t instanceof DataType.List l) {
            U item = dataType(req(l.itemType(), "DataTypeList.itemType"));
            fb.startTable(3);
            addUnion(0, item);
            optLong(2, l.fixedLength());
            off = fb.endTable();
        } else if (t instanceof DataType.Map m) {
            U key = dataType(req(m.keyType(), "DataTypeMap.keyType"));
            U value = dataType(req(m.valueType(), "DataTypeMap.valueType"));
            fb.startTable(5);
            addUnion(0, key);
            addUnion(2, value);
            if (m.keysSorted() != null) {
                fb.addBoolean(m.keysSorted()); // optional bool: written even when false
                fb.slot(4);
            }
            off = fb.endTable();
        } else if (t instanceof DataType.Option o) {
            U inner = dataType(req(o.inner(), "DataTypeOption.inner"));
            fb.startTable(2);
            addUnion(0, inner);
            off = fb.endTable();
        } else if (t instanceof DataType.Struct s) {
            int fields = tables(req(s.fields(), "DataTypeStruct.fields"), this::dataField);
            fb.startTable(1);
            fb.addOffset(0, fields, 0);
            off = fb.endTable();
        } else if (t instanceof DataType.Time tm) {
            fb.startTable(1);
            if (tm.unit() != null) optShort(0, tm.unit().ordinal());
            off = fb.endTable();
        } else if (t instanceof DataType.Timestamp ts) {
            int tz = str(ts.timezone());
            fb.startTable(2);
            if (ts.unit() != null) optShort(0, ts.unit().ordinal());
            fb.addOffset(1, tz, 0);
            off = fb.endTable();
        } else {
            off = emptyTable(); // Bool, Date, Float*, Int*, UInt*, Null, String have no fields
        }
        return new U(tag, off);
    }

    private U fetchStep(FetchStep f) {
        if (f instanceof FetchStep.Url u) {
            int url = fb.createString(req(u.url(), "FetchStepUrl.url"));
            U eventTime = u.eventTime() == null ? null : eventTimeSource(u.eventTime());
            U cache = u.cache() == null ? null : sourceCaching(u.cache());
            int headers = u.headers() == null ? 0 : tables(u.headers(), h -> {
                int name = fb.createString(req(h.name(), "RequestHeader.name"));
                int value = fb.createString(req(h.value(), "RequestHeader.value"));
                fb.startTable(2);
                fb.addOffset(0, name, 0);
                fb.addOffset(1, value, 0);
                return fb.endTable();
            });
            fb.startTable(6);
            fb.addOffset(0, url, 0);
            addUnion(1, eventTime);
            addUnion(3, cache);
            fb.addOffset(5, headers, 0);
            return new U(1, fb.endTable());
        } else if (f instanceof FetchStep.FilesGlob g) {
            int path = fb.createString(req(g.path(), "FetchStepFilesGlob.path"));
            U eventTime = g.eventTime() == null ? null : eventTimeSource(g.eventTime());
            U cache = g.cache() == null ? null : sourceCaching(g.cache());
            fb.startTable(6);
            fb.addOffset(0, path, 0);
            addUnion(1, eventTime);
            addUnion(3, cache);
            if (g.order() != null) optInt(5, g.order().ordinal());
            return new U(2, fb.endTable());
        } else if (f instanceof FetchStep.Container c) {
            int image = fb.createString(req(c.image(), "FetchStepContainer.image"));
            int command = c.command() == null ? 0 : strings(c.command());
            int args = c.args() == null ? 0 : strings(c.args());
            int env = c.env() == null ? 0 : tables(c.env(), v -> {
                int name = fb.createString(req(v.name(), "EnvVar.name"));
                int value = str(v.value());
                fb.startTable(2);
                fb.addOffset(0, name, 0);
                fb.addOffset(1, value, 0);
                return fb.endTable();
            });
            fb.startTable(4);
            fb.addOffset(0, image, 0);
            fb.addOffset(1, command, 0);
            fb.addOffset(2, args, 0);
            fb.addOffset(3, env, 0);
            return new U(3, fb.endTable());
        } else if (f instanceof FetchStep.Mqtt m) {
            int host = fb.createString(req(m.host(), "FetchStepMqtt.host"));
            int username = str(m.username());
            int password = str(m.password());
            int topics = tables(req(m.topics(), "FetchStepMqtt.topics"), t -> {
                int path = fb.createString(req(t.path(), "MqttTopicSubscription.path"));
                fb.startTable(2);
                fb.addOffset(0, path, 0);
                if (t.qos() != null) optInt(1, t.qos().ordinal());
                return fb.endTable();
            });
            fb.startTable(5);
            fb.addOffset(0, host, 0);
            fb.addInt(1, m.port(), 0); // plain int32 (not optional): omitted when 0
            fb.addOffset(2, username, 0);
            fb.addOffset(3, password, 0);
            fb.addOffset(4, topics, 0);
            return new U(4, fb.endTable());
        } else if (f instanceof FetchStep.EthereumLogs e) {
            int nodeUrl = str(e.nodeUrl());
            int filter = str(e.filter());
            int signature = str(e.signature());
            fb.startTable(4);
            optLong(0, e.chainId());
            fb.addOffset(1, nodeUrl, 0);
            fb.addOffset(2, filter, 0);
            fb.addOffset(3, signature, 0);
            return new U(5, fb.endTable());
        }
        throw new IllegalArgumentException("unknown fetch step " + f);
    }

    private U eventTimeSource(EventTimeSource e) {
        if (e instanceof EventTimeSource.FromMetadata) return new U(1, emptyTable());
        if (e instanceof EventTimeSource.FromPath p) {
            int pattern = fb.createString(req(p.pattern(), "EventTimeSourceFromPath.pattern"));
            int format = str(p.timestampFormat());
            fb.startTable(2);
            fb.addOffset(0, pattern, 0);
            fb.addOffset(1, format, 0);
            return new U(2, fb.endTable());
        }
        if (e instanceof EventTimeSource.FromSystemTime) return new U(3, emptyTable());
        throw new IllegalArgumentException("unknown event time source " + e);
    }

    private U sourceCaching(SourceCaching c) {
        if (c instanceof SourceCaching.Forever) return new U(1, emptyTable());
        throw new IllegalArgumentException("unknown source caching " + c);
    }

    private U prepStep(PrepStep p) {
        if (p instanceof PrepStep.Decompress d) {
            int subPath = str(d.subPath());
            fb.startTable(2);
            fb.addInt(0, req(d.format(), "PrepStepDecompress.format").ordinal(), 0); // enum: Gzip (0) omitted
            fb.addOffset(1, subPath, 0);
            return new U(1, fb.endTable());
        }
        if (p instanceof PrepStep.Pipe pipe) {
            int command = strings(req(pipe.command(), "PrepStepPipe.command"));
            fb.startTable(1);
            fb.addOffset(0, command, 0);
            return new U(2, fb.endTable());
        }
        throw new IllegalArgumentException("unknown prep step " + p);
    }

    private U readStep(ReadStep r) {
        // Schema field order differs per reader (e.g. Json has sub_path before ddl_schema); schema is last.
        if (r instanceof ReadStep.Csv c) {
            int ddl = optStrings(c.ddlSchema());
            int separator = str(c.separator());
            int encoding = str(c.encoding());
            int quote = str(c.quote());
            int escape = str(c.escape());
            int nullValue = str(c.nullValue());
            int dateFormat = str(c.dateFormat());
            int timestampFormat = str(c.timestampFormat());
            int schema = c.schema() == null ? 0 : dataSchema(c.schema());
            fb.startTable(11);
            fb.addOffset(0, ddl, 0);
            fb.addOffset(1, separator, 0);
            fb.addOffset(2, encoding, 0);
            fb.addOffset(3, quote, 0);
            fb.addOffset(4, escape, 0);
            optBool(5, c.header());
            optBool(6, c.inferSchema());
            fb.addOffset(7, nullValue, 0);
            fb.addOffset(8, dateFormat, 0);
            fb.addOffset(9, timestampFormat, 0);
            fb.addOffset(10, schema, 0);
            return new U(1, fb.endTable());
        } else if (r instanceof ReadStep.GeoJson g) {
            return new U(2, ddlAndSchema(g.ddlSchema(), g.schema()));
        } else if (r instanceof ReadStep.EsriShapefile e) {
            int ddl = optStrings(e.ddlSchema());
            int subPath = str(e.subPath());
            int schema = e.schema() == null ? 0 : dataSchema(e.schema());
            fb.startTable(3);
            fb.addOffset(0, ddl, 0);
            fb.addOffset(1, subPath, 0);
            fb.addOffset(2, schema, 0);
            return new U(3, fb.endTable());
        } else if (r instanceof ReadStep.Parquet p) {
            return new U(4, ddlAndSchema(p.ddlSchema(), p.schema()));
        } else if (r instanceof ReadStep.Json j) {
            int subPath = str(j.subPath());
            int ddl = optStrings(j.ddlSchema());
            int dateFormat = str(j.dateFormat());
            int encoding = str(j.encoding());
            int timestampFormat = str(j.timestampFormat());
            int schema = j.schema() == null ? 0 : dataSchema(j.schema());
            fb.startTable(6);
            fb.addOffset(0, subPath, 0);
            fb.addOffset(1, ddl, 0);
            fb.addOffset(2, dateFormat, 0);
            fb.addOffset(3, encoding, 0);
            fb.addOffset(4, timestampFormat, 0);
            fb.addOffset(5, schema, 0);
            return new U(5, fb.endTable());
        } else if (r instanceof ReadStep.NdJson j) {
            int ddl = optStrings(j.ddlSchema());
            int dateFormat = str(j.dateFormat());
            int encoding = str(j.encoding());
            int timestampFormat = str(j.timestampFormat());
            int schema = j.schema() == null ? 0 : dataSchema(j.schema());
            fb.startTable(5);
            fb.addOffset(0, ddl, 0);
            fb.addOffset(1, dateFormat, 0);
            fb.addOffset(2, encoding, 0);
            fb.addOffset(3, timestampFormat, 0);
            fb.addOffset(4, schema, 0);
            return new U(6, fb.endTable());
        } else if (r instanceof ReadStep.NdGeoJson g) {
            return new U(7, ddlAndSchema(g.ddlSchema(), g.schema()));
        }
        throw new IllegalArgumentException("unknown read step " + r);
    }

    /** GeoJson, Parquet, NdGeoJson: {ddl_schema: [string], schema: DataSchema}. */
    private int ddlAndSchema(List<String> ddlSchema, DataSchema schema) {
        int ddl = optStrings(ddlSchema);
        int s = schema == null ? 0 : dataSchema(schema);
        fb.startTable(2);
        fb.addOffset(0, ddl, 0);
        fb.addOffset(1, s, 0);
        return fb.endTable();
    }

    private U transform(Transform t) {
        if (t instanceof Transform.Sql sql) {
            int engine = fb.createString(req(sql.engine(), "TransformSql.engine"));
            int version = str(sql.version());
            int query = str(sql.query());
            int queries = sql.queries() == null ? 0 : tables(sql.queries(), q -> {
                int alias = str(q.alias());
                int text = fb.createString(req(q.query(), "SqlQueryStep.query"));
                fb.startTable(2);
                fb.addOffset(0, alias, 0);
                fb.addOffset(1, text, 0);
                return fb.endTable();
            });
            int temporalTables = sql.temporalTables() == null ? 0 : tables(sql.temporalTables(), tt -> {
                int name = fb.createString(req(tt.name(), "TemporalTable.name"));
                int pk = strings(req(tt.primaryKey(), "TemporalTable.primaryKey"));
                fb.startTable(2);
                fb.addOffset(0, name, 0);
                fb.addOffset(1, pk, 0);
                return fb.endTable();
            });
            fb.startTable(5);
            fb.addOffset(0, engine, 0);
            fb.addOffset(1, version, 0);
            fb.addOffset(2, query, 0);
            fb.addOffset(3, queries, 0);
            fb.addOffset(4, temporalTables, 0);
            return new U(1, fb.endTable());
        }
        throw new IllegalArgumentException("unknown transform " + t);
    }

    private U mergeStrategy(MergeStrategy m) {
        if (m instanceof MergeStrategy.Append) return new U(1, emptyTable());
        if (m instanceof MergeStrategy.Ledger l) return new U(2, primaryKeyOnly(l.primaryKey()));
        if (m instanceof MergeStrategy.Snapshot s) {
            int pk = strings(req(s.primaryKey(), "MergeStrategySnapshot.primaryKey"));
            int compare = optStrings(s.compareColumns());
            fb.startTable(2);
            fb.addOffset(0, pk, 0);
            fb.addOffset(1, compare, 0);
            return new U(3, fb.endTable());
        }
        if (m instanceof MergeStrategy.ChangelogStream c) return new U(4, primaryKeyOnly(c.primaryKey()));
        if (m instanceof MergeStrategy.UpsertStream u) return new U(5, primaryKeyOnly(u.primaryKey()));
        throw new IllegalArgumentException("unknown merge strategy " + m);
    }

    private int primaryKeyOnly(List<String> primaryKey) {
        int pk = strings(req(primaryKey, "MergeStrategy.primaryKey"));
        fb.startTable(1);
        fb.addOffset(0, pk, 0);
        return fb.endTable();
    }

    // ---------------------------------------------------------------------------------------------------
    // Helpers

    /**
     * Timestamp struct {year: int32, ordinal: uint16, seconds_from_midnight: uint32, nanoseconds: uint32},
     * 16 bytes, 4-aligned (manifest v3). Built back to front, inline in the table being built.
     */
    private int timestamp(Instant t) {
        OffsetDateTime dt = t.atOffset(ZoneOffset.UTC);
        fb.prep(4, 16);
        fb.putInt(dt.getNano());
        fb.putInt(dt.toLocalTime().toSecondOfDay());
        fb.pad(2);
        fb.putShort((short) dt.getDayOfYear());
        fb.putInt(dt.getYear());
        return fb.offset();
    }

    private int emptyTable() {
        fb.startTable(0);
        return fb.endTable();
    }

    private void addUnion(int typeSlot, U u) {
        if (u == null) return;
        fb.addByte(typeSlot, (byte) u.type(), 0);
        fb.addOffset(typeSlot + 1, u.offset(), 0);
    }

    /**
     * Optional ({@code = null}) uint64: Rust's push_slot_always writes it whenever present, including 0.
     * {@code addLong(slot, v, 0)} would silently drop a 0, so the value and slot are written explicitly.
     */
    private void optLong(int slot, Long v) {
        if (v == null) return;
        fb.addLong(v);
        fb.slot(slot);
    }

    /** Optional int32 enum (SourceOrdering, MqttQos): present even when it is the first member. */
    private void optInt(int slot, int v) {
        fb.addInt(v);
        fb.slot(slot);
    }

    /** Optional int16 enum (TimeUnit of Time/Timestamp): present even when Second (0). */
    private void optShort(int slot, int v) {
        fb.addShort((short) v);
        fb.slot(slot);
    }

    /** Optional bool: present even when false. */
    private void optBool(int slot, Boolean v) {
        if (v == null) return;
        fb.addBoolean(v);
        fb.slot(slot);
    }

    private int hash(Multihash h) {
        return h == null ? 0 : fb.createByteVector(h.toBytes());
    }

    private int str(String s) {
        return s == null ? 0 : fb.createString(s);
    }

    private int optStrings(List<String> l) {
        return l == null ? 0 : strings(l);
    }

    /** Strings created first to last, then the offset vector (filled back to front). */
    private int strings(List<String> l) {
        int[] offs = new int[l.size()];
        for (int i = 0; i < offs.length; i++) offs[i] = fb.createString(req(l.get(i), "string list element"));
        return offsetVector(offs);
    }

    /** Child tables created first to last, then the offset vector. */
    private <T> int tables(List<T> l, ToIntFunction<T> build) {
        int[] offs = new int[l.size()];
        for (int i = 0; i < offs.length; i++) offs[i] = build.applyAsInt(req(l.get(i), "list element"));
        return offsetVector(offs);
    }

    private int offsetVector(int[] offs) {
        fb.startVector(4, offs.length, 4);
        for (int i = offs.length - 1; i >= 0; i--) fb.addOffset(offs[i]);
        return fb.endVector();
    }

    private static <T> T req(T v, String what) {
        if (v == null) throw new IllegalArgumentException(what + " is required");
        return v;
    }
}
