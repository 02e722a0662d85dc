package dev.sluice.state.dynamo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.state.DynamoClients;
import dev.sluice.state.StateConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ThrottlingException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The lean client against a real local HTTP server that answers from a script: retries (exact attempt counts),
 * errors as DynamoDB sends them (compared with the SDK client's reading of the same bytes), timeouts, I/O failures.
 */
class LeanDynamoDbClientHttpTest {
    record Answer(int status, String body, boolean badCrc, CountDownLatch holdUntil) {
        static Answer of(int status, String body) {
            return new Answer(status, body, false, null);
        }

        static Answer error(int status, String code, String extra) {
            return of(status, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + code + "\"" + extra + "}");
        }
    }

    record Seen(String target, String contentType, String authorization) {}

    HttpServer server;
    ExecutorService executor;
    final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            seen.add(new Seen(ex.getRequestHeaders().getFirst("X-Amz-Target"), ex.getRequestHeaders().getFirst("Content-Type"),
                    ex.getRequestHeaders().getFirst("Authorization")));
            Answer a = script.poll();
            if (a == null) a = Answer.of(500, "{\"__type\":\"NoScriptedAnswer\"}");
            if (a.holdUntil() != null) {
                try {
                    a.holdUntil().await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            CRC32 crc = new CRC32();
            crc.update(body);
            ex.getResponseHeaders().add("x-amzn-RequestId", "REQ" + seen.size());
            ex.getResponseHeaders().add("x-amz-crc32", Long.toString(crc.getValue() + (a.badCrc() ? 1 : 0)));
            ex.getResponseHeaders().add("Content-Type", LeanDynamoDbClient.CONTENT_TYPE);
            try {
                ex.sendResponseHeaders(a.status(), body.length);
                ex.getResponseBody().write(body);
            } catch (IOException clientGone) {
                // the timed-out client closed its end
            }
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    LeanDynamoDbClient lean(int attempts) {
        return new LeanDynamoDbClient(LeanDynamoDbClient.Settings.of(endpoint(), "us-east-1",
                () -> new Credentials("AKID", "secret", null)).withRetries(attempts, Duration.ofMillis(1), Duration.ofMillis(5)));
    }

    DynamoDbClient sdk() {
        return DynamoClients.build(StateConfig.endpoint(endpoint(), "us-east-1", ""), List.of(new ExecutionInterceptor() {}));
    }

    static GetItemResponse get(DynamoDbClient c) {
        return c.getItem(r -> r.tableName("t").key(Map.of("id", AttributeValue.fromS("a"))));
    }

    @Test
    void throttlingFiveHundredsAndDamagedBodiesAreRetriedUntilSuccess() {
        script.add(Answer.of(500, "{\"__type\":\"com.amazon.coral.service#InternalFailure\"}"));
        script.add(Answer.error(400, "ProvisionedThroughputExceededException", ",\"message\":\"slow down\""));
        script.add(Answer.error(400, "ThrottlingException", ""));
        script.add(Answer.of(503, "<html>unavailable</html>"));
        script.add(Answer.error(400, "RequestLimitExceeded", ""));
        script.add(new Answer(200, "{\"Item\":{\"id\":{\"S\":\"a\"}}}", true, null));
        script.add(Answer.of(200, "{\"Item\":{\"id\":{\"S\":\"a\"}}}"));
        GetItemResponse r = get(lean(9));
        assertEquals(Map.of("id", AttributeValue.fromS("a")), r.item());
        assertEquals(7, seen.size());
        for (Seen s : seen) {
            assertEquals("DynamoDB_20120810.GetItem", s.target());
            assertEquals("application/x-amz-json-1.0", s.contentType());
            assertTrue(s.authorization().startsWith("AWS4-HMAC-SHA256 Credential=AKID/"), s.authorization());
        }
    }

    @Test
    void retriesStopAtTheAttemptLimitWithTheLastError() {
        for (int i = 0; i < 5; i++) script.add(Answer.error(400, "ThrottlingException", ",\"message\":\"rate\""));
        ThrottlingException e = assertThrows(ThrottlingException.class, () -> get(lean(3)));
        assertEquals(3, seen.size());
        assertEquals("ThrottlingException", e.awsErrorDetails().errorCode());
        assertEquals("rate", e.awsErrorDetails().errorMessage());
        assertEquals("DynamoDb", e.awsErrorDetails().serviceName());
        assertEquals(400, e.statusCode());
        assertEquals("REQ3", e.requestId());
        assertEquals(2, script.size()); // nothing more was asked

        script.clear();
        seen.clear();
        script.add(Answer.error(400, "ProvisionedThroughputExceededException", ""));
        assertThrows(ProvisionedThroughputExceededException.class, () -> get(lean(1)));
        assertEquals(1, seen.size());
    }

    @Test
    void transactionCancellationsAreNotRetriedAndReadAsTheSdkReadsThem() {
        String body = ",\"CancellationReasons\":[{\"Code\":\"None\"},{\"Code\":\"ConditionalCheckFailed\",\"Item\":"
                + "{\"id\":{\"S\":\"a\"},\"l\":{\"L\":[]}},\"Message\":\"The conditional request failed\"},"
                + "{\"Code\":\"TransactionConflict\",\"Message\":\"Transaction is ongoing for the item\"}],"
                + "\"Message\":\"Transaction cancelled, please refer cancellation reasons for specific reasons "
                + "[None, ConditionalCheckFailed, TransactionConflict]\"";
        script.add(Answer.error(400, "TransactionCanceledException", body));
        TransactionCanceledException viaLean = assertThrows(TransactionCanceledException.class, () -> get(lean(9)));
        assertEquals(1, seen.size());
        script.add(Answer.error(400, "TransactionCanceledException", body));
        TransactionCanceledException viaSdk;
        try (DynamoDbClient sdk = sdk()) {
            viaSdk = assertThrows(TransactionCanceledException.class, () -> get(sdk));
        }
        assertEquals(2, seen.size());
        assertEquals(3, viaLean.cancellationReasons().size());
        assertEquals(viaSdk.cancellationReasons(), viaLean.cancellationReasons());
        assertEquals(viaSdk.awsErrorDetails().errorCode(), viaLean.awsErrorDetails().errorCode());
        assertEquals(viaSdk.awsErrorDetails().errorMessage(), viaLean.awsErrorDetails().errorMessage());
        assertEquals(viaSdk.awsErrorDetails().serviceName(), viaLean.awsErrorDetails().serviceName());
        assertEquals(viaSdk.statusCode(), viaLean.statusCode());
        assertEquals("REQ1", viaLean.requestId());
        assertEquals("REQ2", viaSdk.requestId());
    }

    @Test
    void conditionalCheckFailuresCarryTheItemAndUnknownCodesAreDynamoDbExceptions() {
        String ccf = ",\"message\":\"The conditional request failed\",\"Item\":{\"id\":{\"S\":\"a\"},\"n\":{\"N\":\"3\"}}";
        script.add(Answer.error(400, "ConditionalCheckFailedException", ccf));
        script.add(Answer.error(400, "ConditionalCheckFailedException", ccf));
        ConditionalCheckFailedException viaLean = assertThrows(ConditionalCheckFailedException.class, () -> get(lean(9)));
        ConditionalCheckFailedException viaSdk;
        try (DynamoDbClient sdk = sdk()) {
            viaSdk = assertThrows(ConditionalCheckFailedException.class, () -> get(sdk));
        }
        assertEquals(2, seen.size());
        assertEquals(Map.of("id", AttributeValue.fromS("a"), "n", AttributeValue.fromN("3")), viaLean.item());
        assertEquals(viaSdk.item(), viaLean.item());
        assertEquals(viaSdk.awsErrorDetails().errorMessage(), viaLean.awsErrorDetails().errorMessage());

        script.add(Answer.error(400, "SomethingNewException", ",\"Message\":\"new\""));
        DynamoDbException unknown = assertThrows(DynamoDbException.class, () -> get(lean(9)));
        assertEquals(DynamoDbException.class, unknown.getClass());
        assertEquals("SomethingNewException", unknown.awsErrorDetails().errorCode());
        assertEquals("new", unknown.awsErrorDetails().errorMessage());
        assertEquals(3, seen.size());
    }

    @Test
    void theCallTimeoutEndsAnUnansweredCall() {
        script.add(new Answer(200, "{}", false, release));
        LeanDynamoDbClient c = new LeanDynamoDbClient(LeanDynamoDbClient.Settings.of(endpoint(), "us-east-1",
                () -> new Credentials("AKID", "secret", null))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofMillis(300)));
        ApiCallTimeoutException e = assertThrows(ApiCallTimeoutException.class, () -> get(c));
        assertInstanceOf(SdkClientException.class, e);
        assertEquals(1, seen.size());
    }

    @Test
    void anUnreachableEndpointIsAnSdkClientException() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        LeanDynamoDbClient c = new LeanDynamoDbClient(LeanDynamoDbClient.Settings.of(URI.create("http://127.0.0.1:" + closed),
                "us-east-1", () -> new Credentials("AKID", "secret", null)).withRetries(2, Duration.ofMillis(1), Duration.ofMillis(2)));
        SdkClientException e = assertThrows(SdkClientException.class, () -> get(c));
        assertFalse(e instanceof ApiCallTimeoutException);
        assertInstanceOf(IOException.class, e.getCause());
    }
}
