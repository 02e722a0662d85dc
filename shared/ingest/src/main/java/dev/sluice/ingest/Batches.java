package dev.sluice.ingest;

import dev.sluice.data.read.RecordReader;
import dev.sluice.odf.Transform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/** The batches a push feeds into merge: what was read, or the preprocess query's result over it. */
abstract class Batches implements Iterator<VectorSchemaRoot>, AutoCloseable {
    abstract Schema schema();

    @Override
    public abstract void close();

    static Batches of(RecordReader reader, Transform preprocess, Preprocessor preprocessor, BufferAllocator allocator) {
        if (preprocess == null) return new Read(reader);
        return new Preprocessed(preprocessor.run((Transform.Sql) preprocess, reader.schema(), reader, allocator));
    }

    private static final class Read extends Batches {
        private final RecordReader reader;

        Read(RecordReader reader) {
            this.reader = reader;
        }

        Schema schema() {
            return reader.schema();
        }

        public boolean hasNext() {
            return reader.hasNext();
        }

        public VectorSchemaRoot next() {
            return reader.next();
        }

        public void close() {
            // the reader is closed by its owner
        }
    }

    private static final class Preprocessed extends Batches {
        private final ArrowReader result;
        private Boolean loaded;

        Preprocessed(ArrowReader result) {
            this.result = result;
        }

        Schema schema() {
            try {
                return result.getVectorSchemaRoot().getSchema();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public boolean hasNext() {
            if (loaded == null) {
                try {
                    // Empty result batches carry nothing for the slice; skip them.
                    do {
                        loaded = result.loadNextBatch();
                    } while (loaded && result.getVectorSchemaRoot().getRowCount() == 0);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return loaded;
        }

        public VectorSchemaRoot next() {
            if (!hasNext()) throw new NoSuchElementException();
            loaded = null;
            try {
                return result.getVectorSchemaRoot();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public void close() {
            try {
                result.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
