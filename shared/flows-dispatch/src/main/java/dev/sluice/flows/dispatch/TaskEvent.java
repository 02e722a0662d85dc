package dev.sluice.flows.dispatch;

import dev.sluice.flows.DispatchedTask;
import dev.sluice.flows.FlowType;
import java.util.Locale;

/**
 * The {@value #TYPE} event a cloud dispatcher sends: its data is {@code {"taskId", "datasetId", "flowType"}} (what the
 * {@code run-task} function takes), and as a CloudEvent it also carries the extension attributes {@value #FLOW_TYPE}
 * (the flow type in lower case — Knative Triggers route on it) and {@value #DATASET}.
 */
public final class TaskEvent {
    public static final String TYPE = "dev.sluice.task.queued";
    /** CloudEvent extension attribute: {@code ingest}, {@code transform}, {@code reset} or {@code compaction}. */
    public static final String FLOW_TYPE = "flowtype";
    /** CloudEvent extension attribute: the dataset's DID. */
    public static final String DATASET = "dataset";

    private TaskEvent() {}

    public static String flowTypeAttribute(FlowType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }

    /** The event data as JSON. */
    public static String data(DispatchedTask task) {
        StringBuilder b = new StringBuilder("{\"taskId\":");
        quote(b, task.taskId());
        b.append(",\"datasetId\":");
        if (task.datasetId() == null) b.append("null"); else quote(b, task.datasetId());
        b.append(",\"flowType\":");
        quote(b, task.flowType().name());
        return b.append('}').toString();
    }

    static StringBuilder quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c)); else b.append(c);
                }
            }
        }
        return b.append('"');
    }
}
