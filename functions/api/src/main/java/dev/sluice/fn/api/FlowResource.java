package dev.sluice.fn.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.sluice.flows.FlowDocuments;
import dev.sluice.fn.common.ApiException;
import dev.sluice.fn.common.Bodies;
import dev.sluice.fn.common.Node;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Flows and tasks on kamu-flavoured paths, over {@link FlowFunctions}:
 *
 * <pre>
 * GET  /{account}/{dataset}/flows                   the dataset's flows (and its default flow type)
 * GET  /{account}/{dataset}/flows/{type}            one flow; type ingest|transform|compaction|reset or kamu's id
 * PUT  /{account}/{dataset}/flows/{type}            set its configuration (JSON, see FlowConfigJson)
 * POST /{account}/{dataset}/flows/{type}/trigger    run it now ({"priority": n} optional) → 202 with the task
 *                                                   (200 with the flow's active task when it already has one)
 * POST /{account}/{dataset}/flows/{type}/pause      pause (a queued task is cancelled) / resume
 * POST /{account}/{dataset}/flows/{type}/resume
 * GET  /{account}/{dataset}/tasks?limit=N           the dataset's tasks, newest first
 * GET  /tasks?limit=N                               the node's recent tasks
 * GET  /tasks/{taskId}                              one task, with its log
 * POST /tasks/{taskId}/cancel                       cancel a queued task
 * </pre>
 */
@Path("/")
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class FlowResource {
    private final FlowFunctions flows;
    private final Node node;
    private final ObjectReader json;

    public FlowResource(FlowFunctions flows, Node node, ObjectMapper mapper) {
        this.flows = flows;
        this.node = node;
        this.json = mapper.readerFor(Object.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    @GET
    @Path("{account}/{dataset}/flows")
    public FlowDocuments.DatasetFlows list(@PathParam("account") String account, @PathParam("dataset") String dataset) {
        return flows.flows(account, dataset);
    }

    @GET
    @Path("{account}/{dataset}/flows/{type}")
    public FlowDocuments.Flow get(@PathParam("account") String account, @PathParam("dataset") String dataset, @PathParam("type") String type) {
        return flows.flow(account, dataset, type);
    }

    @PUT
    @Path("{account}/{dataset}/flows/{type}")
    public FlowDocuments.Flow configure(@PathParam("account") String account, @PathParam("dataset") String dataset, @PathParam("type") String type,
            @HeaderParam("Content-Type") String contentType, @HeaderParam("Content-Length") String contentLength, InputStream body)
            throws IOException {
        Object config = body(contentType, contentLength, body);
        if (config == null) {
            throw ApiException.badRequest("missing flow configuration: send a JSON object such as {\"trigger\": {\"every\": \"PT1H\"}}");
        }
        return flows.configure(account, dataset, type, config);
    }

    @POST
    @Path("{account}/{dataset}/flows/{type}/trigger")
    public Response trigger(@PathParam("account") String account, @PathParam("dataset") String dataset, @PathParam("type") String type,
            @HeaderParam("Content-Type") String contentType, @HeaderParam("Content-Length") String contentLength, InputStream body)
            throws IOException {
        Integer priority = priority(body(contentType, contentLength, body));
        FlowFunctions.Triggered t = flows.trigger(account, dataset, type, priority);
        return Response.status(t.created() ? 202 : 200).entity(t.task()).build();
    }

    @POST
    @Path("{account}/{dataset}/flows/{type}/pause")
    public FlowDocuments.Flow pause(@PathParam("account") String account, @PathParam("dataset") String dataset, @PathParam("type") String type) {
        return flows.pause(account, dataset, type);
    }

    @POST
    @Path("{account}/{dataset}/flows/{type}/resume")
    public FlowDocuments.Flow resume(@PathParam("account") String account, @PathParam("dataset") String dataset, @PathParam("type") String type) {
        return flows.resume(account, dataset, type);
    }

    @GET
    @Path("{account}/{dataset}/tasks")
    public FlowDocuments.Tasks datasetTasks(@PathParam("account") String account, @PathParam("dataset") String dataset, @QueryParam("limit") String limit) {
        return flows.tasks(account, dataset, ApiResource.intParam("limit", limit, FlowFunctions.DEFAULT_TASKS));
    }

    @GET
    @Path("tasks")
    public FlowDocuments.Tasks recentTasks(@QueryParam("limit") String limit) {
        return flows.recentTasks(ApiResource.intParam("limit", limit, FlowFunctions.DEFAULT_TASKS));
    }

    @GET
    @Path("tasks/{taskId}")
    public FlowDocuments.Task task(@PathParam("taskId") String taskId) {
        return flows.task(taskId);
    }

    @POST
    @Path("tasks/{taskId}/cancel")
    public FlowDocuments.Task cancel(@PathParam("taskId") String taskId) {
        return flows.cancel(taskId);
    }

    /** A JSON request body (null when empty), within the body limit. */
    private Object body(String contentType, String contentLength, InputStream body) throws IOException {
        long limit = node.config().maxBodyBytes();
        byte[] bytes = Bodies.read(Bodies.checked(body, contentLength, limit), limit);
        if (new String(bytes, StandardCharsets.ISO_8859_1).isBlank()) return null; // no body: its media type does not matter
        if (contentType != null && !contentType.isBlank()) {
            String type = contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
            if (!type.equals("application/json") && !type.endsWith("+json")) {
                throw ApiException.unsupportedMediaType("flow requests are sent as JSON (application/json), not " + contentType);
            }
        }
        try {
            return json.readValue(bytes);
        } catch (JacksonException e) {
            // mapped here: the REST layer's own mapper would answer some of these with a bare 400
            String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
            throw new ApiException(400, "bad-json", "malformed JSON: " + m);
        }
    }

    /** A trigger request's optional {@code {"priority": n}}. */
    private static Integer priority(Object body) {
        if (body == null) return null;
        if (!(body instanceof Map<?, ?> m)) throw ApiException.badRequest("a trigger request is a JSON object such as {\"priority\": 10}");
        for (Object k : m.keySet()) {
            if (!"priority".equals(k)) throw ApiException.badRequest("unknown field '" + k + "' in a trigger request (expected priority)");
        }
        Object p = m.get("priority");
        if (p == null) return null;
        if (!(p instanceof Integer i)) throw ApiException.badRequest("priority: expected a whole number 0..999, got " + p);
        return i;
    }
}
