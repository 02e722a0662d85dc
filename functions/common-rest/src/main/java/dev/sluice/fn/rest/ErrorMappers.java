package dev.sluice.fn.rest;

import dev.sluice.fn.common.ApiError;
import dev.sluice.fn.common.ProblemClassifier;
import dev.sluice.fn.common.Problems;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Error responses of the REST layer: every exception a resource throws becomes an {@link ApiError} JSON body. */
public class ErrorMappers {
    @jakarta.inject.Inject
    jakarta.enterprise.inject.Instance<ProblemClassifier> classifiers;

    @ServerExceptionMapper(Throwable.class)
    public Response map(Throwable t) {
        return response(Problems.of(t, classifiers));
    }

    public static Response response(ApiError e) {
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(e).build();
    }
}
