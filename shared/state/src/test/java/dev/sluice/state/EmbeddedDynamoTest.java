package dev.sluice.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.state.items.FlowItem;
import dev.sluice.state.items.TaskItem;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store: persistence across restarts, clear errors. */
class EmbeddedDynamoTest {
    @TempDir
    Path dir;

    @Test
    void restartOnTheSameFolderKeepsEveryItem() {
        Path data = dir.resolve("state");
        Path storage = dir.resolve("storage");
        DatasetRepository repo = new DatasetRepository(new FileSystemObjectStore(storage));
        List<String> chainBefore;
        String head;
        String did;
        try (SluiceState state = SluiceState.open(StateConfig.embedded(data))) {
            DatasetIndex index = new DatasetIndex(state.tables(), repo);
            repo.addListener(index);
            Dataset ds = Chains.createRoot(repo, "kamu/kept");
            for (int i = 0; i < 20; i++) ds.commit(Chains.addData("k" + i, 1));
            did = ds.id().toDid();
            head = ds.head().orElseThrow().toMultibase();
            chainBefore = index.blockItems(ds.id()).stream().map(b -> b.getHash()).toList();
            FlowItem f = new FlowItem();
            f.setDatasetId(did);
            f.setFlowType("INGEST");
            f.setDueAt(1L);
            state.flows().save(f);
            TaskItem t = new TaskItem();
            t.setTaskId("t1");
            t.setDatasetId(did);
            t.setCreatedAt(1L);
            state.tasks().create(t);
            state.idempotency(Clock.systemUTC()).begin("evt", Duration.ofMinutes(5));
            assertEquals(23, chainBefore.size());
        }
        try (SluiceState state = SluiceState.open(StateConfig.embedded(data))) {
            DatasetIndex index = new DatasetIndex(state.tables(), repo);
            var id = dev.sluice.odf.DatasetId.parse(did);
            assertEquals(head, index.get(id).orElseThrow().getHead());
            assertEquals(chainBefore, index.blockItems(id).stream().map(b -> b.getHash()).toList());
            assertEquals(1, state.flows().due(java.time.Instant.now(), 10).size());
            assertTrue(state.tasks().get("t1").isPresent());
            assertEquals(IdempotencyStore.Status.IN_PROGRESS,
                    state.idempotency(Clock.systemUTC()).begin("evt", Duration.ofMinutes(5)).status());
            assertTrue(index.findByAlias("kamu", "kept").isPresent());
        }
    }

    @Test
    void unreachableEndpointIsOneClearError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        var e = assertThrows(StateUnavailableException.class,
                () -> SluiceState.open(StateConfig.endpoint(endpoint, "us-east-1", "x-")));
        assertTrue(e.getMessage().contains(endpoint.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
    }

    @Test
    void missingPackageIsOneClearError() {
        var e = assertThrows(StateUnavailableException.class,
                () -> EmbeddedDynamo.start(dir.resolve("d"), dir.resolve("no-such-dynalite"), Duration.ofSeconds(5)));
        assertTrue(e.getMessage().contains("embedded DynamoDB needs Node.js ≥ 20 and `npm ci` in shared/state/dynalite"),
                e.getMessage());
    }

    @Test
    void closeStopsTheProcess() {
        EmbeddedDynamo db = EmbeddedDynamo.start(dir.resolve("d"));
        assertTrue(db.isAlive());
        db.close();
        assertFalse(db.isAlive());
    }
}
