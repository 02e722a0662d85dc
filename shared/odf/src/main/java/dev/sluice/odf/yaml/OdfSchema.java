package dev.sluice.odf.yaml;

import dev.sluice.odf.*;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The only per-type knowledge the reflective mapper needs: which record fields ODF requires (primitive
 * components are always required) and how unions are named in messages. Field names, order and types come
 * from the model records themselves.
 */
final class OdfSchema {
    private OdfSchema() {}

    private static final Map<Class<?>, Set<String>> REQUIRED = Map.ofEntries(
            Map.entry(MetadataBlock.class, Set.of("systemTime", "event")),
            Map.entry(DatasetSnapshot.class, Set.of("name", "kind", "metadata")),
            Map.entry(MetadataEvent.ExecuteTransform.class, Set.of("queryInputs")),
            Map.entry(MetadataEvent.Seed.class, Set.of("datasetId", "datasetKind")),
            Map.entry(MetadataEvent.SetPollingSource.class, Set.of("fetch", "read", "merge")),
            Map.entry(MetadataEvent.SetTransform.class, Set.of("inputs", "transform")),
            Map.entry(MetadataEvent.SetAttachments.class, Set.of("attachments")),
            Map.entry(MetadataEvent.SetLicense.class, Set.of("shortName", "name", "websiteUrl")),
            Map.entry(MetadataEvent.AddPushSource.class, Set.of("sourceName", "read", "merge")),
            Map.entry(MetadataEvent.DisablePushSource.class, Set.of("sourceName")),
            Map.entry(ExecuteTransformInput.class, Set.of("datasetId")),
            Map.entry(DataSlice.class, Set.of("logicalHash", "physicalHash", "offsetInterval")),
            Map.entry(Checkpoint.class, Set.of("physicalHash")),
            Map.entry(SourceState.class, Set.of("sourceName", "kind", "value")),
            Map.entry(Attachments.Embedded.class, Set.of("items")),
            Map.entry(Attachments.AttachmentEmbedded.class, Set.of("path", "content")),
            Map.entry(DataSchema.class, Set.of("fields")),
            Map.entry(DataField.class, Set.of("name", "type")),
            Map.entry(DataType.Duration.class, Set.of("unit")),
            Map.entry(DataType.List.class, Set.of("itemType")),
            Map.entry(DataType.Map.class, Set.of("keyType", "valueType")),
            Map.entry(DataType.Option.class, Set.of("inner")),
            Map.entry(DataType.Struct.class, Set.of("fields")),
            Map.entry(FetchStep.Url.class, Set.of("url")),
            Map.entry(FetchStep.FilesGlob.class, Set.of("path")),
            Map.entry(FetchStep.Container.class, Set.of("image")),
            Map.entry(FetchStep.Mqtt.class, Set.of("host", "topics")),
            Map.entry(FetchStep.RequestHeader.class, Set.of("name", "value")),
            Map.entry(FetchStep.EnvVar.class, Set.of("name")),
            Map.entry(FetchStep.MqttTopicSubscription.class, Set.of("path")),
            Map.entry(EventTimeSource.FromPath.class, Set.of("pattern")),
            Map.entry(PrepStep.Decompress.class, Set.of("format")),
            Map.entry(PrepStep.Pipe.class, Set.of("command")),
            Map.entry(MergeStrategy.Ledger.class, Set.of("primaryKey")),
            Map.entry(MergeStrategy.Snapshot.class, Set.of("primaryKey")),
            Map.entry(MergeStrategy.ChangelogStream.class, Set.of("primaryKey")),
            Map.entry(MergeStrategy.UpsertStream.class, Set.of("primaryKey")),
            Map.entry(Transform.Sql.class, Set.of("engine")),
            Map.entry(Transform.SqlQueryStep.class, Set.of("query")),
            Map.entry(Transform.TemporalTable.class, Set.of("name", "primaryKey")),
            Map.entry(TransformInput.class, Set.of("datasetRef")));

    private static final Map<Class<?>, Map<String, Class<?>>> UNION_MEMBERS = new ConcurrentHashMap<>();

    static boolean required(Class<?> record, String field) {
        return REQUIRED.getOrDefault(record, Set.of()).contains(field);
    }

    /** Members of a sealed union keyed by lower-cased kind name (kind tags are case-insensitive). */
    static Map<String, Class<?>> members(Class<?> union) {
        return UNION_MEMBERS.computeIfAbsent(union, u -> {
            Map<String, Class<?>> m = new java.util.LinkedHashMap<>();
            for (Class<?> c : u.getPermittedSubclasses()) m.put(c.getSimpleName().toLowerCase(Locale.ROOT), c);
            return Map.copyOf(m);
        });
    }

    /** The sealed union a record is a member of, or null (then it is written without a {@code kind} tag). */
    static Class<?> unionOf(Class<?> record) {
        for (Class<?> i : record.getInterfaces()) if (i.isSealed()) return i;
        return null;
    }

    /** "ReadStep" → "read step"; MetadataEvent is just "event". */
    static String label(Class<?> type) {
        if (type == MetadataEvent.class) return "event";
        return type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }
}
