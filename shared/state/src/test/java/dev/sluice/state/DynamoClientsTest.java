package dev.sluice.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.sluice.state.dynamo.LeanDynamoDbClient;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Which client DynamoClients builds, and its warm-up. */
class DynamoClientsTest {
    static final StateConfig LOCAL = StateConfig.endpoint(URI.create("http://127.0.0.1:9"), "us-east-1", "x-");

    @Test
    void leanByDefaultSdkWithInterceptorsOrWhenAskedFor() {
        try (DynamoDbClient c = DynamoClients.build(LOCAL, List.of())) {
            assertInstanceOf(LeanDynamoDbClient.class, c);
        }
        try (DynamoDbClient c = DynamoClients.build(LOCAL, List.of(new ExecutionInterceptor() {}))) {
            assertFalse(c instanceof LeanDynamoDbClient);
        }
        System.setProperty("sluice.dynamodb.client", "sdk");
        try (DynamoDbClient c = DynamoClients.build(LOCAL, List.of())) {
            assertFalse(c instanceof LeanDynamoDbClient);
        } finally {
            System.clearProperty("sluice.dynamodb.client");
        }
    }

    @Test
    void awsConfigsTalkToTheRegionalEndpoint() {
        try (LeanDynamoDbClient c = DynamoClients.lean(StateConfig.aws("eu-west-1", "p-"))) {
            assertEquals(URI.create("https://dynamodb.eu-west-1.amazonaws.com"), c.settings().endpoint());
            assertEquals("eu-west-1", c.settings().region());
        }
        try (LeanDynamoDbClient c = DynamoClients.lean(StateConfig.aws("cn-north-1", "p-"))) {
            assertEquals(URI.create("https://dynamodb.cn-north-1.amazonaws.com.cn"), c.settings().endpoint());
        }
    }

    @Test
    void warmUpNeedsNoStoreForEitherClient() {
        DynamoClients.warmUp(); // a failure here would be thrown: the expected ones (refused, stopped) are swallowed
        System.setProperty("sluice.dynamodb.client", "sdk");
        try {
            DynamoClients.warmUp();
        } finally {
            System.clearProperty("sluice.dynamodb.client");
        }
    }
}
