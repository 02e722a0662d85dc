package dev.sluice.fn.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnswerSpoolTest {
    @TempDir Path dir;

    @Test
    void aSmallAnswerStaysInMemory() throws Exception {
        AnswerSpool spool = new AnswerSpool(dir, 100);
        try (spool) {
            spool.write("{\"output\":".getBytes());
            spool.write('1');
            spool.write("}".getBytes());
        }
        assertFalse(spool.spilled());
        assertEquals(0, files());
        try (InputStream in = spool.read()) {
            assertEquals("{\"output\":1}", new String(in.readAllBytes()));
        }
    }

    @Test
    void aLargeAnswerGoesToAFileThatReadingDeletes() throws Exception {
        byte[] answer = new byte[300_000];
        new Random(7).nextBytes(answer);
        AnswerSpool spool = new AnswerSpool(dir, 100_000);
        try (spool) {
            for (int off = 0; off < answer.length; off += 7_000) spool.write(answer, off, Math.min(7_000, answer.length - off));
        }
        assertTrue(spool.spilled());
        assertEquals(1, files());
        try (InputStream in = spool.read()) {
            assertArrayEquals(answer, in.readAllBytes());
        }
        assertEquals(0, files());
    }

    @Test
    void discardDeletesASpilledAnswer() throws Exception {
        AnswerSpool spool = new AnswerSpool(dir, 10);
        spool.write(new byte[50]);
        assertEquals(1, files());
        spool.discard();
        assertEquals(0, files());
    }

    private long files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
