package dev.sluice.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Triggers, retry and stop policies, configuration validation: pure functions. */
class PoliciesTest {
    @ParameterizedTest(name = "every {0}s, slot {1}, now {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            3600 | 2025-03-01T10:00:00Z | 2025-03-01T10:00:05Z | 2025-03-01T11:00:00Z
            3600 | 2025-03-01T10:00:00Z | 2025-03-01T12:30:00Z | 2025-03-01T13:00:00Z
            3600 | 2025-03-01T10:00:00Z | 2025-03-01T11:00:00Z | 2025-03-01T12:00:00Z
            3600 | -                    | 2025-03-01T10:17:00Z | 2025-03-01T11:17:00Z
            3600 | 2025-03-01T11:00:00Z | 2025-03-01T10:00:00Z | 2025-03-01T12:00:00Z
            90   | 2025-03-01T10:00:00Z | 2025-03-01T10:04:00Z | 2025-03-01T10:04:30Z
            """)
    void intervalNextFireIsAnchoredAndSkipsMissedSlots(long every, String slot, String now, String expected) {
        var t = new FlowTrigger.Interval(Duration.ofSeconds(every));
        assertEquals(Instant.parse(expected), t.nextFire(slot == null ? null : Instant.parse(slot), Instant.parse(now)));
        assertEquals(Instant.parse(now), t.firstFire(Instant.parse(now)), "a new interval schedule fires at once");
    }

    @Test
    void cronTriggerFiresAfterTheLaterOfSlotAndNow() {
        var t = FlowTrigger.Cron.of("0 */6 * * *");
        Instant now = Instant.parse("2025-03-01T10:00:00Z");
        assertEquals(Instant.parse("2025-03-01T12:00:00Z"), t.firstFire(now));
        assertEquals(Instant.parse("2025-03-01T18:00:00Z"), t.nextFire(Instant.parse("2025-03-01T12:00:00Z"), Instant.parse("2025-03-01T12:00:03Z")));
        assertEquals(Instant.parse("2025-03-02T00:00:00Z"), t.nextFire(Instant.parse("2025-03-01T12:00:00Z"), Instant.parse("2025-03-01T19:00:00Z")),
                "missed slots are skipped");
    }

    @Test
    void reactiveBecomesDueAtMinRecordsOrAfterMaxWait() {
        var r = new FlowTrigger.Reactive(100, Duration.ofMinutes(10));
        Instant first = Instant.parse("2025-03-01T10:00:00Z");
        Instant now = first.plusSeconds(30);
        assertNull(r.dueAt(0, null, now));
        assertEquals(first.plus(Duration.ofMinutes(10)), r.dueAt(99, first, now));
        assertEquals(now, r.dueAt(100, first, now));
        assertEquals(now, FlowTrigger.Reactive.immediate().dueAt(1, first, now));
        assertThrows(FlowConfigException.class, () -> new FlowTrigger.Reactive(0, Duration.ZERO));
        var tooLong = assertThrows(FlowConfigException.class, () -> new FlowTrigger.Reactive(1, Duration.ofHours(25)));
        assertTrue(tooLong.getMessage().contains("at most 24h"), tooLong.getMessage());
        new FlowTrigger.Reactive(1, Duration.ofHours(24));
    }

    @ParameterizedTest(name = "{0} after {1} failures -> {2}s")
    @CsvSource(delimiter = '|', textBlock = """
            FIXED       | 1  | 10
            FIXED       | 3  | 10
            LINEAR      | 1  | 10
            LINEAR      | 3  | 30
            EXPONENTIAL | 1  | 10
            EXPONENTIAL | 2  | 20
            EXPONENTIAL | 4  | 80
            EXPONENTIAL | 20 | 86400
            """)
    void backoffDelays(RetryPolicy.Backoff backoff, int failures, long seconds) {
        var p = new RetryPolicy(20, Duration.ofSeconds(10), backoff);
        assertEquals(Duration.ofSeconds(seconds), p.delayAfter(failures, new Random(1)));
    }

    @Test
    void jitterIsWithinHalfToFullExponentialAndComesFromTheInjectedSource() {
        var p = new RetryPolicy(10, Duration.ofSeconds(10), RetryPolicy.Backoff.EXPONENTIAL_WITH_JITTER);
        List<Duration> a = new ArrayList<>();
        List<Duration> b = new ArrayList<>();
        Random ra = new Random(42);
        Random rb = new Random(42);
        for (int n = 1; n <= 6; n++) {
            Duration d = p.delayAfter(n, ra);
            long exp = 10_000L << (n - 1);
            assertTrue(d.toMillis() >= exp / 2 && d.toMillis() < exp, n + ": " + d);
            a.add(d);
            b.add(p.delayAfter(n, rb));
        }
        assertEquals(a, b, "same seed, same delays");
        List<Duration> c = new ArrayList<>();
        Random rc = new Random(7);
        for (int n = 1; n <= 6; n++) c.add(p.delayAfter(n, rc));
        assertNotEquals(a, c, "another seed spreads differently");
    }

    @Test
    void policyBounds() {
        assertTrue(new RetryPolicy(3, Duration.ZERO, RetryPolicy.Backoff.FIXED).allowsRetryAfter(2));
        assertFalse(new RetryPolicy(3, Duration.ZERO, RetryPolicy.Backoff.FIXED).allowsRetryAfter(3));
        assertFalse(RetryPolicy.NONE.allowsRetryAfter(1));
        assertThrows(FlowConfigException.class, () -> new RetryPolicy(0, Duration.ZERO, RetryPolicy.Backoff.FIXED));
        assertThrows(FlowConfigException.class, () -> new RetryPolicy(2, Duration.ofSeconds(-1), RetryPolicy.Backoff.FIXED));
        assertEquals(RetryPolicy.Backoff.EXPONENTIAL_WITH_JITTER, RetryPolicy.Backoff.parse("ExponentialWithJitter"));
        assertThrows(FlowConfigException.class, () -> RetryPolicy.Backoff.parse("Random"));
        assertTrue(new StopPolicy.AfterConsecutiveFailures(3).stopsAfter(3));
        assertFalse(new StopPolicy.AfterConsecutiveFailures(3).stopsAfter(2));
        assertFalse(StopPolicy.NEVER.stopsAfter(1000));
        var e = assertThrows(FlowConfigException.class, () -> new StopPolicy.AfterConsecutiveFailures(11));
        assertTrue(e.getMessage().contains("1..10"), e.getMessage());
        assertThrows(FlowConfigException.class, () -> new StopPolicy.AfterConsecutiveFailures(0));
        assertThrows(FlowConfigException.class, () -> new FlowTrigger.Interval(Duration.ofMillis(500)));
        assertThrows(FlowConfigException.class, () -> new FlowTrigger.Interval(Duration.ofMillis(1500)));
        assertThrows(FlowConfigException.class, () -> FlowConfig.manual().withPriority(1000));
        assertThrows(FlowConfigException.class, () -> FlowConfig.manual().withPriority(-1));
    }

    @Test
    void triggersMustSuitTheFlowType() {
        var reactive = FlowConfig.of(FlowTrigger.Reactive.immediate());
        assertThrows(FlowConfigException.class, () -> reactive.validateFor(FlowType.INGEST));
        assertThrows(FlowConfigException.class, () -> reactive.validateFor(FlowType.COMPACTION));
        reactive.validateFor(FlowType.TRANSFORM);
        FlowConfig.of(FlowTrigger.Cron.of("@daily")).validateFor(FlowType.TRANSFORM);
        assertThrows(FlowConfigException.class, () -> FlowConfig.of(new FlowTrigger.Interval(Duration.ofHours(1))).validateFor(FlowType.RESET));
        FlowConfig.manual().validateFor(FlowType.RESET);
        assertEquals(FlowType.INGEST, FlowType.parse("dev.kamu.flow.dataset.ingest"));
        assertEquals(FlowType.COMPACTION, FlowType.parse("compact"));
        assertEquals(FlowType.TRANSFORM, FlowType.parse("Transform"));
        assertThrows(FlowConfigException.class, () -> FlowType.parse("gc"));
    }
}
