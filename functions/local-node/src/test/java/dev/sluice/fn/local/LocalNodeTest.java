package dev.sluice.fn.local;

import dev.sluice.storage.FileSystemObjectStore;
import dev.sluice.storage.ObjectStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The end-to-end suite on the local node as ./sluice up runs it: filesystem storage in the data folder. */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class LocalNodeTest extends NodeEndToEndSuite {
    @Override
    ObjectStore storage() {
        return new FileSystemObjectStore(TempDataDir.DATA.resolve("datasets"));
    }
}
