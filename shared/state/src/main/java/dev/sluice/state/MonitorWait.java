package dev.sluice.state;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting on an object's monitor for a condition, with a deadline (for the write-behind queues' {@code flush}). */
public final class MonitorWait {
    private MonitorWait() {}

    /**
     * With {@code lock}'s monitor held by the caller: waits on it until {@code done} is true or {@code timeout} has
     * passed; false on timeout or interrupt (the interrupt flag is kept).
     */
    public static boolean until(Object lock, BooleanSupplier done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            try {
                lock.wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
