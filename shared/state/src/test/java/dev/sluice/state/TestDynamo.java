package dev.sluice.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** One embedded dynalite per test JVM (started on first use, stopped at JVM exit); tests isolate by table prefix. */
final class TestDynamo {
    private static EmbeddedDynamo shared;

    private TestDynamo() {}

    static synchronized EmbeddedDynamo shared() {
        if (shared == null || !shared.isAlive()) {
            try {
                Path dir = Files.createTempDirectory("sluice-dynalite-");
                shared = EmbeddedDynamo.start(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    static String uniquePrefix() {
        return "t" + UUID.randomUUID().toString().substring(0, 8) + "-";
    }

    /** Tables with a fresh prefix on {@code config}'s endpoint; the counter sees every call. */
    static StateTables tables(StateConfig config, CallCounter counter) {
        DynamoDbClient client = DynamoClients.build(config, counter == null ? List.of() : List.of(counter));
        return new StateTables(client, config.tablePrefix(), config.describeEndpoint(), config.dueShards()).ensureCreated();
    }

    static StateConfig embeddedConfig() {
        return StateConfig.endpoint(shared().endpoint(), "us-east-1", uniquePrefix());
    }
}
