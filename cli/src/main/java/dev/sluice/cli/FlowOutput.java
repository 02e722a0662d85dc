package dev.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How the flows, tasks and trigger commands print flow and task documents: tables, task details, or JSON. */
final class FlowOutput {
    enum Format { table, json }

    private static final ObjectMapper JSON = new ObjectMapper();

    private FlowOutput() {}

    static void json(JsonNode document) {
        try {
            System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final List<String> FLOW_HEADER = List.of("TYPE", "STATUS", "TRIGGER", "RETRY", "STOP", "PRIORITY", "NEXT DUE", "LAST OUTCOME");

    static void flows(Iterable<JsonNode> flows) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode f : flows) {
            JsonNode c = f.path("config");
            JsonNode last = f.path("lastTask");
            String status = f.path("status").asText();
            if (!f.path("pausedReason").isNull() && f.has("pausedReason")) status += " (" + f.path("pausedReason").asText() + ")";
            rows.add(List.of(f.path("type").asText(), status, trigger(c.path("trigger")), retry(c.path("retry")),
                    c.path("stop").isObject() ? "after " + c.path("stop").path("afterConsecutiveFailures").asInt() : "-",
                    c.path("priority").asText("0"), time(f.path("nextDueAt")),
                    last.isObject() ? text(last.path("outcome"), last.path("status").asText()) : "-"));
        }
        Table.print(FLOW_HEADER, rows);
    }

    /** {@code every 1h}, {@code cron 0 * * * *}, {@code reactive (10 records or 10m)}, {@code manual}. */
    static String trigger(JsonNode t) {
        if (t == null || !t.isObject()) return "manual";
        if (t.has("every")) return "every " + duration(t.path("every").asText());
        if (t.has("cron")) return "cron " + t.path("cron").asText();
        JsonNode r = t.path("reactive");
        String wait = duration(r.path("maxWait").asText("PT0S"));
        long min = r.path("minRecords").asLong(1);
        return min <= 1 && wait.equals("0s") ? "reactive (immediate)" : "reactive (" + min + " records or " + wait + ")";
    }

    /** {@code 3 attempts/1m exponential}: attempts (the first included), first delay, backoff; {@code -} for none. */
    static String retry(JsonNode r) {
        if (r == null || !r.isObject()) return "-";
        return r.path("maxAttempts").asInt() + " attempts/" + duration(r.path("minDelay").asText("PT0S")) + " "
                + r.path("backoff").asText("Fixed").toLowerCase(Locale.ROOT);
    }

    /** An ISO-8601 duration as {@code 1h30m}, {@code 90s} → {@code 1m30s}, {@code 2d}. */
    static String duration(String iso) {
        Duration d;
        try {
            d = Duration.parse(iso);
        } catch (DateTimeParseException e) {
            return iso;
        }
        if (d.isZero()) return "0s";
        StringBuilder sb = new StringBuilder();
        if (d.toDays() > 0) sb.append(d.toDays()).append('d');
        if (d.toHoursPart() > 0) sb.append(d.toHoursPart()).append('h');
        if (d.toMinutesPart() > 0) sb.append(d.toMinutesPart()).append('m');
        if (d.toSecondsPart() > 0 || d.toMillisPart() > 0) {
            sb.append(d.toSecondsPart());
            if (d.toMillisPart() > 0) sb.append('.').append(String.format("%03d", d.toMillisPart()));
            sb.append('s');
        }
        return sb.toString();
    }

    /** An instant to the second, or {@code -}. */
    static String time(JsonNode t) {
        if (t == null || t.isNull() || t.isMissingNode()) return "-";
        try {
            return Instant.parse(t.asText()).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return t.asText();
        }
    }

    private static String text(JsonNode v, String dflt) {
        return v == null || v.isNull() || v.isMissingNode() ? dflt : v.asText();
    }

    static final List<String> TASK_HEADER = List.of("ID", "DATASET", "TYPE", "STATUS", "ATTEMPT", "CAUSE", "CREATED", "STARTED",
            "FINISHED", "OUTCOME");

    static void tasks(JsonNode tasks) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode t : tasks.path("tasks")) {
            rows.add(List.of(t.path("taskId").asText(), text(t.path("dataset"), t.path("datasetId").asText()), t.path("type").asText(),
                    t.path("status").asText(), t.path("attempt").asText(), t.path("cause").asText("-"), time(t.path("createdAt")),
                    time(t.path("startedAt")), time(t.path("finishedAt")), outcome(t)));
        }
        Table.print(TASK_HEADER, rows);
    }

    /** The outcome, else the error, else {@code -}. */
    static String outcome(JsonNode task) {
        return text(task.path("outcome"), text(task.path("error"), "-"));
    }

    /** One task, field by field, then its log. */
    static void task(JsonNode t) {
        String cause = t.path("cause").asText("-") + (t.path("causeDetail").isTextual() ? " (" + t.path("causeDetail").asText() + ")" : "");
        List<List<String>> fields = List.of(
                List.of("task", t.path("taskId").asText()),
                List.of("dataset", text(t.path("dataset"), t.path("datasetId").asText())),
                List.of("flow", t.path("type").asText() + " (" + t.path("kamuType").asText() + ")"),
                List.of("status", t.path("status").asText()),
                List.of("cause", cause),
                List.of("priority", t.path("priority").asText()),
                List.of("attempt", t.path("attempt").asText()),
                List.of("created", time(t.path("createdAt"))),
                List.of("started", time(t.path("startedAt"))),
                List.of("finished", time(t.path("finishedAt"))),
                List.of("outcome", text(t.path("outcome"), "-")),
                List.of("error", text(t.path("error"), "-")),
                List.of("new records", text(t.path("newRecords"), "-")));
        for (List<String> f : fields) System.out.printf("%-12s %s%n", f.get(0), f.get(1).replaceAll("\\p{Cntrl}", " "));
        System.out.println("log:");
        for (JsonNode line : t.path("log")) System.out.println("  " + line.asText().replaceAll("\\p{Cntrl}", " "));
    }
}
