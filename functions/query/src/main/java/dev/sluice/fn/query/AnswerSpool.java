package dev.sluice.fn.query;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Holds a finished answer until it is sent: in memory up to {@code memoryBytes}, in a scratch file beyond that (so a
 * large answer never sits in the heap). Write it, close it, then {@link #read} it once; {@link #discard} after a
 * failure.
 */
final class AnswerSpool extends OutputStream {
    private final Path dir;
    private final int memoryBytes;
    private byte[] buf = new byte[8192];
    private int count;
    private Path file;
    private OutputStream fileOut;

    AnswerSpool(Path dir, int memoryBytes) {
        this.dir = dir;
        this.memoryBytes = memoryBytes;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (fileOut == null && count + len > memoryBytes) {
            Files.createDirectories(dir);
            file = Files.createTempFile(dir, ".answer-", ".out");
            fileOut = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
            fileOut.write(buf, 0, count);
            buf = null;
        }
        if (fileOut != null) {
            fileOut.write(b, off, len);
            return;
        }
        if (count + len > buf.length) buf = Arrays.copyOf(buf, Math.min(memoryBytes, Math.max(buf.length * 2, count + len)));
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    @Override
    public void flush() throws IOException {
        if (fileOut != null) fileOut.flush();
    }

    @Override
    public void close() throws IOException {
        if (fileOut != null) fileOut.close();
    }

    /** The answer; closing the stream of a spilled answer deletes its file. */
    InputStream read() throws IOException {
        if (file == null) return new ByteArrayInputStream(buf, 0, count);
        return Files.newInputStream(file, StandardOpenOption.DELETE_ON_CLOSE);
    }

    /** Whether the answer went to a scratch file. */
    boolean spilled() {
        return file != null;
    }

    void discard() throws IOException {
        buf = null;
        try {
            close();
        } finally {
            if (file != null) Files.deleteIfExists(file);
        }
    }
}
