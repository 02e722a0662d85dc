package dev.sluice.state.dynamo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

/**
 * A {@link DynamoDbClient} that speaks DynamoDB's awsJson1_0 protocol itself — one signed JSON POST per call over
 * {@link HttpURLConnection} — for the operations Sluice uses (directly and through the Enhanced Client); the others
 * throw {@link UnsupportedOperationException}. Requests and responses are the SDK's own model classes, (un)marshalled
 * over their field metadata ({@link AwsJsonCodec}), and failures are the SDK's exception types, so callers and the
 * Enhanced Client cannot tell it from the SDK client.
 *
 * <p>Why: the SDK client's construction (endpoint rules, region metadata, interceptor chains, HTTP client SPI) is about
 * 2,000 classes and 300 ms of CPU before the first call, a third of a function's cold start; this client is a few
 * hundred classes. What it keeps from the SDK client: SigV4 signing, retries of throttling, 5xx and I/O failures with
 * full-jitter exponential backoff (not of transaction conflicts: callers decide), an overall call timeout, CRC32
 * checks of response bodies. What it lacks: execution interceptors, metrics, endpoint discovery — use the SDK client
 * when those are needed (see {@code DynamoClients}).
 */
public final class LeanDynamoDbClient implements DynamoDbClient {
    static final String TARGET_PREFIX = "DynamoDB_20120810.";
    static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    private static final String MODEL_PACKAGE = "software.amazon.awssdk.services.dynamodb.model.";
    /** The SDK's throttling error codes (AwsErrorCode): retried with backoff. */
    private static final Set<String> THROTTLING = Set.of("Throttling", "ThrottlingException", "ThrottledException",
            "ProvisionedThroughputExceededException", "SlowDown", "TooManyRequestsException", "RequestLimitExceeded",
            "BandwidthLimitExceeded", "RequestThrottled", "RequestThrottledException", "EC2ThrottledException",
            "PriorRequestNotComplete", "TransactionInProgressException");
    private static final Map<String, Method> EXCEPTION_BUILDERS = new ConcurrentHashMap<>();

    private final Settings settings;
    private final URL url;
    private final String path;
    private final String host;
    private final SigV4 signer;

    public LeanDynamoDbClient(Settings settings) {
        this.settings = Objects.requireNonNull(settings);
        URI endpoint = settings.endpoint();
        try {
            this.url = endpoint.toURL();
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("bad DynamoDB endpoint: " + endpoint, e);
        }
        String p = endpoint.getRawPath();
        this.path = p == null || p.isEmpty() ? "/" : p;
        int port = url.getPort();
        this.host = url.getHost() + (port != -1 && port != url.getDefaultPort() ? ":" + port : "");
        this.signer = new SigV4("dynamodb", settings.region());
    }

    /**
     * Endpoint, signing region, credentials (asked on every call: a provider caches and refreshes them), timeouts
     * and retries.
     *
     * @param connectTimeout TCP connect timeout of one attempt
     * @param attemptTimeout longest wait for response bytes in one attempt (socket read timeout)
     * @param apiCallTimeout the whole call, retries and backoff included: then {@link ApiCallTimeoutException}
     * @param maxAttempts attempts per call (1 = no retries)
     * @param baseDelay backoff before retry n is uniform in [0, min(maxBackoff, baseDelay·2ⁿ⁻¹)] (full jitter)
     */
    public record Settings(URI endpoint, String region, Supplier<Credentials> credentials, Duration connectTimeout,
            Duration attemptTimeout, Duration apiCallTimeout, int maxAttempts, Duration baseDelay, Duration maxBackoff,
            Clock clock) {
        public Settings {
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(credentials, "credentials");
            if (endpoint == null) {
                endpoint = URI.create("https://dynamodb." + region + ".amazonaws.com" + (region.startsWith("cn-") ? ".cn" : ""));
            }
            if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be ≥ 1");
        }

        /** The SDK's DynamoDB defaults: 9 attempts, 25 ms base, 20 s cap; Sluice's timeouts (5 s connect, 20 s attempt, 60 s call). */
        public static Settings of(URI endpoint, String region, Supplier<Credentials> credentials) {
            return new Settings(endpoint, region, credentials, Duration.ofSeconds(5), Duration.ofSeconds(20),
                    Duration.ofSeconds(60), 9, Duration.ofMillis(25), Duration.ofSeconds(20), Clock.systemUTC());
        }

        public Settings withRetries(int attempts, Duration base, Duration cap) {
            return new Settings(endpoint, region, credentials, connectTimeout, attemptTimeout, apiCallTimeout, attempts,
                    base, cap, clock);
        }

        public Settings withTimeouts(Duration connect, Duration attempt, Duration apiCall) {
            return new Settings(endpoint, region, credentials, connect, attempt, apiCall, maxAttempts, baseDelay,
                    maxBackoff, clock);
        }

        public Settings withClock(Clock c) {
            return new Settings(endpoint, region, credentials, connectTimeout, attemptTimeout, apiCallTimeout,
                    maxAttempts, baseDelay, maxBackoff, c);
        }
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
        // nothing held: HttpURLConnection keeps idle connections in the JDK's keep-alive cache
    }

    @Override
    public DynamoDbWaiter waiter() {
        return DynamoDbWaiter.builder().client(this).build();
    }

    // ---- operations ----

    @Override
    public GetItemResponse getItem(GetItemRequest r) {
        return call("GetItem", r, GetItemResponse::builder);
    }

    @Override
    public PutItemResponse putItem(PutItemRequest r) {
        return call("PutItem", r, PutItemResponse::builder);
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest r) {
        return call("UpdateItem", r, UpdateItemResponse::builder);
    }

    @Override
    public DeleteItemResponse deleteItem(DeleteItemRequest r) {
        return call("DeleteItem", r, DeleteItemResponse::builder);
    }

    @Override
    public QueryResponse query(QueryRequest r) {
        return call("Query", r, QueryResponse::builder);
    }

    @Override
    public ScanResponse scan(ScanRequest r) {
        return call("Scan", r, ScanResponse::builder);
    }

    @Override
    public BatchGetItemResponse batchGetItem(BatchGetItemRequest r) {
        return call("BatchGetItem", r, BatchGetItemResponse::builder);
    }

    @Override
    public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest r) {
        return call("BatchWriteItem", r, BatchWriteItemResponse::builder);
    }

    @Override
    public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest r) {
        return call("TransactWriteItems", r, TransactWriteItemsResponse::builder);
    }

    @Override
    public TransactGetItemsResponse transactGetItems(TransactGetItemsRequest r) {
        return call("TransactGetItems", r, TransactGetItemsResponse::builder);
    }

    @Override
    public CreateTableResponse createTable(CreateTableRequest r) {
        return call("CreateTable", r, CreateTableResponse::builder);
    }

    @Override
    public DescribeTableResponse describeTable(DescribeTableRequest r) {
        return call("DescribeTable", r, DescribeTableResponse::builder);
    }

    @Override
    public UpdateTableResponse updateTable(UpdateTableRequest r) {
        return call("UpdateTable", r, UpdateTableResponse::builder);
    }

    @Override
    public DeleteTableResponse deleteTable(DeleteTableRequest r) {
        return call("DeleteTable", r, DeleteTableResponse::builder);
    }

    @Override
    public ListTablesResponse listTables(ListTablesRequest r) {
        return call("ListTables", r, ListTablesResponse::builder);
    }

    @Override
    public ListTablesResponse listTables() {
        return listTables(ListTablesRequest.builder().build());
    }

    @Override
    public UpdateTimeToLiveResponse updateTimeToLive(UpdateTimeToLiveRequest r) {
        return call("UpdateTimeToLive", r, UpdateTimeToLiveResponse::builder);
    }

    @Override
    public DescribeTimeToLiveResponse describeTimeToLive(DescribeTimeToLiveRequest r) {
        return call("DescribeTimeToLive", r, DescribeTimeToLiveResponse::builder);
    }

    /**
     * Reads a canned item response and a canned error, no network: with a failed warm-up call this loads the classes
     * a first real call uses (see {@code DynamoClients.warmUp}).
     */
    public static void warmUpResponses() {
        GetItemResponse r = AwsJsonCodec.read("{\"Item\":{\"id\":{\"S\":\"w\"},\"n\":{\"N\":\"1\"}}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), GetItemResponse::builder);
        if (!r.hasItem()) throw new IllegalStateException("warm-up response not read");
        error(new Reply(400, ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
                + "\"message\":\"warm-up\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8), "warm-up", null, null), 1);
    }

    // ---- transport ----

    /** One call: marshal, then attempts (each signed afresh) until success, a non-retryable failure or the limits. */
    private <T> T call(String operation, SdkPojo request, Supplier<? extends SdkPojo> response) {
        byte[] body = AwsJsonCodec.write(request);
        long start = System.nanoTime();
        long budget = settings.apiCallTimeout().toNanos();
        for (int attempt = 1; ; attempt++) {
            RuntimeException failure;
            boolean retryable;
            long remaining = budget - (System.nanoTime() - start);
            if (remaining <= 0) throw timeout(null);
            try {
                Reply reply = send(operation, body, remaining);
                if (reply.status == 200) {
                    checkCrc(reply);
                    try {
                        return AwsJsonCodec.read(reply.body, response);
                    } catch (RuntimeException malformed) {
                        throw SdkClientException.create("Unable to unmarshall the " + operation + " response: "
                                + malformed.getMessage(), malformed);
                    }
                }
                AwsServiceException e = error(reply, attempt);
                failure = e;
                String code = e.awsErrorDetails().errorCode();
                retryable = reply.status >= 500 || reply.status == 429 || (code != null && THROTTLING.contains(code));
            } catch (SocketTimeoutException e) {
                if (budget - (System.nanoTime() - start) <= 0) throw timeout(e);
                failure = SdkClientException.create("Unable to execute HTTP request: " + e.getMessage(), e);
                retryable = true;
            } catch (IOException e) {
                failure = SdkClientException.create("Unable to execute HTTP request: " + e.getMessage(), e);
                retryable = true;
            }
            if (!retryable || attempt >= settings.maxAttempts()) throw failure;
            long cap = Math.min(settings.maxBackoff().toNanos(), settings.baseDelay().toNanos() << Math.min(attempt - 1, 30));
            long delay = cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap + 1);
            if (budget - (System.nanoTime() - start) - delay <= 0) throw timeout(failure);
            sleep(delay, failure);
        }
    }

    private ApiCallTimeoutException timeout(Throwable cause) {
        return ApiCallTimeoutException.create("Client execution did not complete before the specified timeout "
                + "configuration: " + settings.apiCallTimeout().toMillis() + " millis", cause);
    }

    private static void sleep(long nanos, RuntimeException failure) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.addSuppressed(e);
            throw failure;
        }
    }

    private record Reply(int status, byte[] body, String requestId, String crc32, String errorType) {}

    private Reply send(String operation, byte[] body, long remainingNanos) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", host);
        headers.put("Content-Type", CONTENT_TYPE);
        headers.put("X-Amz-Target", TARGET_PREFIX + operation);
        Credentials credentials;
        try {
            credentials = settings.credentials().get();
        } catch (SdkClientException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SdkClientException.create("Unable to load credentials: " + e.getMessage(), e);
        }
        signer.sign(path, headers, body, credentials, settings.clock().instant());
        headers.remove("Host"); // HttpURLConnection sends exactly this value itself (a restricted header)
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        try {
            long remainingMs = Math.max(1, remainingNanos / 1_000_000);
            c.setConnectTimeout((int) Math.min(settings.connectTimeout().toMillis(), remainingMs));
            c.setReadTimeout((int) Math.min(settings.attemptTimeout().toMillis(), remainingMs));
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setUseCaches(false);
            c.setInstanceFollowRedirects(false);
            headers.forEach(c::setRequestProperty);
            c.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            byte[] bytes;
            if (in == null) {
                bytes = new byte[0];
            } else {
                try (in) {
                    bytes = in.readAllBytes(); // read to the end: the connection goes back to the keep-alive cache
                }
            }
            return new Reply(status, bytes, c.getHeaderField("x-amzn-RequestId"), c.getHeaderField("x-amz-crc32"),
                    c.getHeaderField("x-amzn-ErrorType"));
        } catch (IOException e) {
            c.disconnect();
            throw e;
        }
    }

    /** A body the transport damaged is an I/O failure, as the SDK treats it (retried). */
    private static void checkCrc(Reply reply) throws IOException {
        if (reply.crc32 == null) return;
        CRC32 crc = new CRC32();
        crc.update(reply.body);
        if (!Long.toString(crc.getValue()).equals(reply.crc32.strip())) {
            throw new IOException("response CRC32 mismatch (header " + reply.crc32 + ", body " + crc.getValue() + ")");
        }
    }

    /** The SDK's modeled exception for the error code (its members unmarshalled), or DynamoDbException. */
    private static AwsServiceException error(Reply reply, int attempt) {
        Map<String, String> top = AwsJsonCodec.topLevelStrings(reply.body);
        String code = errorCode(reply.errorType);
        if (code == null) code = errorCode(top.get("__type"));
        String message = top.get("message");
        if (message == null) message = top.get("Message");
        if (message == null && code == null) message = "HTTP status " + reply.status;
        AwsServiceException.Builder b = exceptionBuilder(code);
        try {
            AwsJsonCodec.fill(reply.body, b); // modeled members, e.g. Item, CancellationReasons
        } catch (RuntimeException ignored) {
            // members are a bonus; code and message are what callers need
        }
        return b.message(message).statusCode(reply.status).requestId(reply.requestId).numAttempts(attempt)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("DynamoDb")
                        .build())
                .build();
    }

    /** {@code x-amzn-ErrorType: Code:http://…} or {@code __type: com.amazonaws.dynamodb.v20120810#Code}. */
    static String errorCode(String raw) {
        if (raw == null || raw.isBlank()) return null;
        String s = raw;
        int colon = s.indexOf(':');
        if (colon >= 0) s = s.substring(0, colon);
        int hash = s.lastIndexOf('#');
        if (hash >= 0) s = s.substring(hash + 1);
        s = s.strip();
        return s.isEmpty() ? null : s;
    }

    private static AwsServiceException.Builder exceptionBuilder(String code) {
        Method m = code == null || !code.matches("[A-Za-z0-9]+") ? null : EXCEPTION_BUILDERS.computeIfAbsent(code, c -> {
            try {
                Class<?> type = Class.forName(MODEL_PACKAGE + c, true, DynamoDbException.class.getClassLoader());
                if (!DynamoDbException.class.isAssignableFrom(type) || type == DynamoDbException.class) return null;
                return type.getMethod("builder");
            } catch (ReflectiveOperationException | LinkageError unknown) {
                return null;
            }
        });
        if (m != null) {
            try {
                return (AwsServiceException.Builder) m.invoke(null);
            } catch (ReflectiveOperationException e) {
                // fall back to the generic type
            }
        }
        return DynamoDbException.builder();
    }
}
