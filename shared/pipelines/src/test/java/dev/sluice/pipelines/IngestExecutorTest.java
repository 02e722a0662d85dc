package dev.sluice.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.flows.FlowConfig;
import dev.sluice.flows.FlowStatus;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.FlowView;
import dev.sluice.flows.RetryPolicy;
import dev.sluice.flows.TaskStatus;
import dev.sluice.flows.TaskView;
import dev.sluice.flows.TriggerCause;
import dev.sluice.odf.Multihash;
import dev.sluice.pipelines.testing.HttpSource;
import dev.sluice.storage.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** INGEST tasks over real polling sources (a local HTTP server, a folder of files) and real datasets and state. */
class IngestExecutorTest {
    @TempDir Path dir;

    static String polled(String name, String fetchYaml, String merge) {
        return """
                kind: DatasetSnapshot
                version: 1
                content:
                  name: %s
                  kind: Root
                  metadata:
                    - kind: SetPollingSource
                      fetch:
                %s
                      read:
                        kind: Csv
                        header: true
                        schema:
                          fields:
                            - {name: id, type: int64}
                            - {name: name, type: string}
                      merge:
                %s
                """.formatted(name, indent(fetchYaml), indent(merge));
    }

    static String indent(String yaml) {
        return yaml.lines().map(l -> "        " + l).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    static String url(String url) {
        return "kind: Url\nurl: " + url;
    }

    static final String LEDGER = "kind: Ledger\nprimaryKey: [id]";

    @Test
    void changedContentAddsASliceUnchangedIsUpToDateAndFailuresFollowTheRetryPolicy() throws Exception {
        try (Harness h = new Harness(dir); HttpSource src = HttpSource.start()) {
            src.serve("id,name\n1,a\n2,b\n", "\"v1\"");
            Dataset ds = h.create(polled("cities", url(src.url("/cities.csv")), LEDGER));
            String did = Harness.did(ds);
            assertTrue(h.flows.service().flows(did).isEmpty(), "no default polling interval: the node does not poll on its own");

            TaskView first = h.run(ds, FlowType.INGEST);
            assertEquals(TaskStatus.SUCCEEDED, first.status(), first.toString());
            assertEquals(2L, first.newRecords());
            assertEquals("2 new records in 1 block", first.outcome());
            assertTrue(first.log().stream().anyMatch(l -> l.contains("updated: fetched " + src.url("/cities.csv") + ", 2 rows read, 2 added (offsets 0..1)")
                    && l.contains("source state odf/etag=\"v1\"")), first.log().toString());
            Multihash head = ds.head().orElseThrow();

            TaskView same = h.run(ds, FlowType.INGEST);
            assertEquals(TaskStatus.SUCCEEDED, same.status());
            assertEquals(0L, same.newRecords());
            assertTrue(same.outcome().startsWith("up to date"), same.outcome());
            assertEquals(head, ds.head().orElseThrow(), "unchanged source: no block");
            assertEquals(1, src.notModified(), "the ETag was sent back and answered 304");

            src.serve("id,name\n1,a\n2,b\n3,c\n", "\"v2\"");
            TaskView changed = h.run(ds, FlowType.INGEST);
            assertEquals(1L, changed.newRecords(), "the Ledger merge keeps only the new row");
            assertEquals(2, ds.state().lastOffset());

            // Server errors are retryable: failed, retried per the policy, then success when the server recovers.
            h.flows.service().setConfig(did, FlowType.INGEST, FlowConfig.manual().withRetry(new RetryPolicy(3, Duration.ZERO, RetryPolicy.Backoff.FIXED)));
            src.failWith(503);
            TaskView failed = h.run(ds, FlowType.INGEST);
            assertEquals(TaskStatus.FAILED, failed.status());
            assertTrue(failed.error().contains("503"), failed.error());
            assertEquals(FlowStatus.RETRYING, h.flows.service().flow(did, FlowType.INGEST).status());
            List<TaskView> retry = h.tick();
            assertEquals(1, retry.size());
            assertEquals(TaskStatus.FAILED, retry.get(0).status());
            assertEquals(TriggerCause.RETRY, retry.get(0).trigger());
            assertEquals(2, retry.get(0).attempt());
            src.serve("id,name\n1,a\n2,b\n3,c\n4,d\n", "\"v3\"");
            List<TaskView> recovered = h.tick();
            assertEquals(1, recovered.size());
            assertEquals(TaskStatus.SUCCEEDED, recovered.get(0).status(), recovered.get(0).toString());
            assertEquals(3, recovered.get(0).attempt());
            assertEquals(1L, recovered.get(0).newRecords());
            FlowView flow = h.flows.service().flow(did, FlowType.INGEST);
            assertEquals(FlowStatus.WAITING, flow.status());
            assertEquals(0, flow.consecutiveFailures());
            assertEquals(2, src.failed());

            // A 404 will not go away by itself: failed for good, no retry.
            src.failWith(404);
            Multihash before = ds.head().orElseThrow();
            TaskView gone = h.run(ds, FlowType.INGEST);
            assertEquals(TaskStatus.FAILED, gone.status());
            assertTrue(gone.error().contains("404"), gone.error());
            flow = h.flows.service().flow(did, FlowType.INGEST);
            assertEquals(FlowStatus.WAITING, flow.status(), "a permanent failure is not retried");
            assertEquals(1, flow.consecutiveFailures());
            assertTrue(h.tick().isEmpty());
            assertEquals(before, ds.head().orElseThrow(), "failures change nothing");
        }
    }

    @Test
    void pendingFilesArePolledWithinTheTaskUpToTheBoundAndTheNextRunContinues() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.writeString(in.resolve("a.csv"), "id,name\n1,a\n");
        Files.writeString(in.resolve("b.csv"), "id,name\n2,b\n3,b\n");
        Files.writeString(in.resolve("c.csv"), "id,name\n4,c\n");
        try (Harness h = new Harness(dir)) {
            Dataset ds = h.create(polled("files", "kind: FilesGlob\npath: " + in + "/*.csv", "kind: Append"));
            h.flows.service().setConfig(Harness.did(ds), FlowType.INGEST, FlowConfig.manual().withOptions(Map.of(IngestExecutor.MAX_POLLS, "2")));

            TaskView first = h.run(ds, FlowType.INGEST);
            assertEquals(TaskStatus.SUCCEEDED, first.status(), first.toString());
            assertEquals(3L, first.newRecords(), "a.csv and b.csv");
            assertEquals("3 new records in 2 blocks from 2 polls", first.outcome());
            assertTrue(first.log().stream().anyMatch(l -> l.contains("more is pending after 2 polls")), first.log().toString());

            TaskView second = h.run(ds, FlowType.INGEST);
            assertEquals(1L, second.newRecords(), "c.csv, where the first run stopped");
            assertFalse(second.log().stream().anyMatch(l -> l.contains("more is pending")));
            assertEquals(3, ds.state().lastOffset());
            assertEquals(0L, h.run(ds, FlowType.INGEST).newRecords(), "nothing left");
        }
    }

    @Test
    void badOptionsAndMissingDatasetsFailForGood() throws Exception {
        try (Harness h = new Harness(dir); HttpSource src = HttpSource.start()) {
            src.serve("id,name\n1,a\n", "\"v1\"");
            Dataset ds = h.create(polled("opts", url(src.url("/x.csv")), LEDGER));
            h.flows.service().setConfig(Harness.did(ds), FlowType.INGEST,
                    FlowConfig.manual().withRetry(new RetryPolicy(3, Duration.ZERO, RetryPolicy.Backoff.FIXED))
                            .withOptions(Map.of(IngestExecutor.MAX_POLLS, "many")));
            TaskView bad = h.run(ds, FlowType.INGEST);
            assertEquals(TaskStatus.FAILED, bad.status());
            assertEquals("polling opts failed: invalid flow option: maxPolls must be a positive whole number, got 'many'", bad.error());
            assertEquals(FlowStatus.WAITING, h.flows.service().flow(Harness.did(ds), FlowType.INGEST).status(), "not retried");
            assertEquals(0, src.served(), "nothing was fetched");

            String did = Harness.did(ds);
            h.repo.delete(ds);
            TaskView missing = h.run(ds, FlowType.INGEST);
            assertEquals(TaskStatus.FAILED, missing.status());
            assertEquals("dataset " + did + " does not exist (deleted?); remove or pause its ingest flow", missing.error());
        }
    }
}
