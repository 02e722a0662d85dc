package dev.sluice.fn.ingest;

import dev.sluice.fn.common.Bodies;
import dev.sluice.fn.common.Node;
import dev.sluice.ingest.IngestSource;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;

/**
 * kamu-node's push endpoint {@code POST /{account}/{dataset}/ingest}: the body is the raw data, its format the
 * Content-Type (none or {@code application/octet-stream}: the push source's own format). The body is spooled to
 * a file within the size limit, then handed to {@link IngestFunction}.
 */
@Path("/{account}/{dataset}/ingest")
public class IngestResource {
    private final IngestFunction function;
    private final Node node;

    public IngestResource(IngestFunction function, Node node) {
        this.function = function;
        this.node = node;
    }

    @POST
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    public IngestFunction.IngestResponse ingest(
            @PathParam("account") String account,
            @PathParam("dataset") String dataset,
            @QueryParam("sourceName") String sourceName,
            @HeaderParam("Content-Type") String contentType,
            @HeaderParam("Content-Length") String contentLength,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            InputStream body) throws IOException {
        long limit = node.config().maxBodyBytes();
        InputStream in = Bodies.checked(body, contentLength, limit);
        IngestFunction.checkMediaType(contentType);
        java.nio.file.Path file = Bodies.spool(in, node.scratchDir(), limit);
        try {
            return function.push(account, dataset, sourceName, contentType, IngestSource.ofFile(file), idempotencyKey);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
