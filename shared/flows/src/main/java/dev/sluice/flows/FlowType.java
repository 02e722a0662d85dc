package dev.sluice.flows;

import java.util.Locale;

/** The kinds of flow a dataset can have, with kamu's flow type ids (kamu-cli {@code src/domain/flow-system}). */
public enum FlowType {
    /** Polling ingest of a root dataset. */
    INGEST("dev.kamu.flow.dataset.ingest"),
    /** Running the transform of a derivative dataset over new input data. */
    TRANSFORM("dev.kamu.flow.dataset.transform"),
    /** Hard compaction: merges small slices and rewrites the chain. */
    COMPACTION("dev.kamu.flow.dataset.compact"),
    /** Reset of a dataset to an earlier head (or to its metadata). */
    RESET("dev.kamu.flow.dataset.reset");

    private final String kamuId;

    FlowType(String kamuId) {
        this.kamuId = kamuId;
    }

    public String kamuId() {
        return kamuId;
    }

    /** Accepts the enum name in any case ({@code ingest}) or kamu's id ({@code dev.kamu.flow.dataset.ingest}). */
    public static FlowType parse(String s) {
        if (s != null) {
            for (FlowType t : values()) {
                if (t.name().equalsIgnoreCase(s.strip()) || t.kamuId.equals(s.strip())) return t;
            }
            if (s.strip().equalsIgnoreCase("compact")) return COMPACTION;
        }
        throw new FlowConfigException("unknown flow type '" + s + "' (expected one of ingest, transform, compaction, reset)");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
