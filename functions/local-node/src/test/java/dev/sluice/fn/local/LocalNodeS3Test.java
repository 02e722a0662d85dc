package dev.sluice.fn.local;

import dev.sluice.storage.ObjectStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;

/**
 * The end-to-end suite with datasets in S3: the node is configured with an s3proxy endpoint (a real S3 protocol
 * server started for this profile) and keeps its state in embedded dynalite, as in the filesystem run.
 */
@QuarkusTest
@TestProfile(LocalNodeS3Test.S3Storage.class)
class LocalNodeS3Test extends NodeEndToEndSuite {
    public static class S3Storage implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(LocalS3Resource.class));
        }
    }

    @Override
    ObjectStore storage() {
        return LocalS3Resource.store;
    }
}
