package dev.sluice.state.dynamo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/** Our SigV4 signature equals the SDK signer's, byte for byte, on the same request at the same instant. */
class SigV4Test {
    /** Our HMAC-SHA256 equals the JCE's, for keys shorter than, as long as, and longer than SHA-256's block. */
    @org.junit.jupiter.api.Test
    void hmacEqualsTheJces() throws Exception {
        java.util.Random rnd = new java.util.Random(7);
        for (int keyLength : new int[] {1, 20, 32, 63, 64, 65, 100, 200}) {
            for (int dataLength : new int[] {0, 1, 55, 56, 64, 119, 1000}) {
                byte[] key = new byte[keyLength];
                rnd.nextBytes(key);
                StringBuilder data = new StringBuilder();
                for (int i = 0; i < dataLength; i++) data.append((char) ('a' + rnd.nextInt(26)));
                javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
                mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
                org.junit.jupiter.api.Assertions.assertArrayEquals(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)),
                        SigV4.hmac(key, data.toString()), "key " + keyLength + " data " + dataLength);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
            "https://dynamodb.eu-west-1.amazonaws.com, eu-west-1, ",
            "http://127.0.0.1:8123, us-east-1, ",
            "https://dynamodb.us-east-1.amazonaws.com, us-east-1, FwoGZXIvYXdzEJr//token+/=",
    })
    void signatureEqualsTheSdkSigners(String endpoint, String region, String token) {
        byte[] body = "{\"TableName\":\"t\",\"Key\":{\"id\":{\"S\":\"a b\"}}}".getBytes(StandardCharsets.UTF_8);
        Instant now = Instant.parse("2025-03-04T05:06:07Z");
        Credentials creds = new Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token);
        URI uri = URI.create(endpoint);
        String host = uri.getHost() + (uri.getPort() != -1 ? ":" + uri.getPort() : "");

        Map<String, String> ours = new LinkedHashMap<>();
        ours.put("Host", host);
        ours.put("Content-Type", LeanDynamoDbClient.CONTENT_TYPE);
        ours.put("X-Amz-Target", LeanDynamoDbClient.TARGET_PREFIX + "GetItem");
        new SigV4("dynamodb", region).sign("/", ours, body, creds, now);

        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri.resolve("/"))
                .putHeader("Content-Type", LeanDynamoDbClient.CONTENT_TYPE)
                .putHeader("X-Amz-Target", LeanDynamoDbClient.TARGET_PREFIX + "GetItem").build();
        AwsCredentialsIdentity identity = token == null
                ? AwsCredentialsIdentity.create(creds.accessKeyId(), creds.secretAccessKey())
                : AwsSessionCredentialsIdentity.create(creds.accessKeyId(), creds.secretAccessKey(), token);
        SignedRequest sdk = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "dynamodb")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC)));

        String expected = sdk.request().firstMatchingHeader("Authorization").orElseThrow();
        assertFalse(expected.isEmpty());
        assertEquals(expected, ours.get("Authorization"));
        assertEquals(sdk.request().firstMatchingHeader("X-Amz-Date").orElseThrow(), ours.get("X-Amz-Date"));
        assertEquals(sdk.request().firstMatchingHeader("X-Amz-Security-Token").orElse(null), ours.get("X-Amz-Security-Token"));
    }

    @org.junit.jupiter.api.Test
    void credentialsNeverShowTheirSecrets() {
        String s = new Credentials("AKID", "very-secret", "session-secret").toString();
        assertFalse(s.contains("very-secret") || s.contains("session-secret"), s);
    }
}
