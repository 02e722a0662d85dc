package dev.sluice.engine.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.engine.runner.InvalidWireRequestException;
import dev.sluice.engine.runner.WireJson;
import dev.sluice.engine.runner.WireRequest;
import dev.sluice.engine.runner.WireResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** {@code POST <base>/transform} of an engine runner's HTTP entry point (child JVM, Knative Service). */
final class HttpEngineTransport implements EngineTransport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Supplier<URI> base;
    private final Duration timeout;

    /** @param base resolved per call, so a restarted child or a moved Service is found again */
    HttpEngineTransport(HttpClient http, Supplier<URI> base, Duration timeout) {
        this.http = http;
        this.base = base;
        this.timeout = timeout;
    }

    @Override
    public WireResponse invoke(String invocationId, WireRequest request) {
        URI uri = base.get().resolve("/transform");
        HttpRequest post = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("X-Sluice-Invocation", invocationId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(WireJson.write(request)))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(post, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new EngineTransportException("no answer from " + uri + " within " + timeout, e);
        } catch (IOException e) {
            throw new EngineTransportException("cannot reach " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineTransportException("interrupted while waiting for " + uri, e);
        }
        if (response.statusCode() != 200) {
            throw new EngineTransportException(uri + " answered HTTP " + response.statusCode() + ": " + errorText(response.body()));
        }
        try {
            return WireJson.readResponse(response.body());
        } catch (InvalidWireRequestException e) {
            throw new EngineTransportException(uri + " sent an unreadable response: " + e.getMessage(), e);
        }
    }

    /**
     * {@code GET <base>/health?dialect=X}: the engine that would run X, empty if the runner has none (404); throws
     * {@link IOException} while the runner is not up.
     */
    static Optional<WireResponse.EngineInfo> probe(HttpClient http, URI base, String dialect, Duration timeout)
            throws IOException, InterruptedException {
        URI uri = base.resolve("/health?dialect=" + URLEncoder.encode(dialect, StandardCharsets.UTF_8));
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 404) return Optional.empty();
        if (response.statusCode() != 200) throw new IOException(uri + " answered HTTP " + response.statusCode());
        JsonNode engine = JSON.readTree(response.body()).path("engine");
        return Optional.of(new WireResponse.EngineInfo(engine.path("name").asText(), engine.path("build").asText()));
    }

    /** Lambda's error payload {@code {"errorMessage", "errorType"}} as {@code type: message}. */
    static String errorMessage(byte[] payload) {
        try {
            JsonNode node = JSON.readTree(payload);
            if (node != null && node.path("errorMessage").isTextual()) {
                String type = node.path("errorType").asText("");
                return (type.isEmpty() ? "" : type + ": ") + node.path("errorMessage").asText();
            }
        } catch (IOException e) {
            // not JSON: show the raw text
        }
        return errorText(payload);
    }

    static String errorText(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            JsonNode error = JSON.readTree(text).path("error");
            if (error.isTextual()) return error.asText();
        } catch (IOException e) {
            // not JSON: show the raw text
        }
        return text.length() > 500 ? text.substring(0, 500) + "…" : text;
    }
}
