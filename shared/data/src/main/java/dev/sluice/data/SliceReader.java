package dev.sluice.data;

import dev.sluice.odf.Multihash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeMilliVector;
import org.apache.arrow.vector.TimeNanoVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;

/**
 * Reads a Parquet slice back as Arrow batches of at most {@code batchSize} rows, with the Arrow types arrow-rs
 * derives from the file (so the logical hash matches what kamu computes). Each batch returned by {@link #next}
 * is valid until the next call or {@link #close}.
 */
public final class SliceReader implements Iterator<VectorSchemaRoot>, AutoCloseable {
    /** The batch size kamu uses when it computes a file's logical hash. */
    public static final int KAMU_BATCH_SIZE = 10_000;

    private final ParquetFileReader reader;
    private final MessageType parquetSchema;
    private final Schema schema;
    private final BufferAllocator allocator;
    private final boolean ownAllocator;
    private final int batchSize;
    private final Root root;
    private final RecordMaterializer<Object> materializer;
    private RecordReader<Object> records;
    private long rowsLeftInGroup;
    private VectorSchemaRoot current;
    private boolean exhausted;

    private SliceReader(Path file, BufferAllocator allocator, int batchSize) throws IOException {
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive");
        this.reader = ParquetFileReader.open(new LocalInputFile(file));
        this.parquetSchema = reader.getFooter().getFileMetaData().getSchema();
        this.schema = ParquetTypes.toArrow(parquetSchema);
        this.allocator = allocator != null ? allocator : new RootAllocator();
        this.ownAllocator = allocator == null;
        this.batchSize = batchSize;
        this.root = new Root(schema);
        this.materializer = new RecordMaterializer<>() {
            @Override
            public Object getCurrentRecord() {
                return null;
            }

            @Override
            public GroupConverter getRootConverter() {
                return root;
            }
        };
    }

    /** Opens {@code file}; batches are allocated from {@code allocator} (null: a private one). */
    public static SliceReader open(Path file, BufferAllocator allocator, int batchSize) throws IOException {
        return new SliceReader(file, allocator, batchSize);
    }

    /**
     * The Arrow schema of a slice file (as {@link #schema}), from its footer alone: no Hadoop configuration is loaded
     * and no reader state built (~4 ms of CPU less than {@link #open}).
     */
    public static Schema schemaOf(Path file) throws IOException {
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file), options)) {
            return ParquetTypes.toArrow(r.getFooter().getFileMetaData().getSchema());
        }
    }

    /** Recomputes a slice file's logical hash the way kamu does (batches of 10 000 rows). */
    public static Multihash logicalHash(Path file) throws IOException {
        try (SliceReader r = open(file, null, KAMU_BATCH_SIZE)) {
            LogicalHasher h = new LogicalHasher(r.schema());
            while (r.hasNext()) h.update(r.next());
            return h.finish();
        }
    }

    public Schema schema() {
        return schema;
    }

    @Override
    public boolean hasNext() {
        if (exhausted) return false;
        try {
            if (rowsLeftInGroup == 0 && !nextGroup()) {
                exhausted = true;
                releaseCurrent();
                return false;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return true;
    }

    @Override
    public VectorSchemaRoot next() {
        if (!hasNext()) throw new NoSuchElementException();
        releaseCurrent();
        List<FieldVector> vs = new ArrayList<>();
        for (Field f : schema.getFields()) {
            FieldVector v = f.createVector(allocator);
            v.setInitialCapacity(batchSize);
            v.allocateNew();
            vs.add(v);
        }
        root.bind(vs);
        int n = 0;
        try {
            while (n < batchSize) {
                if (rowsLeftInGroup == 0 && !nextGroup()) break;
                records.read();
                rowsLeftInGroup--;
                n++;
            }
        } catch (IOException e) {
            vs.forEach(FieldVector::close);
            throw new UncheckedIOException(e);
        }
        for (FieldVector v : vs) v.setValueCount(n);
        current = new VectorSchemaRoot(schema, vs, n);
        return current;
    }

    private boolean nextGroup() throws IOException {
        while (true) {
            PageReadStore pages = reader.readNextRowGroup();
            if (pages == null) return false;
            if (pages.getRowCount() == 0) continue;
            MessageColumnIO io = new ColumnIOFactory().getColumnIO(parquetSchema);
            records = io.getRecordReader(pages, materializer);
            rowsLeftInGroup = pages.getRowCount();
            return true;
        }
    }

    private void releaseCurrent() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    @Override
    public void close() throws IOException {
        releaseCurrent();
        reader.close();
        if (ownAllocator) allocator.close();
    }

    // ---- converters: Parquet values straight into Arrow vectors ------------------------------------------------

    /** Top-level record: one converter per column; {@code row} advances at the end of each record. */
    private static final class Root extends GroupConverter {
        private final Value[] columns;
        private int row;

        Root(Schema schema) {
            int n = schema.getFields().size();
            columns = new Value[n];
            for (int i = 0; i < n; i++) {
                columns[i] = new Value(() -> row);
                if (schema.getFields().get(i).getType() instanceof org.apache.arrow.vector.types.pojo.ArrowType.List) {
                    columns[i].list = new ListGroup(columns[i]);
                }
            }
        }

        void bind(List<FieldVector> vs) {
            row = 0;
            for (int i = 0; i < columns.length; i++) columns[i].bind(vs.get(i));
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            Value v = columns[fieldIndex];
            return v.list != null ? v.list : v;
        }

        @Override
        public void start() {}

        @Override
        public void end() {
            row++;
        }
    }

    private interface Index {
        int get();
    }

    /** Writes a primitive value at the current index of its vector (row, or list element position). */
    private static final class Value extends PrimitiveConverter {
        Index index;
        FieldVector v;
        ListGroup list; // set when the column is a list: values then go to its items

        Value(Index index) {
            this.index = index;
        }

        void bind(FieldVector vector) {
            if (vector instanceof ListVector lv) {
                list.bind(lv);
            } else {
                v = vector;
            }
        }

        @Override
        public void addBoolean(boolean b) {
            ((BitVector) v).setSafe(index.get(), b ? 1 : 0);
        }

        @Override
        public void addInt(int x) {
            int i = index.get();
            if (v instanceof IntVector iv) iv.setSafe(i, x);
            else if (v instanceof DateDayVector d) d.setSafe(i, x);
            else if (v instanceof SmallIntVector s) s.setSafe(i, x);
            else if (v instanceof TinyIntVector t) t.setSafe(i, x);
            else if (v instanceof UInt4Vector u) u.setSafe(i, x);
            else if (v instanceof UInt2Vector u) u.setSafe(i, (char) x);
            else if (v instanceof UInt1Vector u) u.setSafe(i, x);
            else if (v instanceof TimeMilliVector t) t.setSafe(i, x);
            else if (v instanceof DecimalVector d) { d.setIndexDefined(i); d.setSafe(i, (long) x); }
            else throw new IllegalStateException("INT32 into " + v.getField());
        }

        @Override
        public void addLong(long x) {
            int i = index.get();
            if (v instanceof BigIntVector b) b.setSafe(i, x);
            else if (v instanceof TimeStampVector t) t.setSafe(i, x);
            else if (v instanceof UInt8Vector u) u.setSafe(i, x);
            else if (v instanceof TimeMicroVector t) t.setSafe(i, x);
            else if (v instanceof TimeNanoVector t) t.setSafe(i, x);
            else if (v instanceof DecimalVector d) d.setSafe(i, x);
            else throw new IllegalStateException("INT64 into " + v.getField());
        }

        @Override
        public void addFloat(float x) {
            ((Float4Vector) v).setSafe(index.get(), x);
        }

        @Override
        public void addDouble(double x) {
            ((Float8Vector) v).setSafe(index.get(), x);
        }

        @Override
        public void addBinary(Binary b) {
            int i = index.get();
            if (v instanceof VarCharVector s) s.setSafe(i, b.getBytesUnsafe());
            else if (v instanceof VarBinaryVector s) s.setSafe(i, b.getBytesUnsafe());
            else if (v instanceof FixedSizeBinaryVector f) f.setSafe(i, b.getBytes());
            else if (v instanceof DecimalVector d) d.setBigEndianSafe(i, b.getBytes());
            else throw new IllegalStateException("BINARY into " + v.getField());
        }
    }

    /** 3-level LIST: the group opens a list at the current row; each repeated "list" group is one element. */
    private static final class ListGroup extends GroupConverter {
        private final Value owner;
        private final Value element;
        private final GroupConverter repeated;
        private ListVector lv;
        private int start;
        private int count;

        ListGroup(Value owner) {
            this.owner = owner;
            this.element = new Value(() -> start + count);
            this.repeated = new GroupConverter() {
                @Override
                public Converter getConverter(int fieldIndex) {
                    return element;
                }

                @Override
                public void start() {}

                @Override
                public void end() {
                    count++;
                }
            };
        }

        void bind(ListVector vector) {
            lv = vector;
            element.v = vector.getDataVector();
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return repeated;
        }

        @Override
        public void start() {
            start = lv.startNewValue(owner.index.get());
            count = 0;
        }

        @Override
        public void end() {
            lv.endValue(owner.index.get(), count);
        }
    }
}
