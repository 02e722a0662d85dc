package dev.sluice.fn.ingest;

import dev.sluice.ingest.IngestSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An upload's spool file while it is still arriving, read as the pushed body: a reader gets the bytes already in the
 * file and waits for more, so parsing overlaps the upload instead of following it. The end of the file is reported
 * only once the whole body has arrived ({@link #complete}); if the upload fails (client gone, body too large, disk
 * full) every reader fails, so a truncated body can never be ingested as if it were whole. Each {@link #source()}
 * open reads from the start (a push retried after a lost commit race reads the body again).
 */
final class GrowingSpool {
    private final Path file;
    /** Bytes at the start of the file that are all written (writes may complete out of order). */
    private long written;
    /** Completed writes beyond {@link #written}: start → end. */
    private final java.util.TreeMap<Long, Long> ahead = new java.util.TreeMap<>();
    private boolean complete;
    private Throwable failure;

    GrowingSpool(Path file) {
        this.file = file;
    }

    /** The bytes at {@code [start, start + length)} are in the file (called once that write completed). */
    synchronized void wrote(long start, long length) {
        ahead.put(start, start + length);
        for (var e = ahead.firstEntry(); e != null && e.getKey() <= written; e = ahead.firstEntry()) {
            written = Math.max(written, e.getValue());
            ahead.pollFirstEntry();
        }
        notifyAll();
    }

    /**
     * The whole body, {@code total} bytes, is in the file (the file was flushed and closed). Write completions may be
     * reported after this, so the total is taken from here.
     */
    synchronized void complete(long total) {
        written = Math.max(written, total);
        complete = true;
        notifyAll();
    }

    /** Bytes readers may read now. */
    synchronized long readable() {
        return written;
    }

    synchronized void failed(Throwable cause) {
        if (failure == null) failure = cause;
        notifyAll();
    }

    /**
     * Waits until the file holds more than {@code position} bytes (returns how many it holds) or the body ended at
     * {@code position} (returns -1). Bounded by the HTTP server's idle timeout: a stalled client is disconnected,
     * which fails the upload.
     */
    synchronized long awaitBeyond(long position) throws IOException {
        while (true) {
            if (failure != null) throw new IOException("the upload did not complete: " + failure.getMessage(), failure);
            if (written > position) return written;
            if (complete) return -1;
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the upload");
            }
        }
    }

    IngestSource source() {
        return Reader::new;
    }

    private final class Reader extends InputStream {
        private final FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        private long position;

        Reader() throws IOException {}

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            long available = awaitBeyond(position);
            if (available < 0) return -1;
            int n = (int) Math.min(len, available - position);
            int read = channel.read(ByteBuffer.wrap(b, off, n), position);
            if (read <= 0) throw new IOException("spool file shorter than the bytes written to it");
            position += read;
            return read;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
