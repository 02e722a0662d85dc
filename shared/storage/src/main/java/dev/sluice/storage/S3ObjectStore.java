package dev.sluice.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link ObjectStore} on S3 or an S3-compatible server: key {@code k} is object {@code <prefix>k} in the bucket.
 *
 * <ul>
 *   <li>{@link #putIfAbsent} is a PutObject with {@code If-None-Match: *}; 412 means the key exists.</li>
 *   <li>{@link #compareAndSet} is a PutObject with {@code If-Match: <etag>} (or {@code If-None-Match: *} when creating);
 *       the version token is the object's ETag as returned by S3 (quoted). 412 (precondition failed), 409
 *       (ConditionalRequestConflict: a concurrent conditional write) and 404 (object gone) all mean "not applied".</li>
 *   <li>Listings page through ListObjectsV2.</li>
 * </ul>
 * Requires a server that enforces conditional writes (AWS S3 since 2024, MinIO, s3proxy ≥ 3.0).
 * Other SDK failures are rethrown as IOException naming the store and key.
 */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {

    /** putIfAbsent retries a 409 (another conditional write in flight) this many times before giving up. */
    private static final int CONFLICT_RETRIES = 5;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final boolean ownsClient;

    /** Uses (and does not close) the given client; {@code prefix} may be "" or e.g. "datasets" / "datasets/". */
    public S3ObjectStore(S3Client s3, String bucket, String prefix) {
        this(s3, new S3Config(bucket, prefix, null, null, false, null, null), false);
    }

    private S3ObjectStore(S3Client s3, S3Config config, boolean ownsClient) {
        this.s3 = java.util.Objects.requireNonNull(s3, "s3");
        this.bucket = config.bucket();
        this.prefix = config.prefix(); // validated and normalised by S3Config
        this.ownsClient = ownsClient;
    }

    /** Builds a client from the config; {@link #close()} closes it. */
    public static S3ObjectStore create(S3Config config) {
        return new S3ObjectStore(buildClient(config), config, true);
    }

    /** Shorthand for {@code create(S3Config.parse(uri))}. */
    public static S3ObjectStore create(String uri) {
        return create(S3Config.parse(uri));
    }

    /**
     * An S3 client with the settings S3-compatible servers need: path-style when asked, checksums only when an
     * operation requires them (the SDK's default flexible checksums make PutObject fail on s3proxy/MinIO), and no
     * {@code Expect: 100-continue} (see {@link NoExpectContinue}). Clients passed to the public constructor should
     * be configured the same way.
     */
    public static S3Client buildClient(S3Config config) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .forcePathStyle(config.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.addExecutionInterceptor(new NoExpectContinue()));
        if (config.endpoint() != null) {
            builder.endpointOverride(config.endpoint());
        }
        if (config.region() != null) {
            builder.region(Region.of(config.region()));
        } else if (config.endpoint() != null) {
            builder.region(Region.US_EAST_1); // custom endpoints rarely care, but the SDK needs some region
        }
        AwsCredentialsProvider credentials = config.accessKeyId() != null
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKeyId(), config.secretAccessKey()))
                : DefaultCredentialsProvider.builder().build();
        return builder.credentialsProvider(credentials).build();
    }

    public String bucket() {
        return bucket;
    }

    /** "" or a prefix ending with '/'. */
    public String prefix() {
        return prefix;
    }

    // ---------------------------------------------------------------------------------------------- reads

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        return getVersioned(key).map(Versioned::bytes);
    }

    @Override
    public InputStream openStream(String key) throws IOException {
        String objectKey = objectKey(key);
        try {
            return s3.getObject(GetObjectRequest.builder().bucket(bucket).key(objectKey).build());
        } catch (SdkException e) {
            if (isNotFound(e)) {
                NoSuchFileException absent = new NoSuchFileException(describe(key));
                absent.initCause(e);
                throw absent;
            }
            throw io("read", key, e);
        }
    }

    @Override
    public Optional<Versioned> getVersioned(String key) throws IOException {
        String objectKey = objectKey(key);
        try {
            ResponseBytes<GetObjectResponse> response =
                    s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(objectKey).build());
            return Optional.of(new Versioned(response.asByteArrayUnsafe(), response.response().eTag()));
        } catch (SdkException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            throw io("read", key, e);
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        return head(key).isPresent();
    }

    @Override
    public long size(String key) throws IOException {
        return head(key).map(HeadObjectResponse::contentLength).orElse(-1L);
    }

    private Optional<HeadObjectResponse> head(String key) throws IOException {
        String objectKey = objectKey(key);
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(objectKey)));
        } catch (SdkException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            throw io("stat", key, e);
        }
    }

    // --------------------------------------------------------------------------------------------- writes

    @Override
    public boolean putIfAbsent(String key, byte[] bytes) throws IOException {
        try {
            return putIfAbsent(key, () -> RequestBody.fromBytes(bytes));
        } catch (AmbiguousWrite e) {
            // The PUT may or may not have been applied (connection lost, or an SDK retry of a write that had already
            // succeeded). The object's content decides: ours means it was created with our bytes.
            Optional<byte[]> now = get(key);
            if (now.isEmpty()) throw io("write", key, e.cause);
            return Arrays.equals(now.get(), bytes);
        }
    }

    @Override
    public boolean putIfAbsent(String key, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        if (exists(key)) {
            return false; // don't stream a large file only to be refused; the conditional PUT still decides races
        }
        // fromFile streams from disk (length known up front); no whole-file buffer in memory.
        try {
            return putIfAbsent(key, () -> RequestBody.fromFile(file));
        } catch (AmbiguousWrite e) {
            if (size(key) == Files.size(file)) return false; // content-addressed: an object of that name is ours
            throw io("write", key, e.cause);
        }
    }

    private interface Body {
        RequestBody get();
    }

    private boolean putIfAbsent(String key, Body body) throws IOException {
        String objectKey = objectKey(key);
        for (int attempt = 0; ; attempt++) {
            try {
                s3.putObject(PutObjectRequest.builder().bucket(bucket).key(objectKey).ifNoneMatch("*").build(),
                        body.get());
                return true;
            } catch (SdkException e) {
                int status = status(e);
                if (status == 412) {
                    return false; // exists: never overwritten
                }
                if (status == 409 && attempt < CONFLICT_RETRIES) {
                    // Another conditional write to this key is in flight. Its outcome decides ours: retrying gets
                    // 412 if it created the object, or succeeds if it failed.
                    continue;
                }
                if (status < 0) throw new AmbiguousWrite(e);
                throw io("write", key, e);
            }
        }
    }

    @Override
    public boolean compareAndSet(String key, String expectedVersion, byte[] newBytes) throws IOException {
        String objectKey = objectKey(key);
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(objectKey);
        if (expectedVersion == null) {
            request.ifNoneMatch("*");
        } else {
            request.ifMatch(expectedVersion);
        }
        try {
            s3.putObject(request.build(), RequestBody.fromBytes(newBytes));
            return true;
        } catch (SdkException e) {
            int status = status(e);
            // 412: version moved on; 409: a concurrent conditional write (retryable by the caller);
            // 404: If-Match on an object deleted meanwhile. A transport error (no status) is ambiguous.
            if (status == 412 || status == 409 || (status == 404 && expectedVersion != null) || status < 0) {
                // A 412 can also answer the SDK's retry of a PUT that had already succeeded, and a lost connection
                // says nothing: the current content decides. Refs hold block hashes, unique per block, so content
                // equal to ours means our write is the one in place.
                Optional<byte[]> now;
                try {
                    now = get(key);
                } catch (IOException again) {
                    throw io("compare-and-set", key, e);
                }
                if (now.isPresent() && Arrays.equals(now.get(), newBytes)) return true;
                if (status < 0 && now.isEmpty() && expectedVersion == null) throw io("compare-and-set", key, e);
                return false;
            }
            throw io("compare-and-set", key, e);
        }
    }

    /** A conditional write whose outcome is unknown (no HTTP status came back). */
    private static final class AmbiguousWrite extends IOException {
        final SdkException cause;

        AmbiguousWrite(SdkException cause) {
            super(cause.getMessage(), cause);
            this.cause = cause;
        }
    }

    @Override
    public void delete(String key) throws IOException {
        String objectKey = objectKey(key);
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(objectKey));
        } catch (SdkException e) {
            if (isNotFound(e)) {
                return;
            }
            throw io("delete", key, e);
        }
    }

    // ------------------------------------------------------------------------------------------- listings

    @Override
    public List<String> list(String keyPrefix) throws IOException {
        Keys.requireValidPrefix(keyPrefix);
        List<String> keys = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(listRequest(keyPrefix, null))) {
                for (S3Object object : page.contents()) {
                    String key = object.key().substring(prefix.length());
                    if (!key.isEmpty() && !key.endsWith("/")) { // skip "folder" marker objects
                        keys.add(key);
                    }
                }
            }
        } catch (SdkException e) {
            throw io("list", keyPrefix, e);
        }
        Collections.sort(keys);
        return keys;
    }

    /** Immediate children, sorted: object names as-is and common prefixes with a trailing '/', relative to the prefix. */
    @Override
    public List<String> listChildren(String keyPrefix) throws IOException {
        Keys.requireValidPrefix(keyPrefix);
        String full = prefix + keyPrefix;
        List<String> children = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(listRequest(keyPrefix, "/"))) {
                for (CommonPrefix common : page.commonPrefixes()) {
                    children.add(common.prefix().substring(full.length()));
                }
                for (S3Object object : page.contents()) {
                    String name = object.key().substring(full.length());
                    if (!name.isEmpty()) { // the prefix's own marker object
                        children.add(name);
                    }
                }
            }
        } catch (SdkException e) {
            throw io("list", keyPrefix, e);
        }
        Collections.sort(children);
        return children;
    }

    private ListObjectsV2Request listRequest(String keyPrefix, String delimiter) {
        return ListObjectsV2Request.builder().bucket(bucket).prefix(prefix + keyPrefix).delimiter(delimiter).build();
    }

    @Override
    public String describe() {
        return prefix.isEmpty() ? "s3://" + bucket : "s3://" + bucket + "/" + prefix.substring(0, prefix.length() - 1);
    }

    @Override
    public String toString() {
        return "S3ObjectStore[" + describe() + "]";
    }

    /** Closes the S3 client if this store built it. */
    @Override
    public void close() {
        if (ownsClient) {
            s3.close();
        }
    }

    // ------------------------------------------------------------------------------------------- internals

    /**
     * Drops the {@code Expect: 100-continue} header the SDK adds to PutObject. When a server answers a conditional
     * PUT with 412 instead of "100 Continue", the JDK HttpURLConnection behind url-connection-client reports
     * "Error writing request body to server" (and the SDK retries the same way) instead of the 412, so a lost
     * putIfAbsent/compareAndSet would surface as an I/O error rather than {@code false}.
     */
    public static final class NoExpectContinue implements ExecutionInterceptor {
        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            SdkHttpRequest request = context.httpRequest();
            return request.firstMatchingHeader("Expect").isPresent()
                    ? request.toBuilder().removeHeader("Expect").build()
                    : request;
        }
    }

    private String objectKey(String key) {
        return prefix + Keys.requireValidKey(key);
    }

    private String describe(String key) {
        return "s3://" + bucket + "/" + prefix + key;
    }

    private static int status(SdkException e) {
        return e instanceof S3Exception s3e ? s3e.statusCode() : -1;
    }

    /** Missing object; a missing bucket (also 404) is a configuration error and stays an error. */
    private static boolean isNotFound(SdkException e) {
        if (e instanceof NoSuchKeyException) {
            return true;
        }
        if (!(e instanceof S3Exception s3e) || s3e.statusCode() != 404) {
            return false;
        }
        String code = s3e.awsErrorDetails() == null ? null : s3e.awsErrorDetails().errorCode();
        return !"NoSuchBucket".equals(code); // HEAD responses have no body, hence no code: treat as missing key
    }

    private IOException io(String operation, String key, SdkException e) {
        if (Thread.currentThread().isInterrupted()) {
            InterruptedIOException interrupted = new InterruptedIOException("Interrupted during S3 " + operation);
            interrupted.initCause(e);
            return interrupted;
        }
        return new IOException("S3 " + operation + " failed for " + describe(key) + ": " + e.getMessage(), e);
    }
}
