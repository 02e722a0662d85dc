package dev.sluice.transform;

import dev.sluice.odf.DatasetId;
import dev.sluice.odf.Multihash;

/**
 * An input's chain no longer contains the block the derivative last consumed: the input's history was rewritten
 * (compaction, a reset). The derivative cannot follow it incrementally; {@link TransformService#reset} it and transform
 * again to recompute it from the input's new history.
 */
public class InputBreakingChangeException extends TransformException {
    private final String dataset;
    private final DatasetId input;
    private final Multihash lastConsumed;

    public InputBreakingChangeException(String dataset, String inputAlias, DatasetId input, Multihash lastConsumed) {
        super("input '" + inputAlias + "' of '" + dataset + "' no longer contains block " + lastConsumed
                + ", which '" + dataset + "' last consumed: the input's history was rewritten (e.g. by compaction); reset '"
                + dataset + "' and transform it again to recompute it");
        this.dataset = dataset;
        this.input = input;
        this.lastConsumed = lastConsumed;
    }

    public String dataset() {
        return dataset;
    }

    public DatasetId input() {
        return input;
    }

    public Multihash lastConsumed() {
        return lastConsumed;
    }
}
