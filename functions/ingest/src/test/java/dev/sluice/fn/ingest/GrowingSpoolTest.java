package dev.sluice.fn.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrowingSpoolTest {
    @TempDir Path dir;

    @Test
    void writesCompletingOutOfOrderExposeOnlyTheWrittenPrefix() throws Exception {
        byte[] body = new byte[300];
        for (int i = 0; i < body.length; i++) body[i] = (byte) i;
        Path file = Files.write(dir.resolve("spool"), body);
        GrowingSpool spool = new GrowingSpool(file);
        spool.wrote(100, 100);
        assertEquals(0, spool.readable(), "bytes 0..99 are not written yet");
        spool.wrote(0, 100);
        assertEquals(200, spool.readable());
        spool.wrote(200, 100);
        assertEquals(300, spool.readable());
        spool.complete(300);
        try (InputStream in = spool.source().open()) {
            assertArrayEquals(body, in.readAllBytes());
        }
        try (InputStream again = spool.source().open()) {
            assertArrayEquals(body, again.readAllBytes(), "each open reads from the start");
        }
    }

    @Test
    void aReaderWaitsForTheBodyAndFailsWithTheUpload() throws Exception {
        Path file = Files.write(dir.resolve("spool"), new byte[50]);
        GrowingSpool spool = new GrowingSpool(file);
        spool.wrote(0, 50);
        InputStream in = spool.source().open();
        assertEquals(50, in.readNBytes(50).length);
        // The reader is at the end of what arrived: it waits, and the failed upload ends the wait with an error.
        CompletableFuture<Exception> reading = CompletableFuture.supplyAsync(() -> {
            try {
                in.read();
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        spool.failed(new IllegalStateException("connection reset"));
        Exception e = reading.get();
        assertTrue(e != null && e.getMessage().contains("the upload did not complete: connection reset"), String.valueOf(e));
        assertThrows(IOException.class, () -> spool.source().open().read());
        in.close();
    }
}
