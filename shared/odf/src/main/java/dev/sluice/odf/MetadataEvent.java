package dev.sluice.odf;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * ODF metadata events (v0.38, as kamu reads and writes them). Absent optional fields are {@code null}.
 * {@link #unionTag()} is the FlatBuffers {@code MetadataEvent} union tag (schema order + 1).
 */
public sealed interface MetadataEvent {
    int unionTag();

    /** ODF event kind name, e.g. "AddData". */
    default String kind() {
        return getClass().getSimpleName();
    }

    record AddData(
            Multihash prevCheckpoint,
            Long prevOffset,
            DataSlice newData,
            Checkpoint newCheckpoint,
            Instant newWatermark,
            SourceState newSourceState,
            ExtraAttributes extra)
            implements MetadataEvent {
        public int unionTag() {
            return 1;
        }
    }

    /**
     * {@code extra} is a Sluice extension (FlatBuffers field 6, after {@code newWatermark}): ODF's ExecuteTransform has
     * no extra attributes, but readers that do not know the field skip it, so blocks without it are byte-identical to
     * kamu's and blocks with it stay readable by kamu. It records e.g. the engine and its exact build.
     */
    record ExecuteTransform(
            List<ExecuteTransformInput> queryInputs,
            Multihash prevCheckpoint,
            Long prevOffset,
            DataSlice newData,
            Checkpoint newCheckpoint,
            Instant newWatermark,
            ExtraAttributes extra)
            implements MetadataEvent {
        /** The ODF form, without extra attributes. */
        public ExecuteTransform(List<ExecuteTransformInput> queryInputs, Multihash prevCheckpoint, Long prevOffset, DataSlice newData,
                Checkpoint newCheckpoint, Instant newWatermark) {
            this(queryInputs, prevCheckpoint, prevOffset, newData, newCheckpoint, newWatermark, null);
        }

        public int unionTag() {
            return 2;
        }
    }

    record Seed(DatasetId datasetId, DatasetKind datasetKind) implements MetadataEvent {
        public int unionTag() {
            return 3;
        }
    }

    record SetPollingSource(FetchStep fetch, List<PrepStep> prepare, ReadStep read, Transform preprocess, MergeStrategy merge)
            implements MetadataEvent {
        public int unionTag() {
            return 4;
        }
    }

    record SetTransform(List<TransformInput> inputs, Transform transform) implements MetadataEvent {
        public int unionTag() {
            return 5;
        }
    }

    record SetVocab(String offsetColumn, String operationTypeColumn, String systemTimeColumn, String eventTimeColumn)
            implements MetadataEvent {
        public int unionTag() {
            return 6;
        }
    }

    record SetAttachments(Attachments attachments) implements MetadataEvent {
        public int unionTag() {
            return 7;
        }
    }

    record SetInfo(String description, List<String> keywords) implements MetadataEvent {
        public int unionTag() {
            return 8;
        }
    }

    record SetLicense(String shortName, String name, String spdxId, String websiteUrl) implements MetadataEvent {
        public int unionTag() {
            return 9;
        }
    }

    /** {@code rawArrowSchema} is the deprecated Arrow IPC flatbuffer schema (kept byte for byte). */
    record SetDataSchema(byte[] rawArrowSchema, DataSchema schema) implements MetadataEvent {
        public int unionTag() {
            return 10;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SetDataSchema s && Arrays.equals(s.rawArrowSchema, rawArrowSchema) && Objects.equals(s.schema, schema);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(rawArrowSchema) * 31 + Objects.hashCode(schema);
        }

        @Override
        public String toString() {
            return "SetDataSchema[rawArrowSchema=" + (rawArrowSchema == null ? "null" : rawArrowSchema.length + " bytes") + ", schema=" + schema + "]";
        }
    }

    record AddPushSource(String sourceName, ReadStep read, Transform preprocess, MergeStrategy merge) implements MetadataEvent {
        public int unionTag() {
            return 11;
        }
    }

    record DisablePushSource(String sourceName) implements MetadataEvent {
        public int unionTag() {
            return 12;
        }
    }

    record DisablePollingSource() implements MetadataEvent {
        public int unionTag() {
            return 13;
        }
    }
}
