package dev.sluice.flows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A flow configuration as JSON — the REST API's request and response body, and what the CLI sends and shows — held as
 * the plain maps, lists, strings and numbers a JSON library reads and writes (no JSON library here):
 *
 * <pre>{@code
 * {"trigger": {"every": "PT1H"} | {"cron": "0 * * * *"} | {"reactive": {"minRecords": 100, "maxWait": "PT10M"}} | null,
 *  "retry": {"maxAttempts": 3, "minDelay": "PT1M", "backoff": "Exponential"} | null,
 *  "stop": {"afterConsecutiveFailures": 3} | null,
 *  "priority": 0,
 *  "options": {"maxSliceRecords": "10000"}}
 * }</pre>
 *
 * A missing or null trigger means manual only; a missing retry or stop means none. Durations are ISO-8601
 * ({@code PT1H}) or short forms ({@code 90s}, {@code 10m}, {@code 1h30m}, {@code 2d}). Every problem is a
 * {@link FlowConfigException} whose message starts with the field it is about ({@code retry.maxAttempts: …}).
 */
public final class FlowConfigJson {
    static final List<String> FIELDS = List.of("trigger", "retry", "stop", "priority", "options");
    private static final Pattern SHORT_DURATION = Pattern.compile("(?:(\\d{1,9})d)?(?:(\\d{1,9})h)?(?:(\\d{1,9})m)?(?:(\\d{1,9})s)?");

    private FlowConfigJson() {}

    /** The configuration a JSON object describes (validated as far as it goes without knowing the flow type). */
    public static FlowConfig parse(Object json) {
        Map<String, Object> m = object("", json);
        if (m == null) throw new FlowConfigException("the flow configuration must be a JSON object, got null");
        onlyFields("", m, FIELDS);
        FlowTrigger trigger = trigger(m.get("trigger"));
        RetryPolicy retry = retry(m.get("retry"));
        StopPolicy stop = stop(m.get("stop"));
        Integer priority = integer("priority", m.get("priority"));
        Map<String, String> options = options(m.get("options"));
        try {
            return new FlowConfig(trigger, retry, stop, priority == null ? 0 : priority, options);
        } catch (FlowConfigException e) {
            throw field("priority", e); // the only check left to the constructor
        }
    }

    /** The JSON form of a configuration; {@code parse(toJson(c))} equals {@code c}. */
    public static Map<String, Object> toJson(FlowConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trigger", triggerJson(c.trigger()));
        if (c.retry().maxAttempts() > 1) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("maxAttempts", c.retry().maxAttempts());
            r.put("minDelay", c.retry().minDelay().toString());
            r.put("backoff", backoffName(c.retry().backoff()));
            m.put("retry", r);
        } else {
            m.put("retry", null);
        }
        m.put("stop", c.stop() instanceof StopPolicy.AfterConsecutiveFailures a ? Map.of("afterConsecutiveFailures", a.failures()) : null);
        m.put("priority", c.priority());
        m.put("options", new TreeMap<>(c.options()));
        return m;
    }

    /** A trigger as JSON, or null for manual only. */
    public static Map<String, Object> triggerJson(FlowTrigger t) {
        if (t instanceof FlowTrigger.Interval i) return Map.of("every", i.every().toString());
        if (t instanceof FlowTrigger.Cron c) return Map.of("cron", c.expression().text());
        if (t instanceof FlowTrigger.Reactive r) {
            Map<String, Object> reactive = new LinkedHashMap<>();
            reactive.put("minRecords", r.minRecordsToAwait());
            reactive.put("maxWait", r.maxBatchingInterval().toString());
            return Map.of("reactive", reactive);
        }
        return null;
    }

    /** kamu's backoff names: Fixed, Linear, Exponential, ExponentialWithJitter. */
    public static String backoffName(RetryPolicy.Backoff b) {
        return switch (b) {
            case FIXED -> "Fixed";
            case LINEAR -> "Linear";
            case EXPONENTIAL -> "Exponential";
            case EXPONENTIAL_WITH_JITTER -> "ExponentialWithJitter";
        };
    }

    /** A duration: ISO-8601 ({@code PT1H30M}) or the short form ({@code 90s}, {@code 10m}, {@code 1h30m}, {@code 2d}). */
    public static Duration duration(String field, Object value) {
        if (!(value instanceof String s) || s.isBlank()) {
            throw new FlowConfigException(field + ": expected a duration such as \"PT1H\" or \"10m\", got " + show(value));
        }
        String text = s.strip();
        if (text.charAt(0) == 'P' || text.charAt(0) == 'p' || text.charAt(0) == '-') {
            try {
                return Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw new FlowConfigException(field + ": '" + text + "' is not an ISO-8601 duration (e.g. PT1H, PT10M, P1D)");
            }
        }
        if (text.equals("0")) return Duration.ZERO;
        Matcher m = SHORT_DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new FlowConfigException(field + ": '" + text + "' is not a duration (e.g. 90s, 10m, 1h30m, 2d, or ISO-8601 PT1H)");
        }
        Duration d = Duration.ZERO;
        if (m.group(1) != null) d = d.plusDays(Long.parseLong(m.group(1)));
        if (m.group(2) != null) d = d.plusHours(Long.parseLong(m.group(2)));
        if (m.group(3) != null) d = d.plusMinutes(Long.parseLong(m.group(3)));
        if (m.group(4) != null) d = d.plusSeconds(Long.parseLong(m.group(4)));
        return d;
    }

    private static FlowTrigger trigger(Object json) {
        Map<String, Object> t = object("trigger", json);
        if (t == null) return null;
        onlyFields("trigger", t, List.of("every", "cron", "reactive"));
        if (t.size() != 1) {
            throw new FlowConfigException("trigger: give exactly one of every, cron or reactive (or null for manual runs only), got "
                    + (t.isEmpty() ? "none" : String.join(", ", t.keySet())));
        }
        String kind = t.keySet().iterator().next();
        Object value = t.get(kind);
        try {
            return switch (kind) {
                case "every" -> new FlowTrigger.Interval(duration("trigger.every", value));
                case "cron" -> {
                    if (!(value instanceof String s)) throw new FlowConfigException("expected a 5-field cron expression, got " + show(value));
                    yield FlowTrigger.Cron.of(s);
                }
                default -> reactive(value);
            };
        } catch (FlowConfigException e) {
            throw field("trigger." + kind, e);
        }
    }

    private static FlowTrigger.Reactive reactive(Object json) {
        Map<String, Object> r = object("trigger.reactive", json);
        if (r == null) throw new FlowConfigException("expected an object {minRecords, maxWait}, got null");
        onlyFields("trigger.reactive", r, List.of("minRecords", "maxWait"));
        Long min = longValue("trigger.reactive.minRecords", r.get("minRecords"));
        Duration wait = r.get("maxWait") == null ? Duration.ZERO : duration("trigger.reactive.maxWait", r.get("maxWait"));
        return new FlowTrigger.Reactive(min == null ? 1 : min, wait);
    }

    private static RetryPolicy retry(Object json) {
        Map<String, Object> r = object("retry", json);
        if (r == null) return RetryPolicy.NONE;
        onlyFields("retry", r, List.of("maxAttempts", "minDelay", "backoff"));
        Integer attempts = integer("retry.maxAttempts", r.get("maxAttempts"));
        if (attempts == null) throw new FlowConfigException("retry.maxAttempts: missing (1.." + RetryPolicy.MAX_ATTEMPTS + ", the first attempt included)");
        Duration delay = r.get("minDelay") == null ? Duration.ZERO : duration("retry.minDelay", r.get("minDelay"));
        RetryPolicy.Backoff backoff;
        Object b = r.get("backoff");
        if (b == null) {
            backoff = RetryPolicy.Backoff.FIXED;
        } else if (b instanceof String s) {
            try {
                backoff = RetryPolicy.Backoff.parse(s);
            } catch (FlowConfigException e) {
                throw field("retry.backoff", e);
            }
        } else {
            throw new FlowConfigException("retry.backoff: expected Fixed, Linear, Exponential or ExponentialWithJitter, got " + show(b));
        }
        try {
            return new RetryPolicy(attempts, delay, backoff);
        } catch (FlowConfigException e) {
            throw field(e.getMessage().contains("minDelay") ? "retry.minDelay" : "retry.maxAttempts", e);
        }
    }

    private static StopPolicy stop(Object json) {
        Map<String, Object> s = object("stop", json);
        if (s == null) return StopPolicy.NEVER;
        onlyFields("stop", s, List.of("afterConsecutiveFailures"));
        Integer n = integer("stop.afterConsecutiveFailures", s.get("afterConsecutiveFailures"));
        if (n == null) return StopPolicy.NEVER;
        try {
            return new StopPolicy.AfterConsecutiveFailures(n);
        } catch (FlowConfigException e) {
            throw field("stop.afterConsecutiveFailures", e);
        }
    }

    private static Map<String, String> options(Object json) {
        Map<String, Object> o = object("options", json);
        if (o == null) return Map.of();
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, Object> e : o.entrySet()) {
            Object v = e.getValue();
            if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                out.put(e.getKey(), v instanceof BigDecimal d ? d.toPlainString() : v.toString());
            } else {
                throw new FlowConfigException("options." + e.getKey() + ": expected a string, number or boolean, got " + show(v));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String field, Object json) {
        if (json == null) return null;
        if (json instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw new FlowConfigException((field.isEmpty() ? "the flow configuration" : field) + ": expected a JSON object, got " + show(json));
    }

    private static void onlyFields(String field, Map<String, Object> m, List<String> known) {
        for (String k : m.keySet()) {
            if (!known.contains(k)) {
                throw new FlowConfigException((field.isEmpty() ? "" : field + ": ") + "unknown field '" + k + "' (expected "
                        + String.join(", ", known) + ")");
            }
        }
    }

    private static Integer integer(String field, Object v) {
        Long l = longValue(field, v);
        if (l == null) return null;
        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) throw new FlowConfigException(field + ": " + l + " is out of range");
        return l.intValue();
    }

    private static Long longValue(String field, Object v) {
        if (v == null) return null;
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        if (v instanceof BigInteger b && b.bitLength() < 64) return b.longValue();
        if (v instanceof Number n) {
            BigDecimal d = new BigDecimal(n.toString());
            if (d.stripTrailingZeros().scale() <= 0 && d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) return d.longValueExact();
        }
        throw new FlowConfigException(field + ": expected a whole number, got " + show(v));
    }

    private static FlowConfigException field(String field, FlowConfigException e) {
        if (e.getMessage().startsWith(field + ":") || e.getMessage().startsWith(field + ".")) return e; // already names its (inner) field
        return new FlowConfigException(field + ": " + e.getMessage());
    }

    private static String show(Object v) {
        if (v == null) return "null";
        if (v instanceof String s) return "\"" + (s.length() > 60 ? s.substring(0, 60) + "…" : s) + "\"";
        if (v instanceof Map) return "an object";
        if (v instanceof List) return "an array";
        return v.toString();
    }
}
