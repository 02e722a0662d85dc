package dev.sluice.data.read;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;

/**
 * Keeps a copy of everything read through it until {@link #rewind}, which returns a stream that serves the copy and
 * then the rest of the source: lets a reader sample the start of a body (schema inference) and then read it all.
 */
final class ReplayInputStream extends InputStream {
    private final InputStream source;
    private final Copy copy = new Copy();

    /** Exposes its buffer so the replay does not copy it again. */
    private static final class Copy extends ByteArrayOutputStream {
        ByteArrayInputStream replay() {
            return new ByteArrayInputStream(buf, 0, count);
        }
    }

    ReplayInputStream(InputStream source) {
        this.source = source;
    }

    /** Bytes read (and kept) so far. */
    long recorded() {
        return copy.size();
    }

    @Override
    public int read() throws IOException {
        int c = source.read();
        if (c >= 0) copy.write(c);
        return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = source.read(b, off, len);
        if (n > 0) copy.write(b, off, n);
        return n;
    }

    /** The whole input from its first byte; this stream must not be read any more. */
    InputStream rewind() {
        return new SequenceInputStream(copy.replay(), source);
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
