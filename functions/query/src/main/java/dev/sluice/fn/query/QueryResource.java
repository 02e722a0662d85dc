package dev.sluice.fn.query;

import dev.sluice.fn.common.ApiException;
import dev.sluice.fn.common.Bodies;
import dev.sluice.fn.common.Node;
import dev.sluice.query.DataFormat;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

/** kamu-node's {@code GET /query?query=…} and {@code POST /query} (JSON body) over {@link QueryFunction}. */
@Path("/query")
@Blocking
public class QueryResource {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final QueryFunction function;
    private final Node node;

    public QueryResource(QueryFunction function, Node node) {
        this.function = function;
        this.node = node;
    }

    @GET
    public Response get(@QueryParam("query") String query, @QueryParam("queryDialect") String dialect,
            @QueryParam("dataFormat") String dataFormat, @QueryParam("schemaFormat") String schemaFormat,
            @QueryParam("include") String include, @QueryParam("skip") String skip, @QueryParam("limit") String limit,
            @HeaderParam("Accept") String accept) throws IOException {
        List<String> inc = include == null || include.isBlank() ? null : Arrays.asList(include.split(","));
        return answer(new QueryFunction.QueryBody(query, dialect, dataFormat(dataFormat, accept), schemaFormat, inc,
                longParam("skip", skip), longParam("limit", limit), null));
    }

    @POST
    public Response post(@HeaderParam("Content-Type") String contentType, @HeaderParam("Content-Length") String contentLength,
            @HeaderParam("Accept") String accept, InputStream body) throws IOException {
        if (contentType != null && !contentType.split(";")[0].strip().equalsIgnoreCase("application/json")) {
            throw ApiException.unsupportedMediaType("the query body is JSON (application/json), not " + contentType);
        }
        long limit = node.config().maxBodyBytes();
        QueryFunction.QueryBody b;
        try {
            b = JSON.readValue(Bodies.read(Bodies.checked(body, contentLength, limit), limit), QueryFunction.QueryBody.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            // Mapped here: the REST layer's own Jackson mappers would answer these with a bare or non-error body.
            throw new dev.sluice.fn.common.ApiException(400, "bad-json", "malformed query body: " + e.getOriginalMessage());
        }
        if (b == null) throw ApiException.badRequest("missing query body");
        String format = dataFormat(b.dataFormat(), accept);
        return answer(format == null ? b : new QueryFunction.QueryBody(b.query(), b.queryDialect(), format, b.schemaFormat(), b.include(),
                b.skip(), b.limit(), b.datasets()));
    }

    /** An explicit {@code dataFormat} wins; otherwise {@code Accept: application/vnd.apache.arrow.stream} asks for Arrow IPC. */
    static String dataFormat(String dataFormat, String accept) {
        if (dataFormat != null || accept == null) return dataFormat;
        for (String type : accept.split(",")) {
            if (type.split(";")[0].strip().equalsIgnoreCase(DataFormat.ARROW.mediaType())) return DataFormat.ARROW.wireName();
        }
        return null;
    }

    private Response answer(QueryFunction.QueryBody b) throws IOException {
        QueryFunction.Answer a = function.run(QueryFunction.toRequest(b));
        return Response.ok(a.body(), a.mediaType()).build();
    }

    private static Long longParam(String name, String value) {
        if (value == null || value.isBlank()) return null;
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be an integer");
        }
    }
}
