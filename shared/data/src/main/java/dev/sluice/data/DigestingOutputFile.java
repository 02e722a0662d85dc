package dev.sluice.data;

import dev.sluice.odf.Multihash;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A Parquet {@link OutputFile} over an {@link OutputStream} that computes the SHA3-256 of every byte on its way
 * out, so the physical hash is known when the file is closed without reading it again. Bytes are collected in
 * chunks; each full chunk is written, then hashed as a unit of a serial lane (chunks strictly in order), so
 * hashing overlaps with encoding instead of adding to it: as its own SHA3 stream, or as the extra stream of a
 * logical hasher, on that column group's lane. At most {@value #MAX_CHUNKS} chunk buffers exist (reused):
 * when all wait for hashing, the writing thread helps the lanes until one is free, which bounds memory when a whole
 * row group is written at once.
 */
final class DigestingOutputFile implements OutputFile {
    private static final int CHUNK = 1 << 20;
    private static final int MAX_CHUNKS = 4;

    private final OutputStream out;
    private final TaskLanes lanes;
    private final TaskLanes.Lane lane;
    private final Sha3Stream sha3;
    private final ArrayDeque<byte[]> free = new ArrayDeque<>(); // guarded by itself
    private int chunks = 1;
    private byte[] chunk = new byte[CHUNK];
    private int fill;
    private long position;
    private boolean created;

    /**
     * @param lanes where chunks are hashed, on {@code lane}, into {@code sha3}: a stream of its own, or a logical
     *              hasher's extra stream on its column group's lane (the digest is then known once that hasher is
     *              finished); null: no hashing
     */
    DigestingOutputFile(OutputStream out, TaskLanes lanes, TaskLanes.Lane lane, Sha3Stream sha3) {
        this.out = out;
        this.lanes = lanes;
        this.lane = lanes == null ? null : lane;
        this.sha3 = lanes == null ? null : sha3;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
        if (created) throw new IllegalStateException("output already created");
        created = true;
        return new PositionOutputStream() {
            @Override
            public long getPos() {
                return position;
            }

            @Override
            public void write(int b) throws IOException {
                if (fill == CHUNK) emit();
                chunk[fill++] = (byte) b;
                position++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    if (fill == CHUNK) emit();
                    int n = Math.min(len, CHUNK - fill);
                    System.arraycopy(b, off, chunk, fill, n);
                    fill += n;
                    off += n;
                    len -= n;
                    position += n;
                }
            }

            @Override
            public void flush() throws IOException {
                emit();
                out.flush();
            }

            @Override
            public void close() throws IOException {
                emit();
                out.close();
            }
        };
    }

    /** Writes the buffered chunk and queues it for hashing. */
    private void emit() throws IOException {
        if (fill == 0) return;
        byte[] c = chunk;
        int n = fill;
        out.write(c, 0, n);
        fill = 0;
        if (lane == null) return; // not hashing: keep the chunk
        lane.submit(() -> {
            sha3.update(c, 0, n);
            synchronized (free) {
                free.add(c);
            }
        });
        if (chunks < MAX_CHUNKS) {
            chunks++;
            chunk = new byte[CHUNK];
            return;
        }
        lanes.helpUntil(() -> {
            synchronized (free) {
                return !free.isEmpty() || lanes.failure() != null; // after a failure, hashing units are skipped
            }
        });
        synchronized (free) {
            chunk = free.isEmpty() ? new byte[CHUNK] : free.poll();
        }
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
        return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
        return false;
    }

    @Override
    public long defaultBlockSize() {
        return 0;
    }

    long size() {
        return position;
    }

    /**
     * Physical hash of everything written; call once, after the Parquet writer is closed and its lane is idle (and,
     * hashing into a logical hasher's extra stream, after that hasher is finished).
     */
    Multihash physicalHash() {
        return new Multihash(Multihash.SHA3_256, sha3.digest());
    }
}
