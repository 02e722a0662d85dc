package dev.sluice.storage;

import java.nio.charset.StandardCharsets;

/**
 * Key and prefix validation shared by all {@link ObjectStore} implementations, so a key that works on one backend
 * works on every other one.
 *
 * <p>A key is a non-empty '/'-separated relative path of at most 1024 UTF-8 bytes (the S3 limit). Segments must be
 * non-empty, must not be '.' or '..', and must not start with '.': dot-names are reserved for the filesystem store's
 * temp and lock files, which listings skip. Backslashes, NUL and other control characters are rejected everywhere.
 */
public final class Keys {

    /** S3's maximum key length; applied to every store so keys stay portable. */
    public static final int MAX_KEY_BYTES = 1024;

    private Keys() {}

    /** Returns {@code key} unchanged, or throws IllegalArgumentException naming the key and the problem. */
    public static String requireValidKey(String key) {
        if (key == null) {
            throw new IllegalArgumentException("Invalid object key: null");
        }
        String problem = keyProblem(key);
        if (problem != null) {
            throw new IllegalArgumentException("Invalid object key '" + printable(key) + "': " + problem);
        }
        return key;
    }

    /** A prefix is empty (everything) or a valid key followed by '/'. Returns it unchanged. */
    public static String requireValidPrefix(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("Invalid key prefix: null");
        }
        if (prefix.isEmpty()) {
            return prefix;
        }
        String problem = prefix.endsWith("/")
                ? keyProblem(prefix.substring(0, prefix.length() - 1))
                : "a non-empty prefix must end with '/'";
        if (problem != null) {
            throw new IllegalArgumentException("Invalid key prefix '" + printable(prefix) + "': " + problem);
        }
        return prefix;
    }

    private static String keyProblem(String key) {
        if (key.isEmpty()) {
            return "empty";
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return "longer than " + MAX_KEY_BYTES + " bytes";
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '\\') {
                return "contains a backslash";
            }
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                return c == 0 ? "contains NUL" : "contains a control character (U+" + String.format("%04X", (int) c) + ")";
            }
        }
        if (key.startsWith("/")) {
            return "must be relative (starts with '/')";
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty()) {
                return "has an empty path segment";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "has a '" + segment + "' path segment";
            }
            if (segment.startsWith(".")) {
                return "segment '" + segment + "' starts with '.' (reserved for temp and lock files)";
            }
        }
        return null;
    }

    /** Escapes control characters so the message itself stays one readable line. */
    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (; i < s.length() && out.length() < 200; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return i < s.length() ? out + "…" : out.toString();
    }
}
