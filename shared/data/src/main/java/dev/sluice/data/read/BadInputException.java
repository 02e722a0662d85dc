package dev.sluice.data.read;

/**
 * The one exception the readers throw for input they cannot turn into the target schema: malformed or truncated
 * files, values that do not fit a column, bad encodings, unsupported formats. The message is a single line meant
 * for the user who sent the data (e.g. {@code row 17, column "score": cannot parse 'abc' as Int64}).
 */
public class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(oneLine(message));
    }

    public BadInputException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    private static String oneLine(String s) {
        if (s == null) return "bad input";
        return s.indexOf('\n') < 0 && s.indexOf('\r') < 0 ? s : s.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }

    /** A value quoted for an error message: at most ~80 characters, control characters escaped. */
    public static String quote(CharSequence v) {
        StringBuilder b = new StringBuilder(Math.min(v.length(), 90) + 2).append('\'');
        int n = v.length();
        int max = 80;
        for (int i = 0; i < n; i++) {
            if (b.length() > max) {
                b.append("...");
                break;
            }
            char c = v.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\'' -> b.append("\\'");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('\'').toString();
    }
}
