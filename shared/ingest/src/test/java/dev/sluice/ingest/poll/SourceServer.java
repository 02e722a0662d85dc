package dev.sluice.ingest.poll;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

/**
 * A real HTTP server (the JDK's) on an ephemeral loopback port serving resources a test changes between polls. It
 * answers conditional requests like a static file server (If-None-Match → 304 on the same ETag; If-Modified-Since →
 * 304 when not modified since) and records every request it sees with its headers and its answer.
 */
final class SourceServer implements AutoCloseable {
    record Resource(byte[] body, String etag, Instant lastModified, int status, boolean honourConditionals, String redirectTo,
            CountDownLatch hold, CountDownLatch gate) {}

    record Seen(String path, String query, Map<String, List<String>> headers, int answered) {
        String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
            }
            return null;
        }
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final Map<String, Resource> resources = new ConcurrentHashMap<>();
    final List<Seen> seen = new CopyOnWriteArrayList<>();

    SourceServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    void serve(String path, String body, String etag, Instant lastModified) {
        resources.put(path, new Resource(body.getBytes(StandardCharsets.UTF_8), etag, lastModified, 200, true, null, null, null));
    }

    void serve(String path, byte[] body, String etag) {
        resources.put(path, new Resource(body, etag, null, 200, true, null, null, null));
    }

    /** Answers 200 with this body whatever the request's conditional headers say. */
    void serveIgnoringConditionals(String path, String body, String etag) {
        resources.put(path, new Resource(body.getBytes(StandardCharsets.UTF_8), etag, null, 200, false, null, null, null));
    }

    void fail(String path, int status) {
        resources.put(path, new Resource("boom".getBytes(StandardCharsets.UTF_8), null, null, status, false, null, null, null));
    }

    void redirect(String path, String to) {
        resources.put(path, new Resource(new byte[0], null, null, 302, false, to, null, null));
    }

    /** Sends nothing until {@code hold} is released. */
    void hang(String path, CountDownLatch hold) {
        resources.put(path, new Resource(new byte[0], null, null, 200, false, null, hold, null));
    }

    /** Answers only once {@code gate.getCount()} requests have arrived (a barrier for concurrent polls). */
    void serveGated(String path, String body, String etag, CountDownLatch gate) {
        resources.put(path, new Resource(body.getBytes(StandardCharsets.UTF_8), etag, null, 200, true, null, null, gate));
    }

    List<Seen> requestsTo(String path) {
        return seen.stream().filter(s -> s.path().equals(path)).toList();
    }

    Seen last(String path) {
        List<Seen> l = requestsTo(path);
        return l.get(l.size() - 1);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            Resource r = resources.get(path);
            if (r != null && r.hold() != null) {
                try {
                    r.hold().await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (r != null && r.gate() != null) {
                r.gate().countDown();
                try {
                    if (!r.gate().await(30, java.util.concurrent.TimeUnit.SECONDS)) throw new IllegalStateException("gate never opened");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int status;
            byte[] body = new byte[0];
            if (r == null) {
                status = 404;
            } else if (r.hold() != null) {
                status = 503;
            } else if (r.redirectTo() != null) {
                status = r.status();
                ex.getResponseHeaders().add("Location", r.redirectTo());
            } else if (r.status() != 200) {
                status = r.status();
                body = r.body();
            } else {
                if (r.etag() != null) ex.getResponseHeaders().add("ETag", r.etag());
                if (r.lastModified() != null) ex.getResponseHeaders().add("Last-Modified", httpDate(r.lastModified()));
                String inm = ex.getRequestHeaders().getFirst("If-None-Match");
                String ims = ex.getRequestHeaders().getFirst("If-Modified-Since");
                boolean notModified = r.honourConditionals() && (inm != null
                        ? r.etag() != null && inm.equals(r.etag())
                        : ims != null && r.lastModified() != null && !r.lastModified().isAfter(
                                ZonedDateTime.parse(ims, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()));
                status = notModified ? 304 : 200;
                if (!notModified) body = r.body();
            }
            // Recorded before answering: the client may act on the answer before this thread runs again.
            seen.add(new Seen(path, ex.getRequestURI().getRawQuery(), Map.copyOf(ex.getRequestHeaders()), status));
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(body);
                }
            }
        }
    }

    static String httpDate(Instant t) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(t.atZone(ZoneOffset.UTC));
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
