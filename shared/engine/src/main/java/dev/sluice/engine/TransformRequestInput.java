package dev.sluice.engine;

import dev.sluice.odf.DatasetId;
import dev.sluice.odf.DatasetVocabulary;
import dev.sluice.odf.OffsetInterval;
import java.nio.file.Path;
import java.util.List;

/**
 * ODF {@code TransformRequestInput}: the new data of one input since the previous transform.
 *
 * @param queryAlias         the name the SQL uses for this input
 * @param offsetInterval     offsets of the new records, or null if the input has no new data
 * @param dataPaths          the Parquet slices holding exactly those records, in offset order
 * @param schemaFile         a Parquet file (possibly empty) carrying the input's current schema, for inputs with no data yet
 * @param explicitWatermarks per-block watermarks of the input, so micro-batching is reproducible
 */
public record TransformRequestInput(
        DatasetId datasetId,
        String datasetAlias,
        String queryAlias,
        DatasetVocabulary vocab,
        OffsetInterval offsetInterval,
        List<Path> dataPaths,
        Path schemaFile,
        List<Watermark> explicitWatermarks) {
    public TransformRequestInput {
        dataPaths = List.copyOf(dataPaths);
        explicitWatermarks = List.copyOf(explicitWatermarks);
    }
}
