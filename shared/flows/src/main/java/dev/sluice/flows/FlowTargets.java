package dev.sluice.flows;

import dev.sluice.odf.DatasetKind;

/**
 * Which flow types suit a dataset: an ingest flow polls a root dataset's polling source (a root fed only by pushes has
 * nothing to poll), a transform flow runs a derivative's transform; compaction and reset apply to any dataset (their
 * executors check the details). Checked before a flow is configured or triggered, so a mistake is a 400 that changes
 * nothing rather than a task that fails later.
 */
public final class FlowTargets {
    private FlowTargets() {}

    /** Rejects a flow type that cannot run on the dataset. */
    public static void check(FlowType type, String alias, DatasetKind kind, boolean pollingSource) {
        switch (type) {
            case INGEST -> {
                if (kind == DatasetKind.Derivative) {
                    throw new FlowConfigException(alias + " is a derivative dataset: ingest flows poll a root dataset's source"
                            + " (a derivative has a transform flow)");
                }
                if (!pollingSource) {
                    throw new FlowConfigException(alias + " has no polling source (SetPollingSource), so an ingest flow has nothing"
                            + " to poll; data reaches it by push");
                }
            }
            case TRANSFORM -> {
                if (kind == DatasetKind.Root) {
                    throw new FlowConfigException(alias + " is a root dataset: transform flows run a derivative dataset's transform");
                }
            }
            case COMPACTION, RESET -> { }
        }
    }

    /** The flow a request without a type means: ingest for a root with a polling source, transform for a derivative; else null. */
    public static FlowType defaultType(DatasetKind kind, boolean pollingSource) {
        if (kind == DatasetKind.Derivative) return FlowType.TRANSFORM;
        return pollingSource ? FlowType.INGEST : null;
    }

    /** {@link #defaultType}, or a {@link FlowConfigException} saying why there is none. */
    public static FlowType requireDefaultType(String alias, DatasetKind kind, boolean pollingSource) {
        FlowType t = defaultType(kind, pollingSource);
        if (t == null) {
            throw new FlowConfigException(alias + " is a root dataset without a polling source, so it has no default flow type;"
                    + " name one (compaction or reset)");
        }
        return t;
    }
}
