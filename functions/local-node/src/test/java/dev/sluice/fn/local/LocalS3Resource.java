package dev.sluice.fn.local;

import dev.sluice.storage.LocalS3Server;
import dev.sluice.storage.S3ObjectStore;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * s3proxy (shared/storage's {@link LocalS3Server}) on a free loopback port with a fresh bucket; the node gets it as
 * {@code sluice.storage=s3://bucket/node?endpoint=…}. Credentials reach the node's S3 client the way they reach it
 * in production, through the AWS default provider chain (here its system-property step).
 */
public class LocalS3Resource implements QuarkusTestResourceLifecycleManager {
    /** The same bucket and prefix as the node's, for tests that compare served bytes with stored ones. */
    static volatile S3ObjectStore store;
    private LocalS3Server server;

    @Override
    public Map<String, String> start() {
        try {
            server = LocalS3Server.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start s3proxy", e);
        }
        store = server.newStore("node/");
        System.setProperty("aws.accessKeyId", LocalS3Server.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", LocalS3Server.SECRET_KEY);
        return Map.of("sluice.storage", "s3://" + store.bucket() + "/node?endpoint=" + server.endpoint() + "&region=us-east-1");
    }

    @Override
    public void stop() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        try {
            if (server != null) server.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
