package dev.sluice.fn.common;

import dev.sluice.data.read.BadInputException;
import dev.sluice.ingest.IngestException;
import dev.sluice.odf.OdfFormatException;
import dev.sluice.odf.chain.ChainValidationException;
import dev.sluice.state.StateUnavailableException;
import dev.sluice.storage.CommitConflictException;
import dev.sluice.storage.DatasetAlreadyExistsException;
import dev.sluice.storage.DatasetNotFoundException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/**
 * Maps a failure to the error response: the domain exceptions of shared/* that mean "bad input" become 4xx, so a
 * malformed request can never surface as a 5xx. Only genuine server faults (I/O, bugs) are 5xx, and their details
 * go to the log, not to the client.
 */
public final class Problems {
    private static final Logger LOG = Logger.getLogger(Problems.class);

    private Problems() {}

    public static ApiError of(Throwable t) {
        return of(t, java.util.List.of());
    }

    /** As {@link #of(Throwable)}, asking the modules' classifiers first. */
    public static ApiError of(Throwable t, Iterable<ProblemClassifier> classifiers) {
        t = unwrap(t);
        for (ProblemClassifier c : classifiers) {
            ApiError e = c.classify(t);
            if (e != null) return e;
        }
        if (t instanceof ApiException e) return new ApiError(e.status(), e.error(), e.getMessage());
        if (t instanceof DatasetNotFoundException) return new ApiError(404, "dataset-not-found", t.getMessage());
        if (t instanceof DatasetAlreadyExistsException) return new ApiError(409, "dataset-exists", t.getMessage());
        if (t instanceof CommitConflictException) return new ApiError(409, "commit-conflict", t.getMessage() + " (retry)");
        if (t instanceof BadInputException || t instanceof IngestException) return new ApiError(400, "bad-input", t.getMessage());
        if (t instanceof OdfFormatException) return new ApiError(400, "bad-request", t.getMessage());
        if (t instanceof ChainValidationException) return new ApiError(400, "invalid-metadata", t.getMessage());
        // MergeException (e.g. a duplicate primary key in a push) is an IllegalArgumentException.
        if (t instanceof IllegalArgumentException) return new ApiError(400, "bad-input", t.getMessage());
        if (t instanceof com.fasterxml.jackson.core.JacksonException) return new ApiError(400, "bad-json", "malformed JSON: " + firstLine(t.getMessage()));
        if (t instanceof StateUnavailableException) {
            LOG.error("state store unavailable", t);
            return new ApiError(503, "state-unavailable", "the state store is unavailable");
        }
        if (t instanceof software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException) {
            // With sluice.state-tables=existing (the default outside the local node) nothing checks the tables at start.
            LOG.error("a state table is missing: create the tables (infra/terraform) or start once with sluice.state-tables=create", t);
            return new ApiError(503, "state-unavailable", "the state store is unavailable");
        }
        return serverFault(t);
    }

    /** A 4xx status of the HTTP or REST layer with its message (the first line of it). */
    public static ApiError ofStatus(int status, String message) {
        return new ApiError(status, code(status), firstLine(message));
    }

    /** A status raised without an exception (e.g. by the HTTP layer: unknown path, wrong method, body limit). */
    public static ApiError ofStatus(int status) {
        String message = switch (status) {
            case 400 -> "malformed request";
            case 404 -> "no such resource";
            case 405 -> "method not allowed on this resource";
            case 413 -> "request body too large";
            case 415 -> "unsupported media type";
            default -> "HTTP " + status;
        };
        return new ApiError(status, code(status), message);
    }

    private static ApiError serverFault(Throwable t) {
        LOG.error("request failed", t);
        String what = t instanceof UncheckedIOException || t instanceof java.io.IOException ? "storage I/O error" : "internal error";
        return new ApiError(500, "internal", what);
    }

    static String code(int status) {
        return switch (status) {
            case 400 -> "bad-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 409 -> "conflict";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            default -> "http-" + status;
        };
    }

    private static Throwable unwrap(Throwable t) {
        // Funqy wraps what a function throws in its ApplicationException (matched by name: common has no Funqy dependency).
        while ((t instanceof CompletionException || t.getClass() == RuntimeException.class
                || t.getClass().getName().equals("io.quarkus.funqy.runtime.ApplicationException")) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
