package dev.sluice.storage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The commit-loop contention test against a real S3 protocol server (conditional PUTs on refs/head). */
class S3ConcurrentCommitTest extends ConcurrentCommitContract {
    static LocalS3Server server;

    @BeforeAll
    static void start() throws Exception {
        server = LocalS3Server.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
    }

    @Override
    ObjectStore store() {
        return server.newStore("datasets");
    }
}
