package dev.sluice.ingest.poll;

import dev.sluice.ingest.IngestException;
import dev.sluice.odf.EventTimeSource;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Event time of fetched data per ODF {@code EventTimeSource}. {@code fromPath}: the regex's group 1 in a file name,
 * parsed with {@code timestampFormat} — a {@code java.text.SimpleDateFormat}-style pattern as the ODF spec says
 * (e.g. {@code yyyy-MM-dd}), or a strftime one as kamu writes them (e.g. {@code %Y-%m-%d}, recognised by the
 * {@code %}); default {@code yyyy-MM-dd}. A date alone means midnight UTC; no zone means UTC.
 */
final class EventTimes {
    private EventTimes() {}

    static Instant fromPath(EventTimeSource.FromPath src, String name) {
        Pattern p;
        try {
            p = Pattern.compile(src.pattern());
        } catch (PatternSyntaxException e) {
            throw new IngestException("eventTime fromPath: invalid pattern '" + src.pattern() + "': " + e.getDescription());
        }
        Matcher m = p.matcher(name);
        if (!m.find()) throw new IngestException("eventTime fromPath: '" + name + "' does not match the pattern '" + src.pattern() + "'");
        if (m.groupCount() < 1 || m.group(1) == null) {
            throw new IngestException("eventTime fromPath: the pattern '" + src.pattern() + "' has no group 1 matching in '" + name + "'");
        }
        String text = m.group(1);
        String format = src.timestampFormat() == null || src.timestampFormat().isBlank() ? "yyyy-MM-dd" : src.timestampFormat();
        DateTimeFormatter f;
        try {
            f = DateTimeFormatter.ofPattern(format.contains("%") ? fromStrftime(format) : format);
        } catch (IllegalArgumentException e) {
            throw new IngestException("eventTime fromPath: invalid timestampFormat '" + format + "': " + e.getMessage());
        }
        try {
            TemporalAccessor t = f.parseBest(text, ZonedDateTime::from, OffsetDateTime::from, LocalDateTime::from, LocalDate::from);
            if (t instanceof ZonedDateTime z) return z.toInstant();
            if (t instanceof OffsetDateTime o) return o.toInstant();
            if (t instanceof LocalDateTime l) return l.toInstant(ZoneOffset.UTC);
            return ((LocalDate) t).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new IngestException("eventTime fromPath: cannot parse '" + text + "' (from '" + name + "') with the format '" + format + "'");
        }
    }

    /** The common strftime conversions as a DateTimeFormatter pattern. */
    static String fromStrftime(String s) {
        StringBuilder out = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%' || i + 1 >= s.length()) {
                literal.append(c);
                continue;
            }
            char d = s.charAt(++i);
            String conv = switch (d) {
                case 'Y' -> "uuuu";
                case 'y' -> "uu";
                case 'm' -> "MM";
                case 'd' -> "dd";
                case 'e' -> "d";
                case 'H' -> "HH";
                case 'M' -> "mm";
                case 'S' -> "ss";
                case 'f' -> "SSSSSSSSS";
                case 'j' -> "DDD";
                case 'b', 'h' -> "MMM";
                case 'B' -> "MMMM";
                case 'z' -> "xx";
                case ':' -> {
                    if (i + 1 < s.length() && s.charAt(i + 1) == 'z') {
                        i++;
                        yield "xxx";
                    }
                    throw new IllegalArgumentException("unsupported strftime conversion %:");
                }
                case 'Z' -> "z";
                case 'F' -> "uuuu-MM-dd";
                case 'T' -> "HH:mm:ss";
                case '%' -> null;
                default -> throw new IllegalArgumentException("unsupported strftime conversion %" + d);
            };
            if (conv == null) {
                literal.append('%');
                continue;
            }
            flush(literal, out);
            out.append(conv);
        }
        flush(literal, out);
        return out.toString();
    }

    private static void flush(StringBuilder literal, StringBuilder out) {
        if (literal.isEmpty()) return;
        out.append('\'').append(literal.toString().replace("'", "''")).append('\'');
        literal.setLength(0);
    }
}
