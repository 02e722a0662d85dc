package dev.sluice.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.DatasetKind;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The JSON form of flow configurations (REST bodies, CLI), and which flow types suit which datasets. */
class FlowConfigJsonTest {
    @Test
    void everyKindOfConfigurationRoundTrips() {
        List<FlowConfig> configs = List.of(
                FlowConfig.manual(),
                FlowConfig.of(new FlowTrigger.Interval(Duration.ofHours(1))),
                FlowConfig.of(FlowTrigger.Cron.of("0 */6 * * *")).withPriority(7),
                FlowConfig.of(new FlowTrigger.Reactive(100, Duration.ofMinutes(10)))
                        .withRetry(new RetryPolicy(3, Duration.ofSeconds(30), RetryPolicy.Backoff.EXPONENTIAL_WITH_JITTER))
                        .withStop(new StopPolicy.AfterConsecutiveFailures(4)),
                FlowConfig.manual().withOptions(Map.of("maxSliceRecords", "10000", "maxSliceSize", "300000000")));
        for (FlowConfig c : configs) assertEquals(c, FlowConfigJson.parse(FlowConfigJson.toJson(c)), c.toString());

        Map<String, Object> json = FlowConfigJson.toJson(configs.get(3));
        assertEquals(Map.of("reactive", Map.of("minRecords", 100L, "maxWait", "PT10M")), json.get("trigger"));
        assertEquals(Map.of("maxAttempts", 3, "minDelay", "PT30S", "backoff", "ExponentialWithJitter"), json.get("retry"));
        assertEquals(Map.of("afterConsecutiveFailures", 4), json.get("stop"));
        assertEquals(List.of("trigger", "retry", "stop", "priority", "options"), List.copyOf(json.keySet()));
        Map<String, Object> manual = FlowConfigJson.toJson(FlowConfig.manual());
        assertNull(manual.get("trigger"));
        assertNull(manual.get("retry"));
        assertNull(manual.get("stop"));
    }

    @Test
    void missingPartsTakeTheirDefaultsAndNumbersMayComeInAnyJsonForm() {
        assertEquals(FlowConfig.manual(), FlowConfigJson.parse(Map.of()));
        Map<String, Object> m = new HashMap<>();
        m.put("trigger", Map.of("reactive", Map.of()));
        m.put("retry", Map.of("maxAttempts", new BigDecimal("3.0")));
        m.put("priority", 5L);
        m.put("options", Map.of("maxSliceRecords", 500, "fetchUncacheable", true));
        FlowConfig c = FlowConfigJson.parse(m);
        assertEquals(FlowTrigger.Reactive.immediate(), c.trigger());
        assertEquals(new RetryPolicy(3, Duration.ZERO, RetryPolicy.Backoff.FIXED), c.retry());
        assertEquals(5, c.priority());
        assertEquals(Map.of("maxSliceRecords", "500", "fetchUncacheable", "true"), c.options());
    }

    @ParameterizedTest(name = "{0} = {1}s")
    @CsvSource({"PT1H, 3600", "pt10m, 600", "90s, 90", "10m, 600", "1h30m, 5400", "2d, 172800", "1D2H, 93600", "0, 0", "P1D, 86400"})
    void durationsAreIsoOrShort(String text, long seconds) {
        assertEquals(Duration.ofSeconds(seconds), FlowConfigJson.duration("x", text));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"trigger": {"every": "PT1X"}}                         | trigger.every:
            {"trigger": {"every": "1 hour"}}                       | trigger.every:
            {"trigger": {"every": "PT0.5S"}}                       | trigger.every: interval must be at least 1 second
            {"trigger": {"every": 3600}}                           | trigger.every: expected a duration
            {"trigger": {"cron": "61 * * * *"}}                    | trigger.cron:
            {"trigger": {"cron": 5}}                               | trigger.cron: expected a 5-field cron expression
            {"trigger": {}}                                        | trigger: give exactly one of every, cron or reactive
            {"trigger": {"every": "PT1H", "cron": "0 * * * *"}}    | trigger: give exactly one
            {"trigger": {"evry": "PT1H"}}                          | trigger: unknown field 'evry'
            {"trigger": "hourly"}                                  | trigger: expected a JSON object
            {"trigger": {"reactive": {"minRecords": 0}}}           | trigger.reactive: minRecordsToAwait must be at least 1
            {"trigger": {"reactive": {"minRecords": 1.5}}}         | trigger.reactive.minRecords: expected a whole number
            {"trigger": {"reactive": {"maxWait": "P2D"}}}          | trigger.reactive: maxBatchingInterval must be at most 24h
            {"trigger": {"reactive": {"records": 5}}}              | trigger.reactive: unknown field 'records'
            {"retry": {"minDelay": "PT1M"}}                        | retry.maxAttempts: missing
            {"retry": {"maxAttempts": 0}}                          | retry.maxAttempts:
            {"retry": {"maxAttempts": "3"}}                        | retry.maxAttempts: expected a whole number
            {"retry": {"maxAttempts": 3, "minDelay": "PT25H"}}     | retry.minDelay:
            {"retry": {"maxAttempts": 3, "backoff": "Random"}}     | retry.backoff: unknown backoff 'Random'
            {"retry": {"maxAttempts": 3, "backoff": 1}}            | retry.backoff: expected Fixed
            {"stop": {"afterConsecutiveFailures": 11}}             | stop.afterConsecutiveFailures:
            {"stop": {"after": 3}}                                 | stop: unknown field 'after'
            {"priority": 1000}                                     | priority: priority must be 0..999
            {"priority": "high"}                                   | priority: expected a whole number
            {"priority": 99999999999}                              | priority: 99999999999 is out of range
            {"options": {"x": {"y": 1}}}                           | options.x: expected a string, number or boolean
            {"options": [1]}                                       | options: expected a JSON object
            {"retyr": {"maxAttempts": 3}}                          | unknown field 'retyr' (expected trigger, retry, stop, priority, options)
            """)
    void problemsNameTheirField(String json, String messageStart) throws Exception {
        Object parsed = new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Object.class);
        FlowConfigException e = assertThrows(FlowConfigException.class, () -> FlowConfigJson.parse(parsed));
        assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
    }

    @Test
    void aConfigurationIsAnObject() {
        assertThrows(FlowConfigException.class, () -> FlowConfigJson.parse(List.of()));
        assertThrows(FlowConfigException.class, () -> FlowConfigJson.parse("manual"));
        assertThrows(FlowConfigException.class, () -> FlowConfigJson.parse(null));
    }

    @Test
    void flowTypesSuitTheirDatasets() {
        assertEquals(FlowType.INGEST, FlowTargets.defaultType(DatasetKind.Root, true));
        assertEquals(FlowType.TRANSFORM, FlowTargets.defaultType(DatasetKind.Derivative, false));
        assertNull(FlowTargets.defaultType(DatasetKind.Root, false));
        assertTrue(assertThrows(FlowConfigException.class, () -> FlowTargets.requireDefaultType("kamu/x", DatasetKind.Root, false))
                .getMessage().startsWith("kamu/x is a root dataset without a polling source"));
        FlowTargets.check(FlowType.INGEST, "kamu/x", DatasetKind.Root, true);
        FlowTargets.check(FlowType.TRANSFORM, "kamu/x", DatasetKind.Derivative, false);
        for (FlowType t : List.of(FlowType.COMPACTION, FlowType.RESET)) {
            FlowTargets.check(t, "kamu/x", DatasetKind.Root, false);
            FlowTargets.check(t, "kamu/x", DatasetKind.Derivative, false);
        }
        assertTrue(assertThrows(FlowConfigException.class, () -> FlowTargets.check(FlowType.INGEST, "kamu/x", DatasetKind.Root, false))
                .getMessage().contains("no polling source"));
        assertTrue(assertThrows(FlowConfigException.class, () -> FlowTargets.check(FlowType.INGEST, "kamu/x", DatasetKind.Derivative, false))
                .getMessage().contains("is a derivative dataset"));
        assertTrue(assertThrows(FlowConfigException.class, () -> FlowTargets.check(FlowType.TRANSFORM, "kamu/x", DatasetKind.Root, true))
                .getMessage().contains("is a root dataset"));
    }
}
