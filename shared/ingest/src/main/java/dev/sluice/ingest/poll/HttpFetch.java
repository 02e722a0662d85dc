package dev.sluice.ingest.poll;

import dev.sluice.odf.EventTimeSource;
import dev.sluice.odf.FetchStep;
import dev.sluice.odf.SourceState;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * http(s) fetches with the JDK client: redirects followed (never from https to http; the JDK's limit of 5),
 * connect / response-header / whole-download timeouts, the body streamed to a scratch file. The previous ETag is
 * sent as {@code If-None-Match}, else the previous Last-Modified as {@code If-Modified-Since}; a 304, or a 200 with
 * the same ETag (or, without one, the same Last-Modified), is "up to date". The new state is the ETag if the server
 * sent one, else Last-Modified (kamu's order).
 */
final class HttpFetch {
    static final String USER_AGENT = "sluice-poll/1";

    /** One client per connect timeout: clients are thread-safe and keep their connection pool. */
    private final Map<Duration, HttpClient> clients = new ConcurrentHashMap<>();

    private HttpClient client(Duration connectTimeout) {
        return clients.computeIfAbsent(connectTimeout, t -> HttpClient.newBuilder()
                .connectTimeout(t)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build());
    }

    FetchOutcome fetch(URI uri, String shown, List<FetchStep.RequestHeader> headers, EventTimeSource eventTime,
            SourceState prev, Instant now, PollOptions o, Redactor redactor, Path scratchDir) throws IOException {
        HttpRequest.Builder rb;
        try {
            rb = HttpRequest.newBuilder(uri).GET().timeout(o.responseTimeout).header("User-Agent", USER_AGENT);
        } catch (IllegalArgumentException e) {
            throw new FetchException("invalid url " + shown + ": " + redactor.describe(e), false);
        }
        for (FetchStep.RequestHeader h : headers) {
            try {
                rb.setHeader(h.name(), h.value());
            } catch (IllegalArgumentException e) {
                throw new FetchException("header '" + h.name() + "' of the Url fetch step cannot be sent: " + redactor.describe(e), false);
            }
        }
        String prevEtag = SourceStates.etagOf(prev);
        Instant prevModified = SourceStates.lastModifiedOf(prev);
        if (prevEtag != null) rb.setHeader("If-None-Match", prevEtag);
        else if (prevModified != null) rb.setHeader("If-Modified-Since", DateTimeFormatter.RFC_1123_DATE_TIME.format(prevModified.atZone(ZoneOffset.UTC)));

        Files.createDirectories(scratchDir);
        Path target = Files.createTempFile(scratchDir, ".fetch-", ".data");
        boolean keep = false;
        try {
            HttpResponse<Path> r = send(client(o.connectTimeout), rb.build(), target, shown, o, redactor);
            int status = r.statusCode();
            if (status == 304) return new FetchOutcome.UpToDate(shown + " answered 304 Not Modified");
            if (status < 200 || status > 299) throw statusError(status, shown);
            String etag = r.headers().firstValue("ETag").orElse(null);
            Instant modified = r.headers().firstValue("Last-Modified").map(HttpFetch::parseHttpDate).orElse(null);
            if (etag != null && etag.equals(prevEtag)) return new FetchOutcome.UpToDate(shown + " has the same ETag " + etag);
            if (etag == null && modified != null && modified.equals(prevModified)) {
                return new FetchOutcome.UpToDate(shown + " has the same Last-Modified " + modified);
            }
            SourceState state = etag != null ? SourceStates.etag(etag) : modified != null ? SourceStates.lastModified(modified) : null;
            Instant et;
            if (eventTime == null || eventTime instanceof EventTimeSource.FromMetadata) et = modified;
            else if (eventTime instanceof EventTimeSource.FromSystemTime) et = now;
            else et = EventTimes.fromPath((EventTimeSource.FromPath) eventTime, lastSegment(uri));
            keep = true;
            return new FetchOutcome.Data(target, true, state, et, false, shown);
        } finally {
            if (!keep) Files.deleteIfExists(target);
        }
    }

    private static HttpResponse<Path> send(HttpClient client, HttpRequest request, Path target, String shown, PollOptions o,
            Redactor redactor) {
        // Only a success body is kept; error bodies are discarded unread.
        HttpResponse.BodyHandler<Path> handler = info -> info.statusCode() >= 200 && info.statusCode() <= 299
                ? HttpResponse.BodySubscribers.ofFile(target)
                : HttpResponse.BodySubscribers.replacing(null);
        CompletableFuture<HttpResponse<Path>> f = client.sendAsync(request, handler);
        try {
            return f.get(o.fetchTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new FetchException("fetching " + shown + " took longer than " + o.fetchTimeout, true);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new FetchException("fetching " + shown + " was interrupted", true);
        } catch (ExecutionException e) {
            throw transportError(e.getCause(), shown, redactor);
        }
    }

    private static FetchException transportError(Throwable e, String shown, Redactor redactor) {
        if (e instanceof HttpConnectTimeoutException) {
            return new FetchException("connecting to " + shown + " timed out", true, -1, redactor.cause(e));
        }
        if (e instanceof HttpTimeoutException) {
            return new FetchException(shown + " did not answer in time", true, -1, redactor.cause(e));
        }
        if (e instanceof ConnectException) {
            return new FetchException("cannot connect to " + shown + ": " + redactor.describe(e), true, -1, redactor.cause(e));
        }
        if (e instanceof SSLException) {
            // Certificate and protocol mismatches persist until someone changes the server or the trust store.
            return new FetchException("TLS failure fetching " + shown + ": " + redactor.describe(e), false, -1, redactor.cause(e));
        }
        if (e instanceof IOException) {
            return new FetchException("fetching " + shown + " failed: " + redactor.describe(e), true, -1, redactor.cause(e));
        }
        if (e instanceof IllegalArgumentException) {
            return new FetchException("invalid request for " + shown + ": " + redactor.describe(e), false, -1, redactor.cause(e));
        }
        return new FetchException("fetching " + shown + " failed: " + redactor.describe(e), false, -1, redactor.cause(e));
    }

    static FetchException statusError(int status, String shown) {
        boolean retryable = status >= 500 || status == 408 || status == 425 || status == 429;
        String what = switch (status) {
            case 404, 410 -> "not found";
            case 401, 403 -> "access denied";
            case 429 -> "too many requests";
            default -> status >= 300 && status < 400 ? "redirect not followed" : status >= 500 ? "server error" : "request rejected";
        };
        return new FetchException(shown + " answered HTTP " + status + " (" + what + ")", retryable, status, null);
    }

    /** An HTTP date (RFC 1123, also the obsolete forms are rare enough to ignore); null when unreadable. */
    static Instant parseHttpDate(String v) {
        try {
            return ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String lastSegment(URI uri) {
        String p = uri.getPath() == null ? "" : uri.getPath();
        int slash = p.lastIndexOf('/');
        return java.net.URLDecoder.decode(slash < 0 ? p : p.substring(slash + 1), StandardCharsets.UTF_8);
    }
}
