package dev.sluice.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronExpressionTest {
    // 2025-03-01 is a Saturday
    @ParameterizedTest(name = "{0} after {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            * * * * *               | 2025-03-01T10:00:00Z | 2025-03-01T10:01:00Z
            * * * * *               | 2025-03-01T10:00:30Z | 2025-03-01T10:01:00Z
            */15 * * * *            | 2025-03-01T10:00:00Z | 2025-03-01T10:15:00Z
            */15 * * * *            | 2025-03-01T10:07:30Z | 2025-03-01T10:15:00Z
            0 * * * *               | 2025-03-01T10:00:00Z | 2025-03-01T11:00:00Z
            30 9 * * *              | 2025-03-01T10:00:00Z | 2025-03-02T09:30:00Z
            15 14 1 * *             | 2025-03-01T10:00:00Z | 2025-03-01T14:15:00Z
            0 0 1 1 *               | 2025-03-01T10:00:00Z | 2026-01-01T00:00:00Z
            @yearly                 | 2025-03-01T10:00:00Z | 2026-01-01T00:00:00Z
            @daily                  | 2025-03-01T10:00:00Z | 2025-03-02T00:00:00Z
            @hourly                 | 2025-03-01T10:00:00Z | 2025-03-01T11:00:00Z
            @weekly                 | 2025-03-01T10:00:00Z | 2025-03-02T00:00:00Z
            @monthly                | 2025-03-01T10:00:00Z | 2025-04-01T00:00:00Z
            0 12 * * MON-FRI        | 2025-03-01T10:00:00Z | 2025-03-03T12:00:00Z
            0 12 * * 1-5            | 2025-03-01T10:00:00Z | 2025-03-03T12:00:00Z
            0 0 * * 7               | 2025-03-01T10:00:00Z | 2025-03-02T00:00:00Z
            0 0 * * sun             | 2025-03-01T10:00:00Z | 2025-03-02T00:00:00Z
            0 0 * * 0               | 2025-03-01T10:00:00Z | 2025-03-02T00:00:00Z
            0 0 29 2 *              | 2025-03-01T10:00:00Z | 2028-02-29T00:00:00Z
            0 0 13 * FRI            | 2025-03-01T10:00:00Z | 2025-03-07T00:00:00Z
            0 0 */10 * FRI          | 2025-03-01T10:00:00Z | 2025-03-21T00:00:00Z
            0 0 1/10 * *            | 2025-03-01T10:00:00Z | 2025-03-11T00:00:00Z
            5,10-12,50-59/3 * * * * | 2025-03-01T10:00:00Z | 2025-03-01T10:05:00Z
            5,10-12,50-59/3 * * * * | 2025-03-01T10:12:00Z | 2025-03-01T10:50:00Z
            5,10-12,50-59/3 * * * * | 2025-03-01T10:56:00Z | 2025-03-01T10:59:00Z
            5,10-12,50-59/3 * * * * | 2025-03-01T10:59:00Z | 2025-03-01T11:05:00Z
            0 9-17/4 * * *          | 2025-03-01T10:00:00Z | 2025-03-01T13:00:00Z
            0 0 1 jan,Jul *         | 2025-03-01T10:00:00Z | 2025-07-01T00:00:00Z
            30 2 31 * *             | 2025-03-31T03:00:00Z | 2025-05-31T02:30:00Z
            59 23 31 12 *           | 2025-12-31T23:59:00Z | 2026-12-31T23:59:00Z
            0 0 ? * 1               | 2025-03-01T10:00:00Z | 2025-03-03T00:00:00Z
            """)
    void nextFireTimesInUtc(String expr, String after, String expected) {
        assertEquals(Instant.parse(expected), CronExpression.parse(expr).nextAfter(Instant.parse(after)).orElseThrow());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            * * * *           | has 4 fields
            * * * * * *       | has 6 fields
            60 * * * *        | minute '60': value out of range 0-59
            * 24 * * *        | hour '24': value out of range 0-23
            * * 0 * *         | day-of-month '0': value out of range 1-31
            * * * 13 *        | month '13': value out of range 1-12
            * * * * 8         | day-of-week '8': value out of range 0-7
            5-1 * * * *       | range 5-1 is reversed
            */0 * * * *       | step must be at least 1
            0 0 L * *         | 'L' is not a number
            0 0 * * MOO       | 'MOO' is not a number or a name
            0 0 1 FOO *       | 'FOO' is not a number or a name
            ? * * * *         | '?' is only allowed in the day fields
            1,,2 * * * *      | empty list element
            0 0 30 2 *        | never fires
            @every            | unknown cron macro
            """)
    void badExpressionsNameTheProblem(String expr, String message) {
        FlowConfigException e = assertThrows(FlowConfigException.class, () -> CronExpression.parse(expr));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    /** The fast search agrees with a minute-by-minute walk (Vixie day rules written out independently). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            7 */5 * * *
            0 0 13 * 5
            0 0 */10 * 5
            15 3 * 2,3 1-3
            0 0 31 * *
            */20 6-8 1-7 * 1
            """)
    void agreesWithBruteForce(String expr) {
        CronExpression c = CronExpression.parse(expr);
        String[] f = expr.split(" ");
        LocalDateTime t = LocalDateTime.parse("2025-01-30T22:13:00");
        for (int i = 0; i < 40; i++) {
            Instant got = c.nextAfter(t.toInstant(ZoneOffset.UTC)).orElseThrow();
            LocalDateTime m = t.plusMinutes(1);
            while (!matches(f, m)) m = m.plusMinutes(1);
            assertEquals(m.toInstant(ZoneOffset.UTC), got, expr + " after " + t);
            t = m.plus(37, ChronoUnit.MINUTES);
        }
    }

    private static boolean matches(String[] f, LocalDateTime t) {
        boolean dom = in(f[2], t.getDayOfMonth(), 1, 31);
        boolean dow = in(f[4], t.getDayOfWeek().getValue() % 7, 0, 6);
        boolean day = f[2].startsWith("*") || f[4].startsWith("*") ? dom && dow : dom || dow;
        return in(f[0], t.getMinute(), 0, 59) && in(f[1], t.getHour(), 0, 23) && in(f[3], t.getMonthValue(), 1, 12) && day;
    }

    private static boolean in(String field, int v, int min, int max) {
        for (String part : field.split(",")) {
            String[] stepSplit = part.split("/");
            int step = stepSplit.length > 1 ? Integer.parseInt(stepSplit[1]) : 1;
            int lo;
            int hi;
            if (stepSplit[0].equals("*")) {
                lo = min;
                hi = max;
            } else if (stepSplit[0].contains("-")) {
                lo = Integer.parseInt(stepSplit[0].split("-")[0]);
                hi = Integer.parseInt(stepSplit[0].split("-")[1]);
            } else {
                lo = Integer.parseInt(stepSplit[0]);
                hi = stepSplit.length > 1 ? max : lo;
            }
            if (v >= lo && v <= hi && (v - lo) % step == 0) return true;
        }
        return false;
    }
}
