package dev.sluice.data;

import dev.sluice.odf.Multihash;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A Parquet {@link OutputFile} over an {@link OutputStream} that computes the SHA3-256 of every byte on its way
 * out, so the physical hash is known when the file is closed without reading it again.
 */
final class DigestingOutputFile implements OutputFile {
    private final OutputStream out;
    private final MessageDigest md = Multihash.newSha3();
    private long position;
    private boolean created;

    DigestingOutputFile(OutputStream out) {
        this.out = out;
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
                out.write(b);
                md.update((byte) b);
                position++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                md.update(b, off, len);
                position += len;
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
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

    /** Physical hash of everything written; call once, after the Parquet writer is closed. */
    Multihash physicalHash() {
        return new Multihash(Multihash.SHA3_256, md.digest());
    }
}
