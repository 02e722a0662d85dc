package dev.sluice.fn.api;

import dev.sluice.fn.common.ApiException;
import dev.sluice.fn.common.Datasets;
import dev.sluice.odf.Multihash;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetLayout;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;

/**
 * ODF's simple transfer protocol, as kamu-node serves it: {@code refs/head} (text hash), {@code blocks/{hash}}
 * (exact stored bytes: the client hashes them), {@code data/{hash}} and {@code checkpoints/{hash}}. Hashes are
 * parsed before any storage access, so only well-formed object names reach the store.
 */
@Path("/{account}/{dataset}")
@Blocking
public class TransferResource {
    private final Datasets datasets;

    public TransferResource(Datasets datasets) {
        this.datasets = datasets;
    }

    @GET
    @Path("refs/{ref}")
    public Response ref(@PathParam("account") String account, @PathParam("dataset") String name, @PathParam("ref") String ref) {
        Dataset ds = datasets.get(account, name);
        if (!ref.equals("head")) throw ApiException.notFound("no ref '" + ref + "' (datasets have only 'head')");
        return Response.ok(ds.head().orElseThrow().toMultibase(), MediaType.TEXT_PLAIN_TYPE).build();
    }

    @GET
    @Path("blocks/{hash}")
    public Response block(@PathParam("account") String account, @PathParam("dataset") String name, @PathParam("hash") String hash)
            throws IOException {
        Dataset ds = datasets.get(account, name);
        Multihash h = Multihash.fromMultibase(hash);
        byte[] bytes = ds.store().get(DatasetLayout.block(ds.id(), h)).orElseThrow(() -> ApiException.notFound("no block " + hash));
        return Response.ok(bytes, MediaType.APPLICATION_OCTET_STREAM_TYPE).build();
    }

    @GET
    @Path("data/{hash}")
    public Response data(@PathParam("account") String account, @PathParam("dataset") String name, @PathParam("hash") String hash)
            throws IOException {
        Dataset ds = datasets.get(account, name);
        Multihash h = Multihash.fromMultibase(hash);
        if (!ds.store().exists(DatasetLayout.data(ds.id(), h))) throw ApiException.notFound("no data object " + hash);
        return Response.ok(ds.openData(h), MediaType.APPLICATION_OCTET_STREAM_TYPE).build();
    }

    @GET
    @Path("checkpoints/{hash}")
    public Response checkpoint(@PathParam("account") String account, @PathParam("dataset") String name, @PathParam("hash") String hash)
            throws IOException {
        Dataset ds = datasets.get(account, name);
        Multihash h = Multihash.fromMultibase(hash);
        if (!ds.store().exists(DatasetLayout.checkpoint(ds.id(), h))) throw ApiException.notFound("no checkpoint " + hash);
        return Response.ok(ds.openCheckpoint(h), MediaType.APPLICATION_OCTET_STREAM_TYPE).build();
    }
}
