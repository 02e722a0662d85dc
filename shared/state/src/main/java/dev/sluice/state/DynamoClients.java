package dev.sluice.state;

import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/** Builds the low-level DynamoDB client for a {@link StateConfig} (the enhanced client wraps it). */
public final class DynamoClients {
    private DynamoClients() {}

    public static DynamoDbClient build(StateConfig config, List<ExecutionInterceptor> interceptors) {
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
                .apiCallAttemptTimeout(Duration.ofSeconds(20))
                .apiCallTimeout(Duration.ofSeconds(60));
        interceptors.forEach(override::addExecutionInterceptor);
        DynamoDbClientBuilder b = DynamoDbClient.builder()
                .region(Region.of(config.region()))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(override.build());
        if (config.endpoint() != null) b.endpointOverride(config.endpoint());
        if (config.usesDummyCredentials()) {
            b.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("sluice", "sluice")));
        } else {
            b.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return b.build();
    }
}
