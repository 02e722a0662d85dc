package dev.sluice.flows;

/**
 * What one tick did: due flows read from the due index, flows this tick claimed (one task each), tasks dispatched,
 * expired leases re-queued. {@code duplicate}: the tick event was processed (or is being processed) by another
 * delivery; the counts are that delivery's, or zero while it still runs.
 */
public record TickResult(String tickId, int due, int claimed, int dispatched, int requeued, boolean duplicate) {
    String encode() {
        return "due=" + due + ",claimed=" + claimed + ",dispatched=" + dispatched + ",requeued=" + requeued;
    }

    static TickResult decode(String tickId, String s) {
        int[] v = new int[4];
        if (s != null) {
            for (String kv : s.split(",")) {
                String[] p = kv.split("=", 2);
                if (p.length != 2) continue;
                int i = switch (p[0]) {
                    case "due" -> 0;
                    case "claimed" -> 1;
                    case "dispatched" -> 2;
                    case "requeued" -> 3;
                    default -> -1;
                };
                if (i >= 0) v[i] = Integer.parseInt(p[1]);
            }
        }
        return new TickResult(tickId, v[0], v[1], v[2], v[3], true);
    }
}
