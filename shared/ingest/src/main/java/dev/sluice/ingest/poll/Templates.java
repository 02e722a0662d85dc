package dev.sluice.ingest.poll;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * kamu's {@code ${{ ... }}} templates in Url steps: {@code ${{ env.NAME }}}, with fallbacks
 * {@code ${{ env.A || env.B || 'literal' || 42 }}} (first defined value wins). Variables come from
 * {@link PollOptions}; a name none of the alternatives defines is an error naming it (never its value).
 */
final class Templates {
    private static final Pattern TEMPLATE = Pattern.compile("\\$\\{\\{([^}]*)}}");
    private static final Pattern ENV = Pattern.compile("env\\.([A-Za-z0-9_-]+)");
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(?:\\.[0-9]+)?");
    private static final Pattern STRING = Pattern.compile("'([^']*)'");

    private Templates() {}

    /** One alternative: a variable name or a literal. */
    private record Token(String variable, String literal) {}

    /**
     * @param where what is being templated, for messages (e.g. {@code the url of the Url fetch step})
     */
    static String apply(String text, PollOptions options, String where) {
        if (text == null) return null;
        Matcher m = TEMPLATE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String expr = m.group(1).trim();
            // All alternatives are parsed before any is looked up, so a typo is reported even after a defined one.
            List<Token> tokens = new ArrayList<>();
            for (String alt : expr.split("\\|\\|")) {
                String token = alt.trim();
                Matcher env = ENV.matcher(token);
                Matcher str = STRING.matcher(token);
                if (env.matches()) tokens.add(new Token(env.group(1), null));
                else if (NUMBER.matcher(token).matches()) tokens.add(new Token(null, token));
                else if (str.matches()) tokens.add(new Token(null, str.group(1)));
                else {
                    throw new FetchException(where + " has an invalid template '${{ " + expr + " }}': '" + token
                            + "' is not env.NAME, a number or a 'quoted string'", false);
                }
            }
            String value = null;
            for (Token t : tokens) {
                value = t.variable() != null ? options.value(t.variable()) : t.literal();
                if (value != null) break;
            }
            if (value == null) {
                throw new FetchException(where + " uses '${{ " + expr + " }}', but no such variable is configured"
                        + " (configure " + names(expr) + " for polling)", false);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String names(String expr) {
        StringBuilder sb = new StringBuilder();
        Matcher env = ENV.matcher(expr);
        while (env.find()) {
            if (!sb.isEmpty()) sb.append(" or ");
            sb.append(env.group(1));
        }
        return sb.toString();
    }
}
