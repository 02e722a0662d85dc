package dev.sluice.fn.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.fn.common.FlowNode;
import dev.sluice.flows.FlowConfig;
import dev.sluice.flows.FlowService;
import dev.sluice.flows.FlowStatus;
import dev.sluice.flows.FlowTrigger;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.FlowView;
import dev.sluice.flows.RetryPolicy;
import dev.sluice.flows.StopPolicy;
import dev.sluice.flows.TaskStatus;
import dev.sluice.flows.TaskView;
import dev.sluice.flows.TriggerCause;
import dev.sluice.pipelines.testing.HttpSource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Pipelines that run by themselves, on the local node as {@code ./sluice up} runs it — its own timer firing
 * {@code schedule-tick} (here every 250 ms), tasks on the local dispatcher. Data goes in and out over HTTP only;
 * flows are configured and tasks listed through {@link FlowService} (the REST endpoints for them come separately).
 * Every wait is for a condition, with a deadline.
 */
@QuarkusTest
@TestProfile(FlowsEndToEndTest.WithTimer.class)
class FlowsEndToEndTest {
    /** A fresh data folder and a fast timer; not the other suites' folder, where no timer runs. */
    public static class WithTimer implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DataDir.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    public static class DataDir implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                Path dir = Files.createTempDirectory(Path.of("target"), "flows-");
                return Map.of("sluice.data", dir.toAbsolutePath().toString(), "sluice.flows.tick-interval", "250MS");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {}
    }

    @TestHTTPResource("/")
    URI base;

    @Inject FlowNode node;

    /** Only its HTTP helpers: requests to this test's node. */
    LocalNodeTest http() {
        LocalNodeTest t = new LocalNodeTest();
        t.base = base;
        return t;
    }

    static String score(int match, String player, int score, String day) {
        return "{\"match_time\":\"2000-01-" + day + "T00:00:00Z\",\"match_id\":" + match + ",\"player_id\":\"" + player + "\",\"score\":" + score + "}\n";
    }

    /** A push that changes the top 2, the top 2 after it ("place,player,score" lines) and the changelog rows it adds. */
    record Push(String ndjson, String top2, List<String> changelog) {}

    static final List<Push> PUSHES = List.of(
            new Push(score(1, "alice", 100, "01") + score(1, "bob", 80, "01"), "1,alice,100\n2,bob,80\n",
                    List.of("0,0,1,alice,100", "1,0,2,bob,80")),
            // charlie displaces bob from 2nd place: bob's row is corrected (-C, +C) to charlie's
            new Push(score(2, "charlie", 90, "02"), "1,alice,100\n2,charlie,90\n",
                    List.of("2,2,2,bob,80", "3,3,2,charlie,90")),
            new Push(score(3, "eve", 200, "03") + score(3, "bob", 95, "03"), "1,eve,200\n2,alice,100\n",
                    List.of("4,2,1,alice,100", "5,3,1,eve,200", "6,2,2,charlie,90", "7,3,2,alice,100")),
            new Push(score(4, "alice", 210, "04"), "1,alice,210\n2,eve,200\n",
                    List.of("8,2,1,eve,200", "9,3,1,alice,210", "10,2,2,alice,100", "11,3,2,eve,200")));

    /** The leaderboard as it stands: the changelog applied (per place, the latest row, if it is not a retraction). */
    static final String TOP2 = "select place, player_id, score from (select *, row_number() over (partition by place order by \"offset\" desc) as rn"
            + " from leaderboard) where rn = 1 and op in (0, 3) order by place";

    @Test
    void theLeaderboardFollowsPushesByItself() throws Exception {
        LocalNodeTest h = http();
        Fixtures.createLeaderboard(h);
        String board = did(h, "kamu/leaderboard");
        FlowService flows = node.flows().service();
        FlowView flow = flows.flow(board, FlowType.TRANSFORM);
        assertEquals(FlowTrigger.Reactive.immediate(), flow.config().trigger(), "created over the API: the default reactive flow");

        StringBuilder changelog = new StringBuilder("offset,op,place,player_id,score\n");
        for (Push p : PUSHES) {
            LocalNodeTest.body(h.send("POST", "kamu/player-scores/ingest", "application/x-ndjson", p.ndjson()), 200);
            // No one asks for a transform: commit → reactive trigger → tick → task → ExecuteTransform.
            awaitEquals(() -> answer(h, TOP2), "200 place,player_id,score\n" + p.top2(), "the leaderboard after the push");
            p.changelog().forEach(r -> changelog.append(r).append('\n'));
        }
        assertEquals(changelog.toString(), csv(h, "select \"offset\", op, place, player_id, score from leaderboard order by \"offset\""),
                "exactly the retractions and corrections each push calls for");

        awaitEquals(() -> flows.flow(board, FlowType.TRANSFORM).status(), FlowStatus.WAITING, "the last task to be recorded");
        List<TaskView> tasks = flows.tasks(board, 100);
        List<TaskView> ran = tasks.stream().filter(t -> t.startedAt() != null).toList();
        assertTrue(ran.size() >= PUSHES.size(), tasks.toString());
        for (TaskView t : ran) assertEquals(TaskStatus.SUCCEEDED, t.status(), t.toString());
        // A tick whose claim races a push's reactive update (both write the flow) loses and cancels the task it cut,
        // before it starts; the flow stays due and the next tick claims it.
        for (TaskView t : tasks) {
            if (t.startedAt() == null) assertEquals("cancelled: the flow changed before this task could be claimed", t.outcome(), t.toString());
        }
        assertEquals(12L, ran.stream().mapToLong(t -> t.newRecords() == null ? 0 : t.newRecords()).sum(),
                "every changelog row was written by exactly one task");
        assertTrue(tasks.stream().anyMatch(t -> t.trigger() == TriggerCause.INPUT_UPDATED && t.newRecords() > 0));
        assertTrue(tasks.stream().filter(t -> t.newRecords() != null && t.newRecords() > 0)
                .allMatch(t -> t.log().stream().anyMatch(l -> l.contains("the risingwave transform of leaderboard ran on the duckdb engine"))));
    }

    static String polled(String name, String url) {
        return """
                kind: DatasetSnapshot
                version: 1
                content:
                  name: %s
                  kind: Root
                  metadata:
                    - kind: SetPollingSource
                      fetch:
                        kind: Url
                        url: %s
                      read:
                        kind: Csv
                        header: true
                        schema:
                          fields:
                            - {name: id, type: int64}
                            - {name: name, type: string}
                      merge:
                        kind: Ledger
                        primaryKey: [id]
                """.formatted(name, url);
    }

    @Test
    void aPolledSourceIsFetchedWhenItChangesRetriedWhenItFailsAndPausedWhenItKeepsFailing() throws Exception {
        LocalNodeTest h = http();
        FlowService flows = node.flows().service();
        try (HttpSource src = HttpSource.start(); HttpSource broken = HttpSource.start()) {
            src.serve("id,name\n1,a\n2,b\n", "\"v1\"");
            assertEquals(201, h.send("POST", "datasets", "application/yaml", polled("cities", src.url("/cities.csv"))).statusCode());
            String cities = did(h, "kamu/cities");
            assertEquals(List.of(), flows.flows(cities), "no default polling interval: the node polls nothing on its own");
            flows.setConfig(cities, FlowType.INGEST, FlowConfig.of(new FlowTrigger.Interval(Duration.ofSeconds(1)))
                    .withRetry(new RetryPolicy(5, Duration.ofSeconds(1), RetryPolicy.Backoff.FIXED)));

            // Changed content → a new slice.
            awaitEquals(() -> csv(h, "select count(*) as n from cities"), "n\n2\n", "the first poll's rows");
            String head = head(h, "kamu/cities");
            // Unchanged (same ETag, answered 304) → the task succeeds "up to date" and adds no block.
            TaskView upToDate = awaitFound(() -> find(flows.tasks(cities, 100), t -> t.status() == TaskStatus.SUCCEEDED
                    && t.outcome().startsWith("up to date")), "an up-to-date poll");
            assertEquals(0L, upToDate.newRecords());
            assertTrue(src.notModified() >= 1);
            assertEquals(head, head(h, "kamu/cities"), "no new block");

            src.serve("id,name\n1,a\n2,b\n3,c\n", "\"v2\"");
            awaitEquals(() -> csv(h, "select count(*) as n from cities"), "n\n3\n", "the changed content");
            assertEquals(4, LocalNodeTest.json(h.send("GET", "kamu/cities/metadata", null, null), 200).get("output").get("sequenceNumber").asInt(),
                    "Seed, SetPollingSource, SetDataSchema and one AddData per content change: polls of unchanged content add none");

            // Server errors → failed and retried per the retry policy, then success when the server recovers.
            src.failWith(503);
            TaskView retryFailed = awaitFound(() -> find(flows.tasks(cities, 100), t -> t.status() == TaskStatus.FAILED
                    && t.trigger() == TriggerCause.RETRY), "a failed retry");
            assertTrue(retryFailed.error().contains("HTTP 503"), retryFailed.error());
            assertTrue(retryFailed.attempt() >= 2);
            src.serve("id,name\n1,a\n2,b\n3,c\n4,d\n", "\"v3\"");
            TaskView recovered = awaitFound(() -> find(flows.tasks(cities, 100), t -> t.status() == TaskStatus.SUCCEEDED
                    && t.trigger() == TriggerCause.RETRY), "a retry that succeeds");
            assertEquals(1L, recovered.newRecords());
            assertEquals("n\n4\n", csv(h, "select count(*) as n from cities"));
            awaitEquals(() -> flows.flow(cities, FlowType.INGEST).consecutiveFailures(), 0, "the failure count to reset");
            flows.pause(cities, FlowType.INGEST);

            // A source that keeps failing, with a stop policy: the flow pauses itself after 2 failed runs.
            broken.failWith(500);
            assertEquals(201, h.send("POST", "datasets", "application/yaml", polled("broken", broken.url("/x.csv"))).statusCode());
            String brokenId = did(h, "kamu/broken");
            flows.setConfig(brokenId, FlowType.INGEST, FlowConfig.of(new FlowTrigger.Interval(Duration.ofSeconds(1)))
                    .withStop(new StopPolicy.AfterConsecutiveFailures(2)));
            FlowView paused = awaitThat(() -> flows.flow(brokenId, FlowType.INGEST), f -> f.status() == FlowStatus.PAUSED, "the stop policy");
            assertTrue(paused.pausedReason().startsWith("stopped after 2 consecutive failures; last error: "), paused.pausedReason());
            assertTrue(paused.pausedReason().contains("HTTP 500"), paused.pausedReason());
            List<TaskView> runs = flows.tasks(brokenId, 100);
            assertEquals(2, runs.size(), "no run after the flow paused: " + runs);
            for (TaskView t : runs) assertEquals(TaskStatus.FAILED, t.status());
            assertEquals(2, broken.failed());
            assertEquals(null, paused.nextDueAt(), "paused: not scheduled");
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    static String did(LocalNodeTest h, String dataset) throws Exception {
        return LocalNodeTest.json(h.send("GET", dataset + "/metadata", null, null), 200).get("output").get("seed").get("datasetId").asText();
    }

    static String head(LocalNodeTest h, String dataset) throws Exception {
        return LocalNodeTest.body(h.send("GET", dataset + "/refs/head", null, null), 200).strip();
    }

    static String csv(LocalNodeTest h, String sql) throws Exception {
        return LocalNodeTest.body(h.query(sql, "Csv", null), 200);
    }

    /** The answer as CSV, or the error (before the first transform the leaderboard has no columns to select). */
    static String answer(LocalNodeTest h, String sql) throws Exception {
        var r = h.query(sql, "Csv", null);
        return r.statusCode() + " " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    static TaskView find(List<TaskView> tasks, java.util.function.Predicate<TaskView> p) {
        return tasks.stream().filter(p).findFirst().orElse(null);
    }

    interface Probe<T> {
        T get() throws Exception;
    }

    /** Polls until {@code probe} gives {@code expected}; fails with the last value after 60 s. */
    static <T> T awaitEquals(Probe<T> probe, T expected, String what) throws Exception {
        return awaitThat(probe, expected::equals, what);
    }

    /** Polls until {@code probe} gives a non-null value. */
    static <T> T awaitFound(Probe<T> probe, String what) throws Exception {
        return awaitThat(probe, v -> v != null, what);
    }

    static <T> T awaitThat(Probe<T> probe, java.util.function.Predicate<T> done, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        T last;
        while (!done.test(last = probe.get())) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what + "; last: " + last);
            Thread.sleep(50); // polling a condition with a deadline
        }
        return last;
    }
}
