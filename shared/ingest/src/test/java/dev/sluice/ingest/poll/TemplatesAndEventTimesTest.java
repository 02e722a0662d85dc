package dev.sluice.ingest.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ingest.IngestException;
import dev.sluice.odf.EventTimeSource;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemplatesAndEventTimesTest {
    final PollOptions vars = PollOptions.defaults().variable("A", "1").variable("B-x_2", "two").secret("S", "hidden");

    @Test
    void templatesFollowKamu() {
        assertEquals("1, two", Templates.apply("${{ env.A }}, ${{env.B-x_2}}", vars, "t"));
        assertEquals("x=dflt", Templates.apply("x=${{ env.MISSING || 'dflt' }}", vars, "t"));
        assertEquals("x=1", Templates.apply("x=${{ env.MISSING || env.A || 'dflt' }}", vars, "t"));
        assertEquals("-0.5", Templates.apply("${{ env.MISSING || -0.5 }}", vars, "t"));
        assertEquals("no templates $ { here }", Templates.apply("no templates $ { here }", vars, "t"));
        assertEquals("a$b\\c", Templates.apply("${{ env.V }}", PollOptions.defaults().variable("V", "a$b\\c"), "t"),
                "replacement text is literal");

        FetchException missing = assertThrows(FetchException.class, () -> Templates.apply("${{ env.NOPE }}", vars, "the url"));
        assertTrue(missing.getMessage().startsWith("the url uses '${{ env.NOPE }}'") && missing.getMessage().contains("configure NOPE"),
                missing.getMessage());
        assertFalse(missing.retryable());
        FetchException invalid = assertThrows(FetchException.class, () -> Templates.apply("${{ env.A || bare }}", vars, "the url"));
        assertTrue(invalid.getMessage().contains("'bare'"), invalid.getMessage());
    }

    @Test
    void redactorMasksPlainAndEncodedSecrets() {
        Redactor r = new Redactor(List.of("p@ss word", "", "ab"));
        assertEquals("u=*** e=*** f=*** c=***c", r.clean("u=p@ss word e=p%40ss+word f=p%40ss%20word c=abc"));
        Throwable c = r.cause(new IllegalStateException("bad p@ss word"));
        assertEquals("java.lang.IllegalStateException: bad ***", c.getMessage());
    }

    @Test
    void eventTimeFromPathFormats() {
        assertEquals(Instant.parse("2021-03-04T00:00:00Z"), EventTimes.fromPath(new EventTimeSource.FromPath("(\\d+-\\d+-\\d+)", null), "f-2021-03-04.csv"));
        assertEquals(Instant.parse("2021-03-04T05:06:07Z"), EventTimes.fromPath(
                new EventTimeSource.FromPath("_(\\d{8}T\\d{6})", "%Y%m%dT%H%M%S"), "dump_20210304T050607.json"));
        assertEquals(Instant.parse("2021-03-04T04:06:07Z"), EventTimes.fromPath(
                new EventTimeSource.FromPath("@(.*)\\.csv", "yyyy-MM-dd'T'HH:mm:ssXXX"), "@2021-03-04T05:06:07+01:00.csv"));
        assertEquals("uuuu'-'MM'-'dd' 'HH':'mm", EventTimes.fromStrftime("%Y-%m-%d %H:%M"));
        IngestException noMatch = assertThrows(IngestException.class,
                () -> EventTimes.fromPath(new EventTimeSource.FromPath("(\\d{4})", null), "undated.csv"));
        assertTrue(noMatch.getMessage().contains("does not match"), noMatch.getMessage());
        assertThrows(IngestException.class, () -> EventTimes.fromPath(new EventTimeSource.FromPath("(\\d+)", "%Q"), "1.csv"));
        assertThrows(IngestException.class, () -> EventTimes.fromPath(new EventTimeSource.FromPath("(\\d+)", null), "12.csv"));
    }
}
