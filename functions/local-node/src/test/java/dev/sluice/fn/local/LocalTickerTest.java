package dev.sluice.fn.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The timer's tick event ids: one per interval slot, whoever fires it and wherever in the slot. */
class LocalTickerTest {
    @Test
    void eventIdsAreIntervalSlots() {
        Duration every = Duration.ofSeconds(2);
        Instant slotStart = Instant.parse("2026-01-01T00:00:00Z");
        String id = LocalTicker.slotId(slotStart, every);
        assertEquals("local-2000-" + slotStart.toEpochMilli() / 2000, id);
        assertEquals(id, LocalTicker.slotId(slotStart.plusMillis(1999), every), "two timers firing in one slot: the same event");
        assertNotEquals(id, LocalTicker.slotId(slotStart.plusMillis(2000), every), "the next slot is another event");
        assertNotEquals(id, LocalTicker.slotId(slotStart, Duration.ofSeconds(1)), "timers with other intervals do not collide");
    }
}
