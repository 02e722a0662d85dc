package dev.sluice.fn.api;

import dev.sluice.fn.common.ApiException;
import dev.sluice.fn.common.Bodies;
import dev.sluice.fn.common.Node;
import dev.sluice.odf.yaml.ManifestYaml;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** kamu-node's REST paths for the catalogue, tail and metadata, over {@link ApiFunctions}. */
@Path("/")
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class ApiResource {
    /** Media types a DatasetSnapshot manifest may be sent as (none given = YAML too). */
    static final Set<String> YAML_TYPES = Set.of("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain");

    private final ApiFunctions api;
    private final Node node;

    public ApiResource(ApiFunctions api, Node node) {
        this.api = api;
        this.node = node;
    }

    @GET
    @Path("datasets")
    public ApiFunctions.DatasetList list() {
        return api.list();
    }

    @POST
    @Path("datasets")
    public Response create(@HeaderParam("Content-Type") String contentType, @HeaderParam("Content-Length") String contentLength,
            InputStream body) throws IOException {
        if (contentType != null && !YAML_TYPES.contains(contentType.split(";")[0].strip().toLowerCase(Locale.ROOT))) {
            throw ApiException.unsupportedMediaType("a DatasetSnapshot is sent as YAML (application/yaml), not " + contentType);
        }
        long limit = node.config().maxBodyBytes();
        String yaml = utf8(Bodies.read(Bodies.checked(body, contentLength, limit), limit));
        return Response.status(201).entity(api.create(ManifestYaml.readSnapshot(yaml))).build();
    }

    @GET
    @Path("{account}/{dataset}/tail")
    public ApiFunctions.TailResponse tail(@PathParam("account") String account, @PathParam("dataset") String dataset,
            @QueryParam("skip") String skip, @QueryParam("limit") String limit) throws IOException {
        return api.tail(account, dataset, intParam("skip", skip, 0), intParam("limit", limit, 100));
    }

    @GET
    @Path("{account}/{dataset}/metadata")
    public Map<String, Object> metadata(@PathParam("account") String account, @PathParam("dataset") String dataset) {
        return api.metadata(account, dataset);
    }

    static int intParam(String name, String value, int dflt) {
        if (value == null || value.isBlank()) return dflt;
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be an integer");
        }
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("the manifest is not valid UTF-8");
        }
    }
}
