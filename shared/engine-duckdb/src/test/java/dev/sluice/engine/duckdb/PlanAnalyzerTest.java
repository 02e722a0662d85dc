package dev.sluice.engine.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.DatasetVocabulary;
import dev.sluice.odf.Transform;
import dev.sluice.query.ForbiddenQueryException;
import dev.sluice.query.InvalidQueryException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Classification and diff keys come from DuckDB's parse tree. */
class PlanAnalyzerTest {
    static final PlanAnalyzer ANALYZER = new PlanAnalyzer();
    static final Map<String, DatasetVocabulary> INPUTS = new LinkedHashMap<>();

    static {
        INPUTS.put("t", DatasetVocabulary.DEFAULT);
        INPUTS.put("u", new DatasetVocabulary("off", "operation", "sys", "et"));
    }

    @AfterAll
    static void close() {
        ANALYZER.close();
    }

    static PlanAnalyzer.Plan plan(String sql) {
        return ANALYZER.analyze(new Transform.Sql("duckdb", null, sql, null, null), INPUTS);
    }

    @ParameterizedTest(name = "{0} → stateless={1} key={2}")
    @CsvSource(delimiter = '|', value = {
            "select a, b + 1 as c from t where b > 0                                   | true  | ''",
            "select * from (select a, upper(b) as ub from t where a > 1) where ub <> 'x' | true  | ''",
            "select a from t union all select a from u                                 | true  | ''",
            "select cast(a as varchar) as s, coalesce(b, 0) as b from t as x           | true  | ''",
            "select a, sum(b) as total from t group by a                              | false | a",
            "select a, count(*) from t group by all                                    | false | a",
            "select a, c, max(b) from t group by 1, c                                 | false | a;c",
            "select * from (select row_number() over (partition by 1 order by s desc) as place, p, s from t) where place <= 2 | false | place",
            "select p, rank() over (partition by g order by s) as r from t             | false | g;r",
            "select distinct a from t                                                  | false | ''",
            "select a from t order by a limit 5                                        | false | ''",
            "select t.a, u.b from t join u on t.a = u.a                               | false | ''",
            "select a, lag(a) over (order by b) as prev from t                        | false | ''",
            "select a from t where a in (select a from u)                             | false | ''",
            "with x as (select a from t) select a from x                              | false | ''",
            "select a from t union select a from u                                    | false | ''",
            "select unnest(l) as x from t                                             | false | ''",
            "select a from t union all select b from t                                | false | ''",
    })
    void classifies(String sql, boolean stateless, String key) {
        PlanAnalyzer.Plan p = plan(sql);
        assertEquals(stateless, p.stateless(), sql);
        assertEquals(key.isEmpty() ? List.of() : List.of(key.split(";")), p.keyCandidates(), sql);
    }

    @Test
    void passThroughCarriesEachInputsOwnOpAndOffsetColumns() {
        PlanAnalyzer.Plan p = plan("select a from t union all select a from u as v");
        assertNotNull(p.passThroughSql());
        assertTrue(p.passThroughSql().contains("t.op AS __sluice_op"), p.passThroughSql());
        assertTrue(p.passThroughSql().contains("v.\"off\" AS __sluice_offset"), p.passThroughSql());
        assertTrue(p.passThroughSql().contains("v.operation AS __sluice_op"), p.passThroughSql());
        assertNull(plan("select a, count(*) as n from t group by a").passThroughSql());
    }

    @Test
    void multiStepQueriesBecomeCtesOfTheLastStep() {
        var sql = new Transform.Sql("duckdb", null, null, List.of(
                new Transform.SqlQueryStep("big", "select a, b from t where b > 10"),
                new Transform.SqlQueryStep(null, "select a, sum(b) as total from big group by a")), null);
        PlanAnalyzer.Plan p = ANALYZER.analyze(sql, INPUTS);
        assertEquals(false, p.stateless());
        assertEquals(List.of("t"), List.copyOf(p.tables()));
    }

    @Test
    void refusesWhatATransformMustNotDo() {
        assertThrows(InvalidQueryException.class, () -> plan("selec a from t"));
        var notInput = assertThrows(InvalidQueryException.class, () -> plan("select a from other"));
        assertTrue(notInput.getMessage().contains("not an input"), notInput.getMessage());
        for (String q : List.of("select now() as n, a from t", "select random() as r from t", "select current_timestamp as c from t",
                "select gen_random_uuid() as u from t")) {
            var e = assertThrows(ForbiddenQueryException.class, () -> plan(q), q);
            assertTrue(e.getMessage().contains("changes between runs"), e.getMessage());
        }
        assertThrows(InvalidQueryException.class, () -> plan("select a as __sluice_op from t"));
        assertThrows(ForbiddenQueryException.class, () -> plan("select * from read_csv('/etc/passwd')"));
        assertThrows(ForbiddenQueryException.class, () -> plan("select * from '/etc/passwd'"));
        assertThrows(InvalidQueryException.class, () -> ANALYZER.analyze(
                new Transform.Sql("flink", null, "select a from t", null, List.of(new Transform.TemporalTable("t", List.of("a")))), INPUTS));
    }

    @Test
    void classificationAloneDoesNotNeedTheInputs() {
        assertEquals(false, ANALYZER.recomputes(new Transform.Sql("duckdb", null, "select a from anything where b > 1", null, null)));
        assertEquals(true, ANALYZER.recomputes(new Transform.Sql("duckdb", null, "select a, count(*) as n from anything group by a", null, null)));
    }

    @Test
    void plansAreRememberedPerSqlAndInputsButFailuresAreNot() {
        try (PlanAnalyzer a = new PlanAnalyzer()) {
            var sql = new Transform.Sql("duckdb", null, "select a, b from t where b > 0", null, null);
            PlanAnalyzer.Plan first = a.analyze(sql, INPUTS);
            assertSame(first, a.analyze(new Transform.Sql("duckdb", null, "select a, b from t where b > 0", null, null), new LinkedHashMap<>(INPUTS)));
            // Other input vocabularies rewrite the pass-through SQL differently: a plan of its own.
            Map<String, DatasetVocabulary> renamed = Map.of("t", new DatasetVocabulary("o2", "op2", "st2", "et2"));
            PlanAnalyzer.Plan other = a.analyze(sql, renamed);
            assertTrue(other.passThroughSql().contains("op2"), other.passThroughSql());
            assertThrows(UnsupportedOperationException.class, () -> first.keyCandidates().add("x"), "a shared plan is immutable");
            var unknown = new Transform.Sql("duckdb", null, "select a from nope", null, null);
            assertThrows(InvalidQueryException.class, () -> a.analyze(unknown, INPUTS));
            assertThrows(InvalidQueryException.class, () -> a.analyze(unknown, INPUTS), "an error is raised again, not remembered as a plan");
        }
    }
}
