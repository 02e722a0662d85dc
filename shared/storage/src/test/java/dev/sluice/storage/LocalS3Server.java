package dev.sluice.storage;

import java.net.URI;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 protocol server for tests and benchmarks: s3proxy 3.0.0 in this JVM on a free localhost port, backed by
 * jclouds' in-memory blob store made atomic for conditional writes ({@link AtomicConditionalBlobStore}, as S3 is).
 */
public final class LocalS3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "sluice-test";
    public static final String SECRET_KEY = "sluice-test-secret";
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private final S3Proxy proxy;
    private final BlobStoreContext blobContext;
    private final URI endpoint;
    private final S3Client client;

    private LocalS3Server(S3Proxy proxy, BlobStoreContext blobContext, URI endpoint) {
        this.proxy = proxy;
        this.blobContext = blobContext;
        this.endpoint = endpoint;
        this.client = S3ObjectStore.buildClient(config("unused", ""));
    }

    /** Starts a server; {@code atomicConditionals=false} gives plain s3proxy (whose conditional writes race). */
    public static LocalS3Server start(boolean atomicConditionals) throws Exception {
        BlobStoreContext ctx = ContextBuilder.newBuilder("transient").overrides(new Properties()).build(BlobStoreContext.class);
        BlobStore blobStore = ctx.getBlobStore();
        if (atomicConditionals) blobStore = new AtomicConditionalBlobStore(blobStore);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        // start() returns once Jetty is started; the bound port is known from then on.
        return new LocalS3Server(proxy, ctx, URI.create("http://127.0.0.1:" + proxy.getPort()));
    }

    public static LocalS3Server start() throws Exception {
        return start(true);
    }

    public URI endpoint() {
        return endpoint;
    }

    public S3Client client() {
        return client;
    }

    public S3Config config(String bucket, String prefix) {
        return new S3Config(bucket, prefix, endpoint, "us-east-1", true, ACCESS_KEY, SECRET_KEY);
    }

    /** A fresh bucket and a store on it under {@code prefix}. */
    public S3ObjectStore newStore(String prefix) {
        String bucket = "sluice-test-" + BUCKETS.incrementAndGet();
        client.createBucket(b -> b.bucket(bucket));
        return new S3ObjectStore(client, bucket, prefix);
    }

    @Override
    public void close() throws Exception {
        client.close();
        proxy.stop();
        blobContext.close();
    }
}
