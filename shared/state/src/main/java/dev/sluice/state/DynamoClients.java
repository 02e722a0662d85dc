package dev.sluice.state;

import dev.sluice.state.dynamo.Credentials;
import dev.sluice.state.dynamo.LeanDynamoDbClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Builds the low-level DynamoDB client for a {@link StateConfig} (the Enhanced Client wraps it).
 *
 * <p>By default that is {@link LeanDynamoDbClient}: DynamoDB's JSON protocol spoken directly over the SDK's model
 * classes, about a fifth of the classes and CPU the SDK client needs before its first answer (the largest part of a
 * function's cold start that opens the state store). The AWS SDK client is built instead when SDK
 * {@link ExecutionInterceptor}s are given (tests that count calls; metrics) — the lean client has no interceptor
 * chain — or when asked for with the system property {@code sluice.dynamodb.client=sdk} or the environment variable
 * {@code SLUICE_DYNAMODB_CLIENT=sdk} (e.g. to rule the lean client out when diagnosing).
 *
 * <p>Both use the same timeouts (5 s connect, 20 s per attempt, 60 s per call) and credentials: static dummy ones for
 * local and non-AWS endpoints; for AWS, the lean client takes {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}
 * (/{@code AWS_SESSION_TOKEN}) from the environment when set (as on Lambda) and otherwise the SDK's default chain
 * (web identity, profiles, container, IMDS), created on first use.
 */
public final class DynamoClients {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(20);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    private static final Credentials DUMMY = new Credentials("sluice", "sluice", null);

    private DynamoClients() {}

    public static DynamoDbClient build(StateConfig config, List<ExecutionInterceptor> interceptors) {
        if (!interceptors.isEmpty() || sdkRequested()) return Sdk.build(config, interceptors);
        return lean(config);
    }

    /** True when {@code sluice.dynamodb.client} / {@code SLUICE_DYNAMODB_CLIENT} asks for the SDK client. */
    static boolean sdkRequested() {
        String v = System.getProperty("sluice.dynamodb.client");
        if (v == null) v = System.getenv("SLUICE_DYNAMODB_CLIENT");
        return v != null && v.strip().equalsIgnoreCase("sdk");
    }

    public static LeanDynamoDbClient lean(StateConfig config) {
        return new LeanDynamoDbClient(leanSettings(config));
    }

    static LeanDynamoDbClient.Settings leanSettings(StateConfig config) {
        Supplier<Credentials> credentials = config.usesDummyCredentials() ? () -> DUMMY : awsCredentials();
        return LeanDynamoDbClient.Settings.of(config.endpoint(), config.region(), credentials)
                .withTimeouts(CONNECT_TIMEOUT, ATTEMPT_TIMEOUT, CALL_TIMEOUT);
    }

    /**
     * Loads the classes the state store's first read goes through, without reaching any store (a start-up head start
     * for cloud functions): the Enhanced Client's tables and a read over the client {@link #build} would choose, sent to
     * a closed local port with retries off (the SDK client's read is stopped before transmission), plus the lean
     * client's response reading. Failures are expected and swallowed.
     */
    public static void warmUp() {
        StateConfig config = StateConfig.endpoint(URI.create("http://127.0.0.1:9"), "us-east-1", "warmup-");
        DynamoDbClient client = sdkRequested() ? Sdk.build(config, List.of(new Sdk.StopBeforeTransmission()))
                : new LeanDynamoDbClient(leanSettings(config).withRetries(1, Duration.ZERO, Duration.ZERO));
        try (client) {
            StateTables tables = new StateTables(client, config.tablePrefix(), "warm-up", config.dueShards());
            try {
                tables.datasets.getItem(r -> r.key(k -> k.partitionValue("warmup")));
            } catch (RuntimeException expected) {
                // connection refused, or stopped before transmission
            }
        }
        if (client instanceof LeanDynamoDbClient) LeanDynamoDbClient.warmUpResponses();
    }

    /** The environment's keys when set (Lambda sets them), else the SDK's default chain, built on first use. */
    private static Supplier<Credentials> awsCredentials() {
        String id = System.getenv("AWS_ACCESS_KEY_ID");
        String secret = System.getenv("AWS_SECRET_ACCESS_KEY");
        if (id != null && !id.isBlank() && secret != null && !secret.isBlank()) {
            Credentials fixed = new Credentials(id, secret, System.getenv("AWS_SESSION_TOKEN"));
            return () -> fixed;
        }
        return new DefaultChain();
    }

    /** The SDK's default credentials provider, created lazily (it caches and refreshes by itself). */
    private static final class DefaultChain implements Supplier<Credentials> {
        private volatile DefaultCredentialsProvider provider;

        @Override
        public Credentials get() {
            DefaultCredentialsProvider p = provider;
            if (p == null) {
                synchronized (this) {
                    if (provider == null) provider = DefaultCredentialsProvider.builder().build();
                    p = provider;
                }
            }
            AwsCredentials c = p.resolveCredentials();
            return new Credentials(c.accessKeyId(), c.secretAccessKey(),
                    c instanceof AwsSessionCredentials s ? s.sessionToken() : null);
        }
    }

    /** The AWS SDK client (its classes load only when this is used). */
    static final class Sdk {
        private Sdk() {}

        /** Ends a warm-up call before anything is sent; not retried by the SDK (not an I/O failure). */
        static final class StopBeforeTransmission implements ExecutionInterceptor {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                throw new Stop();
            }
        }

        private static final class Stop extends RuntimeException {
            Stop() {
                super("warm-up", null, false, false);
            }
        }

        static DynamoDbClient build(StateConfig config, List<ExecutionInterceptor> interceptors) {
            ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
                    .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                    .apiCallTimeout(CALL_TIMEOUT);
            interceptors.forEach(override::addExecutionInterceptor);
            DynamoDbClientBuilder b = DynamoDbClient.builder()
                    .region(Region.of(config.region()))
                    .httpClientBuilder(UrlConnectionHttpClient.builder()
                            .connectionTimeout(CONNECT_TIMEOUT)
                            .socketTimeout(SOCKET_TIMEOUT))
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
}
