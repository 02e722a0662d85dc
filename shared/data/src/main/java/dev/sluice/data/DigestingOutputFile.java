package dev.sluice.data;

import dev.sluice.odf.Multihash;
import dev.sluice.odf.Sha3Lanes;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
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
    private final Sha3 sha3;
    private final ArrayDeque<byte[]> free = new ArrayDeque<>(); // guarded by itself
    private int chunks = 1;
    private byte[] chunk = new byte[CHUNK];
    private int fill;
    private long position;
    private boolean created;

    /** @param lanes where chunks are hashed (a lane of their own, one SHA3 stream); null: no hashing */
    DigestingOutputFile(OutputStream out, TaskLanes lanes) {
        this.out = out;
        this.lanes = lanes;
        this.lane = lanes == null ? null : lanes.lane();
        this.sha3 = lanes == null ? null : Sha3.create();
    }

    /**
     * Hashes the chunks into the extra stream of a logical hasher, on the lane of its column group ({@code lane}),
     * where they share the Keccak lanes with the columns' streams. The digest is known once the hasher is finished.
     */
    DigestingOutputFile(OutputStream out, TaskLanes lanes, TaskLanes.Lane lane, LogicalHasher.ExtraStream stream) {
        this.out = out;
        this.lanes = lanes;
        this.lane = lane;
        this.sha3 = new Sha3() {
            public void update(byte[] b, int len) {
                stream.update(b, 0, len);
            }

            public byte[] digest() {
                return stream.digest();
            }
        };
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
            sha3.update(c, n);
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

    /**
     * One SHA3-256 stream: {@link Multihash#newSha3()}, which absorbs the chunks with the native one-stream Keccak when
     * the CPU has AVX-512VL (~1.1x one stream of the four-stream call, and no copy into its buffers); else, as before,
     * the native four-stream Keccak with one stream when present; else the Java one.
     */
    private interface Sha3 {
        void update(byte[] b, int len);

        byte[] digest();

        static Sha3 create() {
            if (Sha3Lanes.nativePresent() && !Multihash.nativeSha3()) {
                Sha3Lanes lanes = new Sha3Lanes(1, Sha3Lanes.Permutation.NATIVE);
                return new Sha3() {
                    public void update(byte[] b, int len) {
                        lanes.update(0, b, 0, len);
                    }

                    public byte[] digest() {
                        return lanes.digests()[0];
                    }
                };
            }
            MessageDigest md = Multihash.newSha3();
            return new Sha3() {
                public void update(byte[] b, int len) {
                    md.update(b, 0, len);
                }

                public byte[] digest() {
                    return md.digest();
                }
            };
        }
    }
}
