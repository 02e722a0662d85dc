package dev.sluice.data;

import java.util.HashMap;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Parquet {@link WriteSupport} whose "record" is a row index into the current Arrow batch: values go straight from
 * Arrow buffers to the Parquet column writers, no intermediate row objects.
 */
final class ArrowWriteSupport extends WriteSupport<Integer> {
    private final MessageType parquetSchema;
    private RecordConsumer rc;
    private Column[] columns = new Column[0];

    ArrowWriteSupport(Schema arrowSchema) {
        this.parquetSchema = ParquetTypes.toParquet(arrowSchema);
    }

    @Override
    public WriteContext init(Configuration configuration) {
        return new WriteContext(parquetSchema, new HashMap<>());
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        return new WriteContext(parquetSchema, new HashMap<>());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.rc = recordConsumer;
    }

    /** Binds the writer to a batch; rows written next are indexes into it. */
    void setBatch(VectorSchemaRoot batch) {
        List<FieldVector> vs = batch.getFieldVectors();
        Column[] cs = new Column[vs.size()];
        for (int i = 0; i < cs.length; i++) {
            FieldVector v = vs.get(i);
            cs[i] = new Column(v.getName(), i, v, valueWriter(v));
        }
        columns = cs;
    }

    @Override
    public void write(Integer rowObj) {
        int row = rowObj;
        rc.startMessage();
        for (Column c : columns) {
            if (c.vector.isNull(row)) continue; // OPTIONAL field absent = null
            rc.startField(c.name, c.index);
            c.writer.write(rc, row);
            rc.endField(c.name, c.index);
        }
        rc.endMessage();
    }

    @Override
    public String getName() {
        return "sluice";
    }

    private record Column(String name, int index, FieldVector vector, ValueWriter writer) {}

    /** Writes the (non-null) value at {@code row}. */
    private interface ValueWriter {
        void write(RecordConsumer rc, int row);
    }

    private static ValueWriter valueWriter(FieldVector v) {
        ArrowType t = v.getField().getType();
        if (v instanceof BitVector b) {
            ArrowBuf d = b.getDataBuffer();
            return (rc, i) -> rc.addBoolean(BitVectorHelper.get(d, i) != 0);
        }
        if (v instanceof Float4Vector f) return (rc, i) -> rc.addFloat(f.get(i));
        if (v instanceof Float8Vector f) return (rc, i) -> rc.addDouble(f.get(i));
        if (v instanceof TinyIntVector x) return (rc, i) -> rc.addInteger(x.get(i));
        if (v instanceof UInt1Vector x) return (rc, i) -> rc.addInteger(x.get(i) & 0xFF);
        if (v instanceof SmallIntVector x) return (rc, i) -> rc.addInteger(x.get(i));
        if (v instanceof UInt2Vector x) return (rc, i) -> rc.addInteger(x.get(i));
        if (v instanceof DecimalVector d) {
            ArrowBuf buf = d.getDataBuffer();
            return (rc, i) -> {
                byte[] be = new byte[16]; // Arrow stores little-endian, Parquet decimals are big-endian
                for (int k = 0; k < 16; k++) be[15 - k] = buf.getByte((long) i * 16 + k);
                rc.addBinary(Binary.fromConstantByteArray(be));
            };
        }
        if (v instanceof FixedSizeBinaryVector f) return (rc, i) -> rc.addBinary(Binary.fromConstantByteArray(f.get(i)));
        if (v instanceof BaseVariableWidthVector vw) {
            ArrowBuf offsets = vw.getOffsetBuffer();
            ArrowBuf data = vw.getDataBuffer();
            return (rc, i) -> {
                int s = offsets.getInt((long) i * 4);
                byte[] b = new byte[offsets.getInt((long) (i + 1) * 4) - s];
                data.getBytes(s, b);
                rc.addBinary(Binary.fromConstantByteArray(b));
            };
        }
        if (v instanceof BaseLargeVariableWidthVector vw) {
            ArrowBuf offsets = vw.getOffsetBuffer();
            ArrowBuf data = vw.getDataBuffer();
            return (rc, i) -> {
                long s = offsets.getLong((long) i * 8);
                byte[] b = new byte[Math.toIntExact(offsets.getLong((long) (i + 1) * 8) - s)];
                data.getBytes(s, b);
                rc.addBinary(Binary.fromConstantByteArray(b));
            };
        }
        if (v instanceof ListVector lv) {
            FieldVector items = lv.getDataVector();
            ValueWriter item = valueWriter(items);
            ArrowBuf offsets = lv.getOffsetBuffer();
            return (rc, i) -> {
                int s = offsets.getInt((long) i * 4);
                int e = offsets.getInt((long) (i + 1) * 4);
                rc.startGroup();
                if (e > s) { // an empty list has no "list" field at all
                    rc.startField("list", 0);
                    for (int k = s; k < e; k++) {
                        rc.startGroup();
                        if (!items.isNull(k)) {
                            rc.startField("element", 0);
                            item.write(rc, k);
                            rc.endField("element", 0);
                        }
                        rc.endGroup();
                    }
                    rc.endField("list", 0);
                }
                rc.endGroup();
            };
        }
        // Remaining fixed-width ints, dates, timestamps: raw 4- or 8-byte values.
        if (t instanceof ArrowType.Int || t instanceof ArrowType.Timestamp || t instanceof ArrowType.Date) {
            ArrowBuf d = v.getDataBuffer();
            int width = v instanceof DateDayVector ? 4 : ((org.apache.arrow.vector.BaseFixedWidthVector) v).getTypeWidth();
            if (width == 8) return (rc, i) -> rc.addLong(d.getLong((long) i * 8));
            if (width == 4) return (rc, i) -> rc.addInteger(d.getInt((long) i * 4));
        }
        throw new UnsupportedOperationException("slice writer does not support column '" + v.getName() + "' of type " + t);
    }
}
