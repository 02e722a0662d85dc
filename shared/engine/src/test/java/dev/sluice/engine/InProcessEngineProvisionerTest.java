package dev.sluice.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InProcessEngineProvisionerTest {
    record Fake(String name, Set<String> dialects) implements Engine {
        public String build() {
            return name + " 1";
        }

        @Override
        public boolean accepts(String dialect) {
            return dialects.contains(dialect);
        }

        public TransformResponse transform(TransformRequest request) {
            return new TransformResponse.Success(null, null);
        }
    }

    @Test
    void anEngineOfTheDialectsNameWinsOverAStandIn() {
        var standIn = new Fake("duck", Set.of("duck", "flink", "spark"));
        var spark = new Fake("spark", Set.of("spark"));
        var p = new InProcessEngineProvisioner(List.of(standIn, spark));
        assertEquals(spark, p.engineFor("spark").orElseThrow());
        assertEquals(spark, p.engineFor("SPARK").orElseThrow(), "dialect names are case-insensitive");
        assertEquals(standIn, p.engineFor("flink").orElseThrow());
        assertTrue(p.engineFor("postgres").isEmpty());
        assertTrue(p.engineFor(null).isEmpty());
        assertTrue(InProcessEngineProvisioner.load().engineFor("duck").isEmpty(), "no engine module on this class path");
    }
}
