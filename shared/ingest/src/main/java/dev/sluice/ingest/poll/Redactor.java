package dev.sluice.ingest.poll;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Replaces secret variable values by {@code ***} in text that may reach a user or a log. */
final class Redactor {
    static final String MASK = "***";
    private final List<String> secrets = new ArrayList<>();

    Redactor(List<String> secretValues) {
        for (String s : secretValues) {
            if (s == null || s.isEmpty()) continue;
            secrets.add(s);
            // The value may appear percent-encoded in a URL an exception prints.
            String enc = URLEncoder.encode(s, StandardCharsets.UTF_8);
            if (!enc.equals(s)) secrets.add(enc);
            String encSpace = enc.replace("+", "%20");
            if (!encSpace.equals(enc)) secrets.add(encSpace);
        }
        // Longest first, so a secret containing another is masked whole.
        secrets.sort(Comparator.comparingInt(String::length).reversed());
    }

    String clean(String text) {
        if (text == null) return null;
        String t = text;
        for (String s : secrets) t = t.replace(s, MASK);
        return t;
    }

    /**
     * A stand-in for {@code e} safe to chain as a cause: its class name and message with secrets masked, and its
     * stack trace; deeper causes are dropped (their messages are not checked).
     */
    Throwable cause(Throwable e) {
        if (e == null) return null;
        Exception safe = new Exception(e.getClass().getName() + ": " + clean(String.valueOf(e.getMessage())));
        safe.setStackTrace(e.getStackTrace());
        return safe;
    }

    /**
     * {@code e} itself when neither it nor a cause mentions a secret; otherwise the same kind of exception with the
     * secrets masked (stack trace kept, causes replaced by {@link #cause}). The net under every poll: messages are
     * built from masked text already, this catches what a library put in its own message.
     */
    RuntimeException scrub(RuntimeException e) {
        if (secrets.isEmpty() || !mentionsSecret(e)) return e;
        String m = clean(e.getMessage());
        RuntimeException r;
        if (e instanceof FetchException f) r = new FetchException(m, f.retryable(), f.httpStatus(), cause(f.getCause()));
        else if (e instanceof UnsupportedSourceException u) r = new UnsupportedSourceException(u.fetchKind(), m);
        else if (e instanceof PrepareException) r = new PrepareException(m);
        else if (e instanceof dev.sluice.ingest.IngestException) r = new dev.sluice.ingest.IngestException(m);
        else if (e instanceof dev.sluice.data.read.BadInputException) r = new dev.sluice.data.read.BadInputException(m);
        else r = new IllegalStateException(m, cause(e.getCause()));
        r.setStackTrace(e.getStackTrace());
        return r;
    }

    private boolean mentionsSecret(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String text = String.valueOf(t.getMessage());
            for (String s : secrets) {
                if (text.contains(s)) return true;
            }
        }
        return false;
    }

    /** A short description of {@code e} for a message: class simple name and masked message. */
    String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + clean(m);
    }
}
