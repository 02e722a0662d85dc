package dev.sluice.storage;

import org.gaul.s3proxy.PutOptions2;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.BlobMetadata;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.http.HttpResponse;
import org.jclouds.http.HttpResponseException;

/**
 * Test-server fix: s3proxy 3.0.0 enforces {@code If-None-Match: *} / {@code If-Match} for local blob stores by
 * reading the blob's metadata and then writing, as two separate steps, so two racing conditional PUTs can both
 * pass the check. Real S3 evaluates the condition atomically with the write. This decorator re-checks the
 * condition and writes under one lock (all writes and deletes take it), answering 412 like S3, so the
 * concurrency tests exercise S3's semantics instead of the emulator's race.
 */
final class AtomicConditionalBlobStore extends ForwardingBlobStore {

    private final Object lock = new Object();

    AtomicConditionalBlobStore(BlobStore delegate) {
        super(delegate);
    }

    @Override
    public String putBlob(String container, Blob blob) {
        synchronized (lock) {
            return super.putBlob(container, blob);
        }
    }

    @Override
    public String putBlob(String container, Blob blob, PutOptions options) {
        synchronized (lock) {
            if (options instanceof PutOptions2 conditional) {
                BlobMetadata current = delegate().blobMetadata(container, blob.getMetadata().getName());
                String ifNoneMatch = conditional.getIfNoneMatch();
                String ifMatch = conditional.getIfMatch();
                if (ifNoneMatch != null && current != null
                        && (ifNoneMatch.equals("*") || unquote(ifNoneMatch).equals(unquote(current.getETag())))) {
                    throw preconditionFailed();
                }
                if (ifMatch != null && (current == null || !unquote(ifMatch).equals(unquote(current.getETag())))) {
                    throw preconditionFailed();
                }
            }
            return super.putBlob(container, blob, options);
        }
    }

    @Override
    public void removeBlob(String container, String name) {
        synchronized (lock) {
            super.removeBlob(container, name);
        }
    }

    @Override
    public void removeBlobs(String container, Iterable<String> names) {
        synchronized (lock) {
            super.removeBlobs(container, names);
        }
    }

    private static String unquote(String etag) {
        return etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1) : etag;
    }

    /** s3proxy maps an HttpResponseException with status 412 to an S3 PreconditionFailed error response. */
    private static HttpResponseException preconditionFailed() {
        return new HttpResponseException("conditional write lost", null,
                HttpResponse.builder().statusCode(412).message("Precondition Failed").build());
    }
}
