package dev.sluice.fn.rest;

import dev.sluice.fn.common.ApiError;
import dev.sluice.fn.common.ProblemClassifier;
import dev.sluice.fn.common.Problems;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

/**
 * The REST layer's own failures (no such resource or method, unacceptable media type, unreadable parameters) keep
 * their status; a 5xx among them is a server fault like any other.
 */
@ApplicationScoped
public class RestProblems implements ProblemClassifier {
    @Override
    public ApiError classify(Throwable t) {
        if (!(t instanceof WebApplicationException w)) return null;
        int status = w.getResponse().getStatus();
        if (status >= 500) return null; // Problems logs it and answers a bare 500
        return Problems.ofStatus(status, w.getMessage());
    }
}
