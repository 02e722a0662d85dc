package dev.sluice.flows;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A standard 5-field cron expression — minute, hour, day of month, month, day of week — evaluated in UTC.
 *
 * <p>Each field is {@code *} or a comma-separated list of {@code N}, {@code A-B}, {@code *}{@code /S}, {@code A-B/S}
 * or {@code A/S} (from A to the field's maximum, every S). Months and weekdays also take names ({@code JAN}–{@code DEC},
 * {@code SUN}–{@code SAT}, any case); weekday 7 is Sunday like 0; {@code ?} means {@code *} in the day fields. The
 * macros {@code @yearly @annually @monthly @weekly @daily @midnight @hourly} are accepted. As in Vixie cron, when both
 * day fields are restricted (neither starts with {@code *}) a day matches if <em>either</em> matches; otherwise both
 * must. Expressions that can never fire (e.g. {@code 0 0 30 2 *}) are rejected when parsed.
 */
public final class CronExpression {
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    /** Search horizon: leap-day expressions fire at least every 8 years (2096 → 2104). */
    private static final int HORIZON_YEARS = 9;

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean dayOfMonthStar;
    private final boolean dayOfWeekStar;

    private CronExpression(String text, BitSet minutes, BitSet hours, BitSet daysOfMonth, BitSet months, BitSet daysOfWeek,
            boolean dayOfMonthStar, boolean dayOfWeekStar) {
        this.text = text;
        this.minutes = minutes;
        this.hours = hours;
        this.daysOfMonth = daysOfMonth;
        this.months = months;
        this.daysOfWeek = daysOfWeek;
        this.dayOfMonthStar = dayOfMonthStar;
        this.dayOfWeekStar = dayOfWeekStar;
    }

    /** Parses an expression; {@link FlowConfigException} names the field and the problem. */
    public static CronExpression parse(String expression) {
        if (expression == null || expression.isBlank()) throw new FlowConfigException("cron expression is empty");
        String text = expression.strip().replaceAll("\\s+", " ");
        String expanded = text.startsWith("@") ? MACROS.get(text.toLowerCase(Locale.ROOT)) : text;
        if (expanded == null) throw new FlowConfigException("unknown cron macro '" + text + "' (expected one of " + MACROS.keySet().stream().sorted().toList() + ")");
        String[] f = expanded.split(" ");
        if (f.length != 5) {
            throw new FlowConfigException("cron expression '" + text + "' has " + f.length
                    + " fields; expected 5 (minute hour day-of-month month day-of-week)");
        }
        BitSet dow = field(f[4], "day-of-week", 0, 7, DAYS);
        if (dow.get(7)) {
            dow.clear(7);
            dow.set(0);
        }
        CronExpression c = new CronExpression(text, field(f[0], "minute", 0, 59, null), field(f[1], "hour", 0, 23, null),
                field(f[2], "day-of-month", 1, 31, null), field(f[3], "month", 1, 12, MONTHS), dow,
                f[2].startsWith("*") || f[2].equals("?"), f[4].startsWith("*") || f[4].equals("?"));
        if (c.nextAfter(Instant.parse("2000-01-01T00:00:00Z")).isEmpty()) {
            throw new FlowConfigException("cron expression '" + text + "' never fires");
        }
        return c;
    }

    private static BitSet field(String spec, String name, int min, int max, List<String> names) {
        BitSet bits = new BitSet(max + 1);
        if (spec.equals("?")) {
            if (!name.startsWith("day")) throw new FlowConfigException("cron " + name + ": '?' is only allowed in the day fields");
            bits.set(min, max + 1);
            return bits;
        }
        for (String part : spec.split(",", -1)) {
            if (part.isEmpty()) throw new FlowConfigException("cron " + name + " '" + spec + "': empty list element");
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(part.substring(slash + 1), name, spec, null);
                if (step < 1) throw new FlowConfigException("cron " + name + " '" + spec + "': step must be at least 1");
            }
            int lo;
            int hi;
            if (range.equals("*")) {
                lo = min;
                hi = max;
            } else {
                int dash = range.indexOf('-');
                if (dash > 0) {
                    lo = number(range.substring(0, dash), name, spec, names);
                    hi = number(range.substring(dash + 1), name, spec, names);
                } else {
                    lo = number(range, name, spec, names);
                    hi = slash >= 0 ? max : lo; // "A/S" runs from A to the maximum
                }
            }
            if (lo < min || hi > max || lo > hi) {
                throw new FlowConfigException("cron " + name + " '" + spec + "': " + (lo > hi ? "range " + lo + "-" + hi + " is reversed"
                        : "value out of range " + min + "-" + max));
            }
            for (int v = lo; v <= hi; v += step) bits.set(v);
        }
        return bits;
    }

    private static int number(String s, String name, String spec, List<String> names) {
        if (names != null) {
            int i = names.indexOf(s.toUpperCase(Locale.ROOT));
            if (i >= 0) return names == MONTHS ? i + 1 : i;
        }
        if (s.isEmpty() || s.length() > 4 || !s.chars().allMatch(Character::isDigit)) {
            throw new FlowConfigException("cron " + name + " '" + spec + "': '" + s + "' is not a number"
                    + (names == null ? "" : " or a name (" + String.join(" ", names) + ")"));
        }
        return Integer.parseInt(s);
    }

    /** The first fire time strictly after {@code after} (whole minutes, UTC); empty if none within the horizon. */
    public Optional<Instant> nextAfter(Instant after) {
        LocalDateTime t = LocalDateTime.ofInstant(after, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        int lastYear = t.getYear() + HORIZON_YEARS;
        while (t.getYear() <= lastYear) {
            if (!months.get(t.getMonthValue())) {
                t = t.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay();
            } else if (!dayMatches(t)) {
                t = t.toLocalDate().plusDays(1).atStartOfDay();
            } else if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else {
                int m = minutes.nextSetBit(t.getMinute());
                if (m >= 0) return Optional.of(t.withMinute(m).toInstant(ZoneOffset.UTC));
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            }
        }
        return Optional.empty();
    }

    private boolean dayMatches(LocalDateTime t) {
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
        if (dayOfMonthStar || dayOfWeekStar) return dom && dow;
        return dom || dow;
    }

    /** The expression as written (whitespace normalised). */
    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CronExpression c && c.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
