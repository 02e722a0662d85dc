package dev.sluice.pipelines;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The system clock, which a test can move ahead ({@link #advance}) or stop ({@link #freeze}: from then on it moves only
 * when advanced, so a test can say exactly when something is due).
 */
final class ShiftedClock extends Clock {
    private final AtomicLong shiftMillis = new AtomicLong();
    private volatile Instant frozen;

    synchronized void advance(Duration d) {
        if (frozen != null) {
            frozen = frozen.plus(d);
        } else {
            shiftMillis.addAndGet(d.toMillis());
        }
    }

    synchronized void freeze() {
        frozen = instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS); // as the flow tables keep times
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        Instant f = frozen;
        return f != null ? f : Instant.now().plusMillis(shiftMillis.get());
    }
}
