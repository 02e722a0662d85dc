package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * flows, tasks and trigger in workspace mode: on the workspace's embedded state store (dynalite, started and stopped
 * by each command as ./sluice reindex does).
 */
class CliFlowsLocalTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path ws;

    CliRun.Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--workspace", ws.toString()));
        return CliRun.run(all.toArray(String[]::new));
    }

    static CliRun.Result ok(CliRun.Result r) {
        assertEquals(0, r.exit(), r::toString);
        return r;
    }

    static CliRun.Result fails(int exit, String errPart, CliRun.Result r) {
        assertEquals(exit, r.exit(), r::toString);
        assertTrue(r.err().contains(errPart), r.toString());
        return r;
    }

    /** The table's data rows (after header and rule). */
    static List<String> rows(CliRun.Result r) {
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.size() >= 2 && lines.get(0).startsWith("TYPE ") && lines.get(1).startsWith("----"), r.out());
        return lines.subList(2, lines.size());
    }

    void applyDatasets() throws Exception {
        List<String> args = new ArrayList<>(List.of("apply"));
        args.addAll(FlowManifests.write(ws.resolve("manifests")));
        ok(cli(args.toArray(String[]::new)));
    }

    @Test
    void configurePauseResumeAndList() throws Exception {
        applyDatasets();
        assertEquals("no flows for kamu/polled (its default flow type is ingest)\n", ok(cli("flows", "polled")).out());

        List<String> set = rows(ok(cli("flows", "polled", "--every", "1h", "--retry", "3/1m", "--backoff", "exponential",
                "--stop-after", "2", "--priority", "5")));
        assertEquals(1, set.size(), set.toString());
        assertTrue(set.get(0).matches("ingest +WAITING +every 1h +3 attempts/1m exponential +after 2 +5 +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ +-"),
                set.get(0));
        assertEquals(set, rows(ok(cli("flows", "kamu/polled"))));

        // A change keeps what it does not mention.
        String nextJan1 = LocalDate.now(ZoneOffset.UTC).withDayOfYear(1).plusYears(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
        List<String> cron = rows(ok(cli("flows", "polled", "--cron", "0 0 1 1 *")));
        assertTrue(cron.get(0).matches("ingest +WAITING +cron 0 0 1 1 \\* +3 attempts/1m exponential +after 2 +5 +" + nextJan1 + " +-"), cron.get(0));
        JsonNode doc = JSON.readTree(ok(cli("flows", "polled", "-o", "json")).out());
        assertEquals("kamu/polled", doc.path("dataset").asText());
        assertEquals("ingest", doc.path("defaultType").asText());
        JsonNode flow = doc.path("flows").get(0);
        assertEquals("0 0 1 1 *", flow.path("config").path("trigger").path("cron").asText());
        assertEquals(3, flow.path("config").path("retry").path("maxAttempts").asInt());
        assertEquals("PT1M", flow.path("config").path("retry").path("minDelay").asText());
        assertEquals(nextJan1, flow.path("nextDueAt").asText());

        List<String> paused = rows(ok(cli("flows", "polled", "--type", "ingest", "--pause")));
        assertTrue(paused.get(0).matches("ingest +PAUSED \\(paused by user\\) +cron 0 0 1 1 \\* .* +- +-"), paused.get(0));
        assertEquals("PAUSED", JSON.readTree(ok(cli("flows", "polled", "--type", "ingest", "-o", "json")).out()).path("status").asText());
        List<String> resumed = rows(ok(cli("flows", "polled", "--resume", "--retry", "1")));
        assertTrue(resumed.get(0).matches("ingest +WAITING +cron 0 0 1 1 \\* +- +after 2 +5 +" + nextJan1 + " +-"), resumed.get(0));

        String reactive = rows(ok(cli("flows", "derived", "--reactive", "100/10m"))).get(0);
        // Nothing pending: the next due time is the reactive recheck (sluice.flows.reactive-recheck), not "-".
        assertTrue(reactive.matches("transform +WAITING +reactive \\(100 records or 10m\\) +- +- +0 +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ +-"), reactive);
        String manual = rows(ok(cli("flows", "derived", "--manual", "--stop-after", "3"))).get(0);
        assertTrue(manual.matches("transform +WAITING +manual +- +after 3 +0 +- +-"), manual);
        ok(cli("flows", "pushed", "--type", "compaction", "--every", "1d"));
        List<String> two = rows(ok(cli("flows", "pushed", "--type", "compact")));
        assertTrue(two.size() == 1 && two.get(0).startsWith("compaction ") && two.get(0).contains("every 1d"), two.toString());
    }

    @Test
    void badChangesAreErrorsThatChangeNothing() throws Exception {
        applyDatasets();
        ok(cli("flows", "polled", "--every", "6h"));
        String before = ok(cli("flows", "polled", "-o", "json")).out();

        fails(1, "kamu/pushed is a root dataset without a polling source, so it has no default flow type; name one (compaction or reset) with --type",
                cli("flows", "pushed", "--every", "1h"));
        fails(1, "kamu/pushed has no polling source", cli("flows", "pushed", "--type", "ingest", "--every", "1h"));
        fails(1, "kamu/polled is a root dataset", cli("flows", "polled", "--type", "transform", "--manual"));
        fails(1, "error: trigger.every: '1x' is not a duration", cli("flows", "polled", "--every", "1x"));
        fails(1, "error: trigger.cron:", cli("flows", "polled", "--cron", "99 * * * *"));
        fails(1, "error: retry.maxAttempts: expected a whole number", cli("flows", "polled", "--retry", "x"));
        fails(1, "error: retry.minDelay:", cli("flows", "polled", "--retry", "3/soon"));
        fails(1, "error: retry.backoff:", cli("flows", "polled", "--retry", "3", "--backoff", "sometimes"));
        fails(1, "--backoff needs --retry", cli("flows", "polled", "--backoff", "linear"));
        fails(1, "error: stop.afterConsecutiveFailures:", cli("flows", "polled", "--stop-after", "11"));
        fails(1, "error: priority:", cli("flows", "polled", "--priority", "1000"));
        fails(1, "ingest flows take a schedule", cli("flows", "polled", "--reactive", "5"));
        fails(1, "trigger.reactive: minRecordsToAwait must be at least 1", cli("flows", "derived", "--reactive", "0"));
        fails(2, "mutually exclusive", cli("flows", "polled", "--every", "1h", "--cron", "0 * * * *"));
        fails(2, "mutually exclusive", cli("flows", "polled", "--pause", "--resume"));
        fails(2, "unknown flow type 'sideways'", cli("flows", "polled", "--type", "sideways"));
        fails(1, "dataset kamu/polled has no transform flow", cli("flows", "polled", "--type", "transform"));
        fails(1, "dataset kamu/pushed has no reset flow", cli("flows", "pushed", "--type", "reset", "--pause"));
        fails(1, "not found", cli("flows", "nope"));

        assertEquals(before, ok(cli("flows", "polled", "-o", "json")).out());
        assertEquals("no flows for kamu/pushed\n", ok(cli("flows", "pushed")).out());
    }

    @Test
    void tasksAndTriggerInTheWorkspace() throws Exception {
        applyDatasets();
        assertEquals("no tasks in the last 7 days\n", ok(cli("tasks")).out());
        assertEquals("no tasks for polled\n", ok(cli("tasks", "polled")).out());
        assertEquals(0, JSON.readTree(ok(cli("tasks", "-o", "json")).out()).path("tasks").size());

        // Workspace mode runs a triggered task in this process with the node's pipelines: the glob matches no file
        // (the task fails and says why) and the derivative's input has no data yet (nothing to do).
        fails(1, "failed: fetching polled failed: no file matches the FilesGlob path /nonexistent/*.csv", cli("trigger", "polled", "--wait"));
        ok(cli("trigger", "derived", "--wait"));
        List<String> polledTasks = ok(cli("tasks", "polled")).out().lines().filter(l -> l.startsWith("task-")).toList();
        assertEquals(1, polledTasks.size(), polledTasks.toString());
        assertTrue(polledTasks.get(0).contains("FAILED"), polledTasks.toString());
        List<String> derivedTasks = ok(cli("tasks", "derived")).out().lines().filter(l -> l.startsWith("task-")).toList();
        assertEquals(1, derivedTasks.size(), derivedTasks.toString());
        assertTrue(derivedTasks.get(0).contains("SUCCEEDED"), derivedTasks.toString());
        fails(1, "has no default flow type", cli("trigger", "pushed"));
        fails(1, "kamu/pushed has no polling source", cli("trigger", "pushed", "--type", "ingest"));

        fails(1, "error: no task task-00000000-0000-0000-0000-000000000000", cli("tasks", "--show", "task-00000000-0000-0000-0000-000000000000"));
        fails(1, "error: no task '../x'", cli("tasks", "--show", "../x"));
        fails(1, "-n must be between 1 and 1000", cli("tasks", "-n", "0"));
        fails(1, "not both", cli("tasks", "polled", "--show", "task-x"));
        fails(1, "not found", cli("tasks", "nope"));
    }
}
