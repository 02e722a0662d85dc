package dev.sluice.data;

import java.io.IOException;
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
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.schema.MessageType;

/**
 * Column-wise Parquet encoding of Arrow batches: each column's values go straight from the Arrow buffers into its
 * page encoder ({@link ColumnEncoder}); parquet-mr's {@link ParquetFileWriter} lays out the file (page headers,
 * column/offset indexes, footer). This replaces parquet-mr's row-by-row record path, which cost several times more.
 *
 * <p>Page and row-group boundaries depend only on the row sequence, never on how it was split into batches, so the
 * same rows always give the same bytes: a page ends after {@link #PAGE_ROWS} rows or once the page's variable-width
 * data reaches {@link #PAGE_BYTES}, at the same row for every column; a row group ends at the first page end where
 * the buffered (compressed) column chunks reach the row-group size.
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

    SliceFileWriter(OutputFile out, Schema schema, long rowGroupBytes) throws IOException {
        MessageType parquetSchema = ParquetTypes.toParquet(schema);
        this.rowGroupBytes = rowGroupBytes;
        this.file = new ParquetFileWriter(out, parquetSchema, ParquetFileWriter.Mode.CREATE, rowGroupBytes, 0,
                64, Integer.MAX_VALUE, true);
        List<Field> fields = schema.getFields();
        List<ColumnDescriptor> leaves = parquetSchema.getColumns(); // one leaf per top-level field (lists: their element)
        columns = new ColumnEncoder[fields.size()];
        for (int i = 0; i < columns.length; i++) columns[i] = ColumnEncoder.create(fields.get(i), leaves.get(i));
        bound = new FieldVector[columns.length];
        file.start();
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
        file.end(Map.of("writer.model.name", "sluice"));
    }

    /** Closes the output without completing the file (it is being discarded). */
    void abort() throws IOException {
        file.close();
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
}
