package dev.sluice.engine;

import dev.sluice.odf.DatasetId;
import dev.sluice.odf.DatasetVocabulary;
import dev.sluice.odf.Transform;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * ODF {@code TransformRequest}: compute the next slice of {@code datasetId} from the new data of each input.
 *
 * @param systemTime         the system time to stamp on every output row (fixed by the coordinator, for reproducibility)
 * @param queryInputs        one entry per input of the SetTransform, in its order
 * @param nextOffset         offset of the first output row
 * @param prevCheckpointPath previous checkpoint of this dataset, or null on the first run
 * @param newCheckpointPath  where the engine writes its next checkpoint (it may write none if it keeps no state)
 * @param newDataPath        where the engine writes the output Parquet slice (it writes none if there is no new row)
 */
public record TransformRequest(
        DatasetId datasetId,
        String datasetAlias,
        Instant systemTime,
        DatasetVocabulary vocab,
        Transform.Sql transform,
        List<TransformRequestInput> queryInputs,
        long nextOffset,
        Path prevCheckpointPath,
        Path newCheckpointPath,
        Path newDataPath) {
    public TransformRequest {
        queryInputs = List.copyOf(queryInputs);
    }
}
