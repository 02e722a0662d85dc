package dev.sluice.state.dynamo;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.TreeMap;

/**
 * AWS Signature Version 4 for one JSON POST (header-based, signed payload), as the SDK's {@code AwsV4HttpSigner} signs
 * it: every given header is signed. Byte-for-byte equal to the SDK's signature (tested).
 */
final class SigV4 {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** Runs of spaces in a header value, folded to one when canonicalised (compiled once, not per header and call). */
    private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile(" +");

    private final String service;
    private final String region;

    SigV4(String service, String region) {
        this.service = service;
        this.region = region;
    }

    /**
     * Adds {@code X-Amz-Date}, {@code X-Amz-Content-Sha256}, {@code X-Amz-Security-Token} (with a session token) and {@code Authorization} to
     * {@code headers} (names as sent; {@code Host} included for signing, the HTTP client sends it itself).
     */
    void sign(String path, Map<String, String> headers, byte[] body, Credentials credentials, Instant now) {
        String amzDate = amzDate(now);
        String date = amzDate.substring(0, 8);
        String payloadHash = hex(sha256(body));
        headers.put("X-Amz-Date", amzDate);
        headers.put("X-Amz-Content-Sha256", payloadHash); // as the SDK client sends (and signs) it
        if (credentials.sessionToken() != null) headers.put("X-Amz-Security-Token", credentials.sessionToken());
        TreeMap<String, String> canonical = new TreeMap<>();
        headers.forEach((k, v) -> canonical.put(k.toLowerCase(java.util.Locale.ROOT), SPACES.matcher(v.strip()).replaceAll(" ")));
        StringBuilder req = new StringBuilder("POST\n").append(path).append("\n\n");
        canonical.forEach((k, v) -> req.append(k).append(':').append(v).append('\n'));
        String signedHeaders = String.join(";", canonical.keySet());
        req.append('\n').append(signedHeaders).append('\n').append(payloadHash);
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(req.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        String signature = hex(hmac(key, toSign));
        headers.put("Authorization", "AWS4-HMAC-SHA256 Credential=" + credentials.accessKeyId() + "/" + scope
                + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
    }

    /** {@code yyyyMMdd'T'HHmmss'Z'} in UTC, without DateTimeFormatter or String.format (each ~20 more classes at first use). */
    static String amzDate(Instant now) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(now.getEpochSecond(), 0, ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(16);
        pad(b, t.getYear(), 4);
        pad(b, t.getMonthValue(), 2);
        pad(b, t.getDayOfMonth(), 2);
        b.append('T');
        pad(b, t.getHour(), 2);
        pad(b, t.getMinute(), 2);
        pad(b, t.getSecond(), 2);
        return b.append('Z').toString();
    }

    private static void pad(StringBuilder b, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) b.append('0');
        b.append(s);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 input block size, for HMAC. */
    private static final int BLOCK = 64;

    /**
     * HMAC-SHA256 (RFC 2104) over {@link MessageDigest}: {@code javax.crypto.Mac} would first walk the JCE provider
     * list (EC curves, PKCS#11, crypto policy files: ~120 classes) on a cold start's first signed request.
     */
    static byte[] hmac(byte[] key, String data) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] k = key.length > BLOCK ? sha.digest(key) : key;
            byte[] pad = new byte[BLOCK];
            for (int i = 0; i < BLOCK; i++) pad[i] = (byte) ((i < k.length ? k[i] : 0) ^ 0x36);
            sha.update(pad);
            byte[] inner = sha.digest(data.getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < BLOCK; i++) pad[i] ^= 0x36 ^ 0x5c;
            sha.update(pad);
            return sha.digest(inner);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] b) {
        char[] out = new char[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            out[2 * i] = HEX[(b[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[b[i] & 0xf];
        }
        return new String(out);
    }
}
