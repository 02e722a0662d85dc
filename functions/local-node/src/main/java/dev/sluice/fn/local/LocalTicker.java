package dev.sluice.fn.local;

import dev.sluice.fn.common.FlowNode;
import dev.sluice.fn.common.FlowsConfig;
import dev.sluice.fn.tick.ScheduleTickFunction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The local node's timer: what a PingSource or an EventBridge rule is in the cloud. After start-up it gives existing
 * datasets their default flows, then fires the {@code schedule-tick} function every {@code sluice.flows.tick-interval}
 * (0 = no timer). Each tick's event id is its interval slot ({@code local-<interval ms>-<epoch ms / interval ms>}), so
 * two timers on one state store (two nodes on one data folder, say) deliver the same event for the same slot and
 * the second is a duplicate that changes nothing. One thread; a tick that fails is logged and the next one comes.
 * It stops on the shutdown event before anything else does, so Ctrl-C is not held up by ticks.
 */
@ApplicationScoped
public class LocalTicker {
    private static final Logger LOG = Logger.getLogger(LocalTicker.class);

    private final FlowNode flows;
    private final ScheduleTickFunction tick;
    private final Duration interval;
    private ScheduledExecutorService timer;
    private volatile String lastFailure;
    private volatile boolean stopping;

    public LocalTicker(FlowNode flows, ScheduleTickFunction tick, FlowsConfig config) {
        this.flows = flows;
        this.tick = tick;
        this.interval = config.tickInterval();
        if (interval.isNegative()) throw new IllegalArgumentException("sluice.flows.tick-interval must be 0 or positive, not " + interval);
    }

    /** The event id of the slot {@code now} falls in. */
    static String slotId(Instant now, Duration interval) {
        return ScheduleTickFunction.slotId("local", now, interval);
    }

    synchronized void start(@Observes StartupEvent event) {
        if (flows.defaultFlows() == null) return; // no state store: no flows
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-timer");
            t.setDaemon(true);
            return t;
        });
        timer.execute(this::ensureDefaultFlows);
        if (interval.isZero()) return;
        long every = interval.toMillis();
        timer.scheduleAtFixedRate(this::fire, every, every, TimeUnit.MILLISECONDS);
        LOG.debugf("scheduler tick every %s", interval);
    }

    private void ensureDefaultFlows() {
        try {
            flows.ensureDefaultFlows();
        } catch (RuntimeException e) {
            LOG.warnf("setting up default flows at start failed: %s", e.toString());
        }
    }

    private void fire() {
        Instant now = Instant.now();
        try {
            var r = tick.tick(new ScheduleTickFunction.TickEvent(slotId(now, interval), now.toString()));
            if (r.claimed() > 0 || r.requeued() > 0) LOG.debugf("tick %s: %d claimed, %d dispatched, %d re-queued", r.id(), r.claimed(), r.dispatched(), r.requeued());
            lastFailure = null;
        } catch (RuntimeException e) {
            // An exception would cancel the timer: log it (once per distinct failure) and let the next tick try.
            String what = e.toString();
            if (!what.equals(lastFailure) && !stopping) LOG.warnf("scheduler tick failed (the next one retries): %s", what);
            lastFailure = what;
        }
    }

    /** First of the shutdown observers: no tick starts after this; one in progress finishes (bounded). */
    synchronized void stop(@Observes @Priority(1) ShutdownEvent event) {
        if (timer == null) return;
        stopping = true;
        timer.shutdown(); // cancels the periodic tick; one that runs is not interrupted (its state-store calls would abort)
        try {
            if (!timer.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("a scheduler tick did not finish within 30 s of shutdown; interrupting it");
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            timer.shutdownNow();
            Thread.currentThread().interrupt();
        }
        timer = null;
    }
}
