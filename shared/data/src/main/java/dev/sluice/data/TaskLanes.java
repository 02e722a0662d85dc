package dev.sluice.data;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Units of work in serial lanes (a lane runs its units one at a time, in submission order; different lanes run in
 * parallel) on a shared executor, with the thread that waits for them helping instead of sleeping. A slice writer
 * has one lane for Parquet encoding and one per logical-hash column group (and one for the physical hash when it
 * does not ride in a column group's lanes).
 *
 * <p>Why not chained futures: a caller that blocks on a future sleeps while there is work it could do, and every
 * hand-over costs a wake-up; on a busy machine those gaps add up. Here the waiting thread runs ready units itself,
 * so all threads of a push stay busy while work is queued, and the pool threads only add parallelism.
 *
 * <p>The first failure of any unit is kept; later units are skipped (their lanes still drain), and {@link #failure}
 * reports it. A lane's units see each other's effects (the lane's lock orders them).
 */
final class TaskLanes {
    private final Executor executor;
    private final ConcurrentLinkedQueue<Lane> ready = new ConcurrentLinkedQueue<>();
    private final Object signal = new Object();
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile Throwable failure;

    TaskLanes(Executor executor) {
        this.executor = executor;
    }

    Lane lane() {
        return new Lane();
    }

    /** The first failure of a unit, or null. */
    Throwable failure() {
        return failure;
    }

    /** Units submitted and not yet run (or skipped). */
    int outstanding() {
        return outstanding.get();
    }

    /** Runs ready units on this thread until {@code done} holds; waits only when no unit is ready. */
    void helpUntil(BooleanSupplier done) {
        boolean interrupted = false;
        while (!done.getAsBoolean()) {
            Lane l = ready.poll();
            if (l != null) {
                l.runNext();
                continue;
            }
            synchronized (signal) {
                if (done.getAsBoolean() || !ready.isEmpty()) continue;
                try {
                    signal.wait();
                } catch (InterruptedException e) {
                    interrupted = true; // finish the wait: the units reference memory the caller will free
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** Waits (helping) until every submitted unit has run or been skipped. */
    void awaitIdle() {
        helpUntil(() -> outstanding.get() == 0);
    }

    private void schedule(Lane l) {
        ready.add(l);
        wakeWaiters();
        executor.execute(this::runOneReady);
    }

    private void runOneReady() {
        Lane l = ready.poll();
        if (l != null) l.runNext();
    }

    private void wakeWaiters() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** A serial sequence of units. */
    final class Lane {
        private final ArrayDeque<Runnable> units = new ArrayDeque<>();
        private boolean active; // queued in `ready` or running a unit; guarded by this

        void submit(Runnable unit) {
            outstanding.incrementAndGet();
            synchronized (this) {
                units.add(unit);
                if (active) return;
                active = true;
            }
            schedule(this);
        }

        private void runNext() {
            Runnable unit;
            synchronized (this) {
                unit = units.poll();
            }
            try {
                if (failure == null) unit.run();
            } catch (Throwable t) {
                synchronized (signal) {
                    if (failure == null) failure = t;
                }
            } finally {
                boolean more;
                synchronized (this) {
                    more = !units.isEmpty();
                    if (!more) active = false;
                }
                outstanding.decrementAndGet();
                if (more) schedule(this);
                else wakeWaiters();
            }
        }
    }
}
