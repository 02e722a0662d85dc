package dev.sluice.odf;

/** Names of the system columns of a dataset. */
public record DatasetVocabulary(String offsetColumn, String operationTypeColumn, String systemTimeColumn, String eventTimeColumn) {
    public static final DatasetVocabulary DEFAULT = new DatasetVocabulary("offset", "op", "system_time", "event_time");

    /** Applies a SetVocab on top of defaults (absent fields keep their default). */
    public static DatasetVocabulary of(MetadataEvent.SetVocab v) {
        if (v == null) return DEFAULT;
        return new DatasetVocabulary(
                v.offsetColumn() != null ? v.offsetColumn() : DEFAULT.offsetColumn,
                v.operationTypeColumn() != null ? v.operationTypeColumn() : DEFAULT.operationTypeColumn,
                v.systemTimeColumn() != null ? v.systemTimeColumn() : DEFAULT.systemTimeColumn,
                v.eventTimeColumn() != null ? v.eventTimeColumn() : DEFAULT.eventTimeColumn);
    }
}
