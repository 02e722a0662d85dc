package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.flows.FlowTargets;
import dev.sluice.flows.FlowType;
import dev.sluice.odf.DatasetKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "flows", mixinStandardHelpOptions = true,
        description = {"Show a dataset's flows (type, status, trigger, policies, next due, last outcome), or configure, pause and resume one.",
                "Flow types: ingest (polls a root dataset's source), transform (runs a derivative's query), compaction, reset.",
                "Without --type a change applies to the dataset's default flow: ingest for a root with a polling source, transform for a derivative.",
                "A change keeps what it does not mention: `--every 1h` replaces the trigger and leaves retry, stop policy and priority as they are.",
                "Works on the workspace's state store, or on a node with --node URL (while a node runs on the workspace, use --node)."})
final class FlowsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin WorkspaceOptions ws;
    @Mixin NodeOptions node;
    @Mixin StateOptions state;

    @Parameters(paramLabel = "DATASET", description = "Dataset alias (kamu/name or name).")
    String dataset;

    @Option(names = "--type", paramLabel = "TYPE", converter = FlowTypeConverter.class,
            description = "ingest, transform, compaction or reset (or kamu's id, e.g. dev.kamu.flow.dataset.ingest).")
    FlowType type;

    @ArgGroup(exclusive = true)
    TriggerChoice trigger;

    static final class TriggerChoice {
        @Option(names = "--every", paramLabel = "DURATION", description = "Run every DURATION (e.g. 1h, 30m, 1d, PT6H); the first run is due at once.")
        String every;

        @Option(names = "--cron", paramLabel = "EXPR", description = "Run on a 5-field cron schedule in UTC (e.g. \"0 */6 * * *\").")
        String cron;

        @Option(names = "--reactive", paramLabel = "MIN[/MAXWAIT]",
                description = "Transform flows: run when MIN new input records arrived, or MAXWAIT after the first of them (e.g. 100/10m).")
        String reactive;

        @Option(names = "--manual", description = "No trigger: the flow runs only when triggered (./sluice trigger).")
        boolean manual;
    }

    @Option(names = "--retry", paramLabel = "N[/DELAY]", description = "Up to N attempts (the first included; 1 = no retry), DELAY before the first retry.")
    String retry;

    @Option(names = "--backoff", paramLabel = "KIND", description = "How retry delays grow: fixed, linear, exponential or exponential-with-jitter.")
    String backoff;

    @Option(names = "--stop-after", paramLabel = "N", description = "Pause the flow after N failed runs in a row (0 = never).")
    Integer stopAfter;

    @Option(names = "--priority", paramLabel = "P", description = "0..999; higher runs first when tasks wait for a slot.")
    Integer priority;

    @ArgGroup(exclusive = true)
    RunChoice run;

    static final class RunChoice {
        @Option(names = "--pause", description = "Pause the flow (a queued task is cancelled; a running one finishes).")
        boolean pause;

        @Option(names = "--resume", description = "Resume a paused flow (also one stopped by failures).")
        boolean resume;
    }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default) or json.")
    FlowOutput.Format output = FlowOutput.Format.table;

    @Override
    public Integer call() {
        boolean configures = trigger != null || retry != null || backoff != null || stopAfter != null || priority != null;
        try (FlowsApi api = FlowsApi.open(node, ws, state)) {
            JsonNode flows = api.datasetFlows(dataset);
            if (!configures && run == null) return list(flows);
            FlowType t = type != null ? type : defaultType(flows);
            JsonNode flow = null;
            if (configures) flow = api.configure(dataset, t, changed(current(flows, t)));
            if (run != null) flow = run.pause ? api.pause(dataset, t) : api.resume(dataset, t);
            show(List.of(flow));
        }
        return 0;
    }

    private int list(JsonNode doc) {
        String alias = doc.path("dataset").asText(dataset);
        List<JsonNode> flows = new ArrayList<>();
        doc.path("flows").forEach(f -> {
            if (type == null || type.label().equals(f.path("type").asText())) flows.add(f);
        });
        if (type != null && flows.isEmpty()) throw new IllegalArgumentException("dataset " + alias + " has no " + type.label() + " flow");
        if (output == FlowOutput.Format.json) {
            FlowOutput.json(type != null ? flows.get(0) : doc);
        } else if (flows.isEmpty()) {
            String dflt = doc.path("defaultType").isTextual() ? doc.path("defaultType").asText() : null;
            System.out.println("no flows for " + alias + (dflt == null ? "" : " (its default flow type is " + dflt + ")"));
        } else {
            FlowOutput.flows(flows);
        }
        return 0;
    }

    private void show(List<JsonNode> flows) {
        if (output == FlowOutput.Format.json) {
            FlowOutput.json(flows.get(0));
        } else {
            FlowOutput.flows(flows);
        }
    }

    /** The dataset's default flow type (from its flows document), or an error saying why there is none. */
    static FlowType defaultType(JsonNode flows) {
        if (flows.path("defaultType").isTextual()) return FlowType.parse(flows.path("defaultType").asText());
        try {
            return FlowTargets.requireDefaultType(flows.path("dataset").asText(), DatasetKind.valueOf(flows.path("kind").asText()),
                    flows.path("pollingSource").asBoolean());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " with --type");
        }
    }

    /** The flow's configuration as JSON (a fresh one when it has none yet). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> current(JsonNode flows, FlowType t) {
        for (JsonNode f : flows.path("flows")) {
            if (t.label().equals(f.path("type").asText())) return JSON.convertValue(f.path("config"), LinkedHashMap.class);
        }
        return new LinkedHashMap<>();
    }

    /** {@code config} with this command's changes; validation is left to the flow service (the node, or the workspace's). */
    @SuppressWarnings("unchecked")
    private Map<String, Object> changed(Map<String, Object> config) {
        if (trigger != null) {
            Map<String, Object> t = new LinkedHashMap<>();
            if (trigger.every != null) t.put("every", trigger.every);
            if (trigger.cron != null) t.put("cron", trigger.cron);
            if (trigger.reactive != null) {
                String[] parts = trigger.reactive.split("/", 2);
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("minRecords", number(parts[0]));
                if (parts.length > 1) r.put("maxWait", parts[1]);
                t.put("reactive", r);
            }
            config.put("trigger", trigger.manual ? null : t);
        }
        Map<String, Object> r = config.get("retry") instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m) : null;
        if (retry != null) {
            String[] parts = retry.split("/", 2);
            if (r == null) r = new LinkedHashMap<>();
            r.put("maxAttempts", number(parts[0]));
            if (parts.length > 1) r.put("minDelay", parts[1]);
        }
        if (backoff != null) {
            if (r == null) throw new IllegalArgumentException("--backoff needs --retry N (the flow has no retry policy)");
            r.put("backoff", backoff);
        }
        if (retry != null || backoff != null) config.put("retry", r);
        if (stopAfter != null) config.put("stop", stopAfter == 0 ? null : Map.of("afterConsecutiveFailures", stopAfter));
        if (priority != null) config.put("priority", priority);
        return config;
    }

    /** A whole number as a number; anything else as given, for the flow service to reject by name. */
    private static Object number(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return text;
        }
    }
}
