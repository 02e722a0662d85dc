package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.odf.DatasetAlias;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * A running node's REST API (kamu-node's paths) as the CLI commands use it with {@code --node URL}. Answers other than
 * 2xx become a {@link NodeException} carrying the node's own error message; bodies are streamed both ways.
 */
final class NodeClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    // HTTP/1.1: no cleartext HTTP/2 upgrade attempt (the node serves HTTP/1.1 only).
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    NodeClient(String url) {
        URI u;
        try {
            u = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid node URL '" + url + "': " + e.getReason());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null || u.getQuery() != null || u.getFragment() != null) {
            throw new IllegalArgumentException("invalid node URL '" + url + "': expected http(s)://host[:port][/path]");
        }
        this.base = u.getPath() == null || u.getPath().endsWith("/") ? u : URI.create(u + "/");
    }

    URI base() {
        return base;
    }

    /**
     * The {@code account/name} path of a dataset: {@code account/name} as given, a bare {@code name} under kamu's
     * default account (the local node's single tenant).
     */
    static String datasetPath(String dataset) {
        DatasetAlias a = DatasetAlias.parse(dataset); // validated: only letters, digits, '-' and '.' reach the URL
        return (a.hasAccount() ? a.account() : WorkspaceOptions.DEFAULT_ACCOUNT) + "/" + a.name();
    }

    JsonNode getJson(String path) {
        return json(HttpRequest.newBuilder(resolve(path)).GET());
    }

    /** Sends a request and parses its JSON answer. */
    JsonNode json(HttpRequest.Builder request) {
        try (InputStream in = open(request)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the answer of the node at " + base + ": " + e.getMessage(), e);
        }
    }

    byte[] bytes(String path) {
        try (InputStream in = open(HttpRequest.newBuilder(resolve(path)).GET())) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path + " from the node at " + base + ": " + e.getMessage(), e);
        }
    }

    /** Sends a request; the body of a 2xx answer, to be read and closed by the caller. */
    InputStream open(HttpRequest.Builder request) {
        return send(request).body();
    }

    /** A 2xx answer's status and JSON body. */
    record Answer(int status, JsonNode body) {}

    /** Sends {@code method path} with {@code body} as JSON (none when null) and reads the JSON answer. */
    Answer exchange(String method, String path, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(resolve(path));
        try {
            b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                    : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpResponse<InputStream> r = send(b);
        try (InputStream in = r.body()) {
            return new Answer(r.statusCode(), JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the answer of the node at " + base + ": " + e.getMessage(), e);
        }
    }

    /** Sends a request; a 2xx answer (its body to be read and closed by the caller), else a {@link NodeException}. */
    private HttpResponse<InputStream> send(HttpRequest.Builder request) {
        HttpRequest req = request.build();
        HttpResponse<InputStream> r;
        try {
            r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new NodeException(0, "cannot reach the node at " + base + " (is it running? ./sluice up starts one)");
        } catch (IOException e) {
            throw new UncheckedIOException("request to the node at " + base + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        if (r.statusCode() / 100 == 2) return r;
        throw NodeException.of(r.statusCode(), readError(r.body()), req);
    }

    URI resolve(String path) {
        return base.resolve(path);
    }

    private static String readError(InputStream body) {
        try (body) {
            byte[] bytes = body.readNBytes(64 * 1024);
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            try {
                JsonNode e = JSON.readTree(bytes);
                if (e != null && e.hasNonNull("message")) return e.get("message").asText();
            } catch (IOException notJson) {
                // not the node's JSON error body: show what came
            }
            return text.length() > 300 ? text.substring(0, 300) + "…" : text;
        } catch (IOException e) {
            return "";
        }
    }

    /** A non-2xx answer: the node's message, its status and the request. */
    static final class NodeException extends RuntimeException {
        private final int status;

        NodeException(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        static NodeException of(int status, String message, HttpRequest req) {
            String text = message == null || message.isBlank() ? "no message" : message;
            return new NodeException(status, text + " (HTTP " + status + " from " + req.method() + " " + req.uri() + ")");
        }

        int status() {
            return status;
        }
    }
}
