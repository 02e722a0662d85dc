package dev.sluice.cli;

import dev.sluice.flows.FlowType;
import picocli.CommandLine.ITypeConverter;

/** {@code --type}: ingest, transform, compaction (or compact), reset, or kamu's flow type id. */
final class FlowTypeConverter implements ITypeConverter<FlowType> {
    @Override
    public FlowType convert(String value) {
        return FlowType.parse(value);
    }
}
