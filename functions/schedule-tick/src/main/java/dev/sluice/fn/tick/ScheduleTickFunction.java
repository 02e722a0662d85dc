package dev.sluice.fn.tick;

import dev.sluice.fn.common.FlowNode;
import dev.sluice.flows.TickResult;
import dev.sluice.fn.common.ApiException;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The timer function: one {@link dev.sluice.flows.Scheduler#tick} per timer event. The event is CloudEvent-shaped —
 * {@code {"id": "...", "time": "2025-03-01T10:00:00Z"}} — and its id makes redelivery harmless: a tick already
 * processed answers with its counts and changes nothing. Without {@code time} the function's clock is used.
 * Without {@code id} (a Knative PingSource sends only its static data, here {@code {}}, as the body) the id is the
 * minute the tick time falls in ({@code ping-60000-<minute>}): a PingSource fires at most once a minute, so a
 * redelivered ping is still recognised as a duplicate.
 */
@ApplicationScoped
public class ScheduleTickFunction {
    private final FlowNode flows;

    public ScheduleTickFunction(FlowNode flows) {
        this.flows = flows;
    }

    /** The finest schedule of a PingSource (cron) or an EventBridge rule: one minute. */
    static final Duration PING_SLOT = Duration.ofMinutes(1);

    /** The event id of the time slot {@code time} falls in: {@code <prefix>-<slot ms>-<epoch ms / slot ms>}. */
    public static String slotId(String prefix, Instant time, Duration slot) {
        long every = slot.toMillis();
        return prefix + "-" + every + "-" + Math.floorDiv(time.toEpochMilli(), every);
    }

    /** A timer event (the CloudEvent attributes that matter here; others are ignored). */
    public record TickEvent(String id, String time) {}

    /** What the tick did; {@code duplicate}: this event id was processed before. */
    public record TickResponse(String id, int due, int claimed, int dispatched, int requeued, boolean duplicate) {}

    @Funq("schedule-tick")
    public TickResponse tick(TickEvent event) {
        if (event == null) throw ApiException.badRequest("missing tick event");
        Instant time = event.time() == null || event.time().isBlank() ? Instant.now() : parseTime(event.time());
        String id = event.id() == null || event.id().isBlank() ? slotId("ping", time, PING_SLOT) : event.id();
        TickResult r = flows.flows().scheduler().tick(id, time);
        return new TickResponse(r.tickId(), r.due(), r.claimed(), r.dispatched(), r.requeued(), r.duplicate());
    }

    private static Instant parseTime(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("tick event 'time' is not an RFC 3339 timestamp: " + s);
        }
    }
}
