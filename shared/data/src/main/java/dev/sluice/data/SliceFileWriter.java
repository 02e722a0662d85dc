package dev.sluice.data;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.schema.MessageType;

/**
 * Column-wise Parquet encoding of Arrow batches: each column's values go straight from the Arrow buffers into its
 * page encoder ({@link ColumnEncoder}); parquet-mr's {@link ParquetFileWriter} lays out the file (page headers,
 * column/offset indexes, footer). This replaces parquet-mr's row-by-row record path, which cost several times more.
 *
 * <p>Page and row-group boundaries depend only on the row sequence, never on how it was split into batches, so the
 * same rows always give the same bytes: a page ends after {@link #PAGE_ROWS} rows or once the page's variable-width
 * data reaches {@link #PAGE_BYTES}, at the same row for every column; a row group ends at the first page end where
 * the buffered (compressed) column chunks reach the row-group size. The footer lists each column chunk's encodings
 * in a fixed order ({@link FooterOrder}): parquet-mr collects them in a {@code HashSet}, whose order follows identity
 * hash codes and so differs between processes (and between the threads that happen to hash them first).
 */
final class SliceFileWriter {
    static final int PAGE_ROWS = 20_000;
    static final long PAGE_BYTES = 1 << 20;

    private final ParquetFileWriter file;
    private final ColumnEncoder[] columns;
    private final FieldVector[] bound;
    private final long rowGroupBytes;
    private int pageRows;
    private long pageVarBytes;
    private long groupRows;

    private final FooterOrder out;
    private final MessageType parquetSchema;

    SliceFileWriter(OutputFile out, Schema schema, long rowGroupBytes) throws IOException {
        this.parquetSchema = ParquetTypes.toParquet(schema);
        this.rowGroupBytes = rowGroupBytes;
        this.out = new FooterOrder(out);
        this.file = new ParquetFileWriter(this.out, parquetSchema, ParquetFileWriter.Mode.CREATE, rowGroupBytes, 0,
                64, Integer.MAX_VALUE, true);
        List<Field> fields = schema.getFields();
        List<ColumnDescriptor> leaves = parquetSchema.getColumns(); // one leaf per top-level field (lists: their element)
        columns = new ColumnEncoder[fields.size()];
        for (int i = 0; i < columns.length; i++) columns[i] = ColumnEncoder.create(fields.get(i), leaves.get(i));
        bound = new FieldVector[columns.length];
        file.start();
    }

    /** The Parquet schema of the file (its footer's). */
    MessageType parquetSchema() {
        return parquetSchema;
    }

    /** Appends the rows of a batch (its schema as given at construction); the batch is not kept. */
    void write(VectorSchemaRoot batch) throws IOException {
        List<FieldVector> vs = batch.getFieldVectors();
        for (int c = 0; c < columns.length; c++) {
            bound[c] = vs.get(c);
            columns[c].bind(bound[c]);
        }
        int n = batch.getRowCount();
        int r = 0;
        while (r < n) {
            int m = pageSpan(r, Math.min(n - r, PAGE_ROWS - pageRows));
            for (ColumnEncoder c : columns) c.append(r, r + m);
            pageRows += m;
            r += m;
            if (pageRows >= PAGE_ROWS || pageVarBytes >= PAGE_BYTES) endPage();
        }
        for (ColumnEncoder c : columns) c.bind(null);
    }

    /** Closes the last page and row group and writes the footer (and closes the output). */
    void close() throws IOException {
        if (pageRows > 0) endPage();
        endRowGroup();
        out.capture();
        file.end(Map.of("writer.model.name", "sluice"));
        out.writeTail();
    }

    /** Closes the output without completing the file (it is being discarded). */
    void abort() throws IOException {
        try {
            file.close();
        } finally {
            out.discard();
        }
    }

    /** How many of the next {@code max} rows from {@code r} fit in the open page (at least one). */
    private int pageSpan(int r, int max) {
        long total = varBytes(r, r + max);
        if (pageVarBytes + total < PAGE_BYTES) {
            pageVarBytes += total;
            return max;
        }
        int k = 0;
        while (k < max && pageVarBytes < PAGE_BYTES) {
            pageVarBytes += varBytes(r + k, r + k + 1);
            k++;
        }
        return Math.max(k, 1);
    }

    /** Variable-width payload of rows [from, to) over all columns (list elements count 8 bytes each). */
    private long varBytes(int from, int to) {
        long sum = 0;
        for (FieldVector v : bound) {
            if (v instanceof BaseVariableWidthVector vw) {
                sum += vw.getOffsetBuffer().getInt((long) to * 4) - vw.getOffsetBuffer().getInt((long) from * 4);
            } else if (v instanceof BaseLargeVariableWidthVector vw) {
                sum += vw.getOffsetBuffer().getLong((long) to * 8) - vw.getOffsetBuffer().getLong((long) from * 8);
            } else if (v instanceof ListVector lv) {
                sum += 8L * (lv.getOffsetBuffer().getInt((long) to * 4) - lv.getOffsetBuffer().getInt((long) from * 4));
            }
        }
        return sum;
    }

    private void endPage() throws IOException {
        long buffered = 0;
        for (ColumnEncoder c : columns) {
            c.endPage(pageRows);
            buffered += c.bufferedBytes();
        }
        groupRows += pageRows;
        pageRows = 0;
        pageVarBytes = 0;
        if (buffered >= rowGroupBytes) endRowGroup();
    }

    private void endRowGroup() throws IOException {
        if (groupRows == 0) return;
        file.startBlock(groupRows);
        for (ColumnEncoder c : columns) c.writeChunk(file);
        file.endBlock();
        groupRows = 0;
    }

    /**
     * The output, able to hold back what {@link ParquetFileWriter#end} writes (page indexes, footer) so the footer's
     * encoding lists can be put in a fixed order (thrift enum value) before the bytes go out. Reordering list
     * elements of one-byte enums keeps the footer's length, and nothing points into the footer.
     */
    static final class FooterOrder implements OutputFile {
        private final OutputFile target;
        private PositionOutputStream stream;
        private ByteArrayOutputStream held;
        private boolean closeRequested;

        FooterOrder(OutputFile target) {
            this.target = target;
        }

        void capture() {
            held = new ByteArrayOutputStream(1 << 16);
        }

        /** Writes the held bytes (with the footer's encodings in order) and closes the output. */
        void writeTail() throws IOException {
            byte[] tail = held.toByteArray();
            held = null;
            stream.write(orderFooter(tail));
            if (closeRequested) stream.close();
        }

        /** Drops held bytes and closes the output (the file is being abandoned). */
        void discard() throws IOException {
            held = null;
            if (stream != null) stream.close();
        }

        @Override
        public PositionOutputStream create(long blockSizeHint) throws IOException {
            stream = target.create(blockSizeHint);
            return new PositionOutputStream() {
                @Override
                public long getPos() throws IOException {
                    return stream.getPos() + (held == null ? 0 : held.size());
                }

                @Override
                public void write(int b) throws IOException {
                    if (held != null) held.write(b);
                    else stream.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (held != null) held.write(b, off, len);
                    else stream.write(b, off, len);
                }

                @Override
                public void flush() throws IOException {
                    if (held == null) stream.flush();
                }

                @Override
                public void close() throws IOException {
                    if (held != null) closeRequested = true;
                    else stream.close();
                }
            };
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
            return create(blockSizeHint);
        }

        @Override
        public boolean supportsBlockSize() {
            return target.supportsBlockSize();
        }

        @Override
        public long defaultBlockSize() {
            return target.defaultBlockSize();
        }

        /** {@code tail} ends with footer, footer length (4 bytes LE) and "PAR1"; returns it with sorted encoding lists. */
        static byte[] orderFooter(byte[] tail) throws IOException {
            int n = tail.length;
            int footerLen = (tail[n - 8] & 0xFF) | (tail[n - 7] & 0xFF) << 8 | (tail[n - 6] & 0xFF) << 16 | (tail[n - 5] & 0xFF) << 24;
            int footerStart = n - 8 - footerLen;
            FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(tail, footerStart, footerLen));
            for (RowGroup g : meta.getRow_groups()) {
                for (ColumnChunk c : g.getColumns()) {
                    c.getMeta_data().getEncodings().sort(Comparator.comparingInt(Encoding::getValue));
                }
            }
            ByteArrayOutputStream footer = new ByteArrayOutputStream(footerLen);
            Util.writeFileMetaData(meta, footer);
            if (footer.size() != footerLen) throw new IllegalStateException("footer length changed when ordering encodings");
            System.arraycopy(footer.toByteArray(), 0, tail, footerStart, footerLen);
            return tail;
        }
    }
}
