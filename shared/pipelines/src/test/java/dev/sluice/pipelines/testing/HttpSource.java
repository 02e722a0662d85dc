package dev.sluice.pipelines.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A polling source for tests: the JDK's HTTP server on an ephemeral loopback port, serving one resource a test changes
 * between polls like a static file server (an ETag; {@code If-None-Match} with the current ETag → 304), or failing
 * every request with a given status until told to serve again. Counts what it answered.
 */
public final class HttpSource implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private volatile byte[] body = new byte[0];
    private volatile String etag;
    private volatile int failWith;
    private final AtomicInteger ok = new AtomicInteger();
    private final AtomicInteger notModified = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();

    private HttpSource() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    public static HttpSource start() throws IOException {
        return new HttpSource();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Serves {@code content} with {@code etag} (quoted, as HTTP has it) from now on. */
    public void serve(String content, String etag) {
        this.body = content.getBytes(StandardCharsets.UTF_8);
        this.etag = etag;
        this.failWith = 0;
    }

    /** Answers every request with {@code status} (e.g. 503) until {@link #serve} is called again. */
    public void failWith(int status) {
        this.failWith = status;
    }

    /** 200 answers with a body. */
    public int served() {
        return ok.get();
    }

    /** 304 answers. */
    public int notModified() {
        return notModified.get();
    }

    /** Answers with the failure status. */
    public int failed() {
        return failed.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            int status;
            byte[] out = new byte[0];
            int failure = failWith;
            if (failure != 0) {
                status = failure;
                out = "unavailable".getBytes(StandardCharsets.UTF_8);
                failed.incrementAndGet();
            } else {
                String tag = etag;
                if (tag != null) ex.getResponseHeaders().add("ETag", tag);
                if (tag != null && tag.equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
                    status = 304;
                    notModified.incrementAndGet();
                } else {
                    status = 200;
                    out = body;
                    ok.incrementAndGet();
                }
            }
            ex.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
