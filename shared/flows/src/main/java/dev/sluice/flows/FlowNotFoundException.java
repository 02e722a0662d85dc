package dev.sluice.flows;

/** No flow of that type is configured for the dataset. */
public class FlowNotFoundException extends RuntimeException {
    public FlowNotFoundException(String datasetId, FlowType type) {
        super("dataset " + datasetId + " has no " + type.label() + " flow");
    }
}
