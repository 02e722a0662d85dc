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
 * @param schemaFile         a Parquet file (possibly empty) carrying the input's current schema, for inputs with no data
 *                           yet; null if the input has no schema at all
 * @param explicitWatermarks watermarks of the input's blocks in this step (each block's system time and watermark),
 *                           so micro-batching is reproducible; for an input with no new block, its watermark as of the
 *                           last block already consumed (if it has one), so an engine can take the minimum over inputs
 *                           without keeping watermarks in its checkpoint
 * @param priorDataPaths     Sluice extension: the input's slices consumed by earlier steps, in offset order — passed only
 *                           to engines that {@link Engine#recomputes recompute} over each input's whole history (so
 *                           a checkpoint need not hold another copy of every input); empty otherwise
 */
public record TransformRequestInput(
        DatasetId datasetId,
        String datasetAlias,
        String queryAlias,
        DatasetVocabulary vocab,
        OffsetInterval offsetInterval,
        List<Path> dataPaths,
        Path schemaFile,
        List<Watermark> explicitWatermarks,
        List<Path> priorDataPaths) {
    public TransformRequestInput {
        dataPaths = List.copyOf(dataPaths);
        explicitWatermarks = List.copyOf(explicitWatermarks);
        priorDataPaths = priorDataPaths == null ? List.of() : List.copyOf(priorDataPaths);
    }

    /** The ODF form: new data only. */
    public TransformRequestInput(DatasetId datasetId, String datasetAlias, String queryAlias, DatasetVocabulary vocab,
            OffsetInterval offsetInterval, List<Path> dataPaths, Path schemaFile, List<Watermark> explicitWatermarks) {
        this(datasetId, datasetAlias, queryAlias, vocab, offsetInterval, dataPaths, schemaFile, explicitWatermarks, List.of());
    }
}
