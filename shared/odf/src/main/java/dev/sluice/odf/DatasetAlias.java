package dev.sluice.odf;

import java.util.Locale;

/**
 * A dataset alias {@code (account "/")? name} (ODF §Aliases and References). Both parts follow the ODF
 * {@code Hostname} grammar: {@code Subdomain ("." Subdomain)*}, {@code Subdomain = [a-zA-Z0-9]+ ("-" [a-zA-Z0-9]+)*}.
 * Names compare case-insensitively for lookup ({@link #sameAs}); {@link #equals} stays exact so the spelling a
 * user chose is preserved.
 */
public record DatasetAlias(String account, String name) {
    /** Longest accepted account or dataset name. */
    public static final int MAX_PART_LENGTH = 255;

    public DatasetAlias {
        if (account != null) validatePart(account, "account name");
        validatePart(name, "dataset name");
    }

    /** Parses {@code name} or {@code account/name}. */
    public static DatasetAlias parse(String text) {
        if (text == null) throw new OdfFormatException("missing dataset alias");
        int slash = text.indexOf('/');
        if (slash < 0) return new DatasetAlias(null, text);
        if (text.indexOf('/', slash + 1) >= 0) {
            throw new OdfFormatException("invalid dataset alias " + quote(text) + ": expected 'name' or 'account/name'");
        }
        try {
            return new DatasetAlias(text.substring(0, slash), text.substring(slash + 1));
        } catch (OdfFormatException e) {
            throw new OdfFormatException("invalid dataset alias " + quote(text) + ": " + e.getMessage());
        }
    }

    /** Validates a dataset name (no account part). */
    public static String validateName(String name) {
        validatePart(name, "dataset name");
        return name;
    }

    /** Validates an account name. */
    public static String validateAccountName(String name) {
        validatePart(name, "account name");
        return name;
    }

    public static boolean isValidName(String name) {
        return name != null && problem(name) == null;
    }

    public boolean hasAccount() {
        return account != null;
    }

    /** Case-insensitive comparison, as ODF name lookup and uniqueness are case-insensitive. */
    public boolean sameAs(DatasetAlias other) {
        if (other == null || !name.equalsIgnoreCase(other.name)) return false;
        return account == null ? other.account == null : account.equalsIgnoreCase(other.account);
    }

    /** Lower-cased form, usable as a case-insensitive map key. */
    public String normalized() {
        return toString().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return account == null ? name : account + "/" + name;
    }

    private static void validatePart(String part, String what) {
        if (part == null) throw new OdfFormatException("missing " + what);
        String problem = problem(part);
        if (problem != null) throw new OdfFormatException("invalid " + what + " " + quote(part) + ": " + problem);
    }

    /** Returns why {@code s} is not a valid Hostname, or null if it is. */
    private static String problem(String s) {
        if (s.isEmpty()) return "must not be empty";
        if (s.length() > MAX_PART_LENGTH) return "longer than " + MAX_PART_LENGTH + " characters";
        char prev = '.'; // as if preceded by a separator: the first char must be alphanumeric
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (alnum) {
                prev = c;
                continue;
            }
            if (c == '.' || c == '-') {
                if (prev == '.' || prev == '-') {
                    return prev == '.' && c == '.' ? "empty segment ('..' or leading '.')" : "'" + c + "' must follow a letter or digit";
                }
                prev = c;
                continue;
            }
            return "character " + describe(c) + " at position " + i + " is not allowed (only letters, digits, '-' and '.')";
        }
        if (prev == '.' || prev == '-') return "must end with a letter or digit";
        return null;
    }

    private static String describe(char c) {
        if (c == ' ') return "' ' (space)";
        if (c < 0x20 || c == 0x7f || Character.isISOControl(c) || Character.isWhitespace(c) || !Character.isDefined(c)) {
            return String.format("\\u%04x", (int) c);
        }
        return "'" + c + "'";
    }

    /** Quotes user input for an error message: control characters escaped, long input shortened. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("'");
        int n = Math.min(s.length(), 80);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isISOControl(c) || c == '\u2028' || c == '\u2029') sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        if (s.length() > n) sb.append("...");
        return sb.append('\'').toString();
    }
}
