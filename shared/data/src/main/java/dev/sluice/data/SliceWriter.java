package dev.sluice.data;

import dev.sluice.odf.DatasetVocabulary;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.odf.Sha3Lanes;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Writes one ODF data slice: a Parquet file with the system columns {@code offset, op, system_time, event_time}
 * followed by the data columns, rows in offset order. Batches are streamed: each is normalised, written and
 * hashed, then released, so memory is bounded by a few batches plus one Parquet row group.
 *
 * <p>The physical hash is computed from the bytes as they are written; the logical hash from the very batches
 * written, in the Arrow types a reader derives from the file (all timestamps Timestamp(ms, "UTC"), Date64 stored as
 * Date32), so re-reading the file with {@link SliceReader} gives the same logical hash.
 *
 * <p>Each batch is normalised on the caller's thread into private vectors (fixed- and variable-width columns are
 * copied, which is cheap, or share the caller's buffers when it never writes into them again:
 * {@link Options#batchesImmutable}). Parquet encoding ({@link SliceFileWriter}) and both hashes then run as units of serial
 * lanes ({@link TaskLanes}: one for encoding, one per logical-hash column group; the physical hash is one more stream of
 * a column group with the native Keccak, else a lane of its own) on the
 * executor while the caller produces the next batch; a caller that has to wait (at most
 * {@value #MAX_PENDING_BATCHES} batches in flight, which bounds memory) runs queued units itself.
 *
 * <pre>{@code
 * try (SliceWriter w = SliceWriter.open(file, dataSchema, SliceWriter.options()
 *         .startOffset(10).systemTime(now).eventTimeColumn("date"))) {
 *     for (VectorSchemaRoot b : batches) w.write(b);
 *     SliceResult r = w.finish();
 * }
 * }</pre>
 */
public final class SliceWriter implements AutoCloseable {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** Instant → ms; the ODF timestamp unit. */
    private static final ArrowType.Timestamp TS_MS_UTC = new ArrowType.Timestamp(TimeUnit.MILLISECOND, "UTC");

    private final Options opts;
    private final Path path;
    private final Schema inputSchema;
    private final Schema outputSchema;
    private final int eventSourceIndex;      // index in the input batch of the event-time source column, or -1
    private final boolean dropEventSource;   // the source column is the event_time column itself: don't repeat it
    private final int opIndex;               // index in the input batch of the per-row op column ({@link Options#opColumn}), or -1
    private final BufferAllocator allocator;
    private final boolean ownAllocator;
    private final DigestingOutputFile outputFile;
    private final SliceFileWriter parquet;
    /** Batches written whose encoding or hashing may still be running (their vectors are freed once done). */
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private static final int MAX_PENDING_BATCHES = 3;
    private final LogicalHasher hasher;
    private final TaskLanes lanes;
    private final TaskLanes.Lane encodeLane;
    private final TaskLanes.Lane[] columnLanes;

    private long nextOffset;
    private long rows;
    private long maxEventTime = Long.MIN_VALUE;
    private boolean done;

    private SliceWriter(Path path, OutputStream out, Schema inputSchema, Options opts) throws IOException {
        this.opts = opts;
        this.path = path;
        this.inputSchema = inputSchema;
        this.allocator = opts.allocator != null ? opts.allocator : new RootAllocator();
        this.ownAllocator = opts.allocator == null;
        DatasetVocabulary vocab = opts.vocabulary;
        List<Field> out0 = new ArrayList<>();
        if (opts.systemColumnsIncluded) {
            if (opts.opColumn) throw new IllegalArgumentException("opColumn() does not apply when system columns are included");
            checkSystemColumns(inputSchema, vocab);
            eventSourceIndex = -1;
            dropEventSource = false;
            opIndex = -1;
            for (Field f : inputSchema.getFields()) out0.add(normalize(f));
        } else {
            Objects.requireNonNull(opts.systemTime, "systemTime is required when adding system columns");
            int src = -1;
            int opi = -1;
            for (int i = 0; i < inputSchema.getFields().size(); i++) {
                String n = inputSchema.getFields().get(i).getName();
                if (opts.opColumn && n.equals(vocab.operationTypeColumn())) {
                    if (!inputSchema.getFields().get(i).getType().equals(new ArrowType.Int(32, true))) {
                        throw new IllegalArgumentException("op column '" + n + "' must be Int32, not " + inputSchema.getFields().get(i).getType());
                    }
                    opi = i;
                    continue;
                }
                if (n.equals(vocab.offsetColumn()) || n.equals(vocab.operationTypeColumn()) || n.equals(vocab.systemTimeColumn())) {
                    throw new IllegalArgumentException("data already has system column '" + n + "'");
                }
                if (n.equals(opts.eventTimeColumn)) src = i;
            }
            if (src < 0 && inputSchema.getFields().stream().anyMatch(f -> f.getName().equals(vocab.eventTimeColumn()))) {
                throw new IllegalArgumentException("data has a column '" + vocab.eventTimeColumn()
                        + "' that is not the event time source ('" + opts.eventTimeColumn + "')");
            }
            if (src >= 0) {
                ArrowType t = inputSchema.getFields().get(src).getType();
                if (!(t instanceof ArrowType.Timestamp) && !(t instanceof ArrowType.Date)) {
                    throw new IllegalArgumentException("event time column '" + opts.eventTimeColumn + "' must be a timestamp or date, not " + t);
                }
            }
            if (opts.opColumn && opi < 0) {
                throw new IllegalArgumentException("opColumn() set but the data has no '" + vocab.operationTypeColumn() + "' column");
            }
            opIndex = opi;
            eventSourceIndex = src;
            dropEventSource = src >= 0 && opts.eventTimeColumn.equals(vocab.eventTimeColumn());
            out0.add(Field.notNullable(vocab.offsetColumn(), new ArrowType.Int(64, true)));
            out0.add(Field.notNullable(vocab.operationTypeColumn(), new ArrowType.Int(32, true)));
            out0.add(Field.notNullable(vocab.systemTimeColumn(), TS_MS_UTC));
            out0.add(Field.notNullable(vocab.eventTimeColumn(), TS_MS_UTC));
            for (int i = 0; i < inputSchema.getFields().size(); i++) {
                if (i == src && dropEventSource || i == opIndex) continue;
                out0.add(normalize(inputSchema.getFields().get(i)));
            }
        }
        this.outputSchema = new Schema(out0);
        this.nextOffset = opts.startOffset;
        // With the native multi-lane Keccak, the file's bytes are one more stream beside the columns': a row group's
        // bytes, written at once, ride along a block per permutation with the next rows' values (its own calls
        // would cost ~5x the CPU per byte). The backlog holds a row group and a chunk.
        boolean shared = opts.hashes && opts.fileHashInColumnLanes && Sha3Lanes.nativePresent();
        this.hasher = shared
                ? new LogicalHasher(outputSchema, (int) Math.min(opts.rowGroupBytes + (1 << 20), 64 << 20))
                : new LogicalHasher(outputSchema);
        this.lanes = new TaskLanes(opts.executor);
        this.encodeLane = lanes.lane();
        this.columnLanes = new TaskLanes.Lane[hasher.unitCount()];
        for (int i = 0; i < columnLanes.length; i++) columnLanes[i] = lanes.lane();
        if (!opts.hashes) this.outputFile = new DigestingOutputFile(out, null, null, null);
        else if (shared) this.outputFile = new DigestingOutputFile(out, lanes, columnLanes[hasher.extraStream().unit()], hasher.extraStream());
        else this.outputFile = new DigestingOutputFile(out, lanes, lanes.lane(), Sha3Stream.of(Multihash.newSha3()));
        this.parquet = new SliceFileWriter(outputFile, outputSchema, opts.rowGroupBytes);
    }

    /** Starts a slice file at {@code file} (created or truncated). */
    public static SliceWriter open(Path file, Schema dataSchema, Options options) throws IOException {
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        try {
            return new SliceWriter(file, out, dataSchema, options);
        } catch (IOException | RuntimeException e) {
            out.close();
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** Starts a slice written to {@code out}; the writer closes the stream. */
    public static SliceWriter open(OutputStream out, Schema dataSchema, Options options) throws IOException {
        return new SliceWriter(null, out, dataSchema, options);
    }

    public static Options options() {
        return new Options();
    }

    /** Schema of the file: system columns first, then the (normalised) data columns. */
    public Schema outputSchema() {
        return outputSchema;
    }

    /**
     * Schema of the file as its readers see it ({@link SliceReader#schema()}: the Arrow types derived from the Parquet
     * footer), without reading the file back.
     */
    public Schema fileSchema() {
        return ParquetTypes.toArrow(parquet.parquetSchema());
    }

    /** Appends a batch (schema as given at open). The batch may be reused by the caller once this returns. */
    public void write(VectorSchemaRoot batch) throws IOException {
        if (done) throw new IllegalStateException("slice already finished");
        checkBatchSchema(batch);
        int n = batch.getRowCount();
        if (n == 0) return;
        throwIfFailed();
        List<FieldVector> owned = new ArrayList<>();
        boolean handedOver = false;
        try {
            VectorSchemaRoot out = buildOutput(batch, n, owned);
            // Encoding and hashing are units on the lanes; they only read the vectors. When the output is a private
            // copy (the usual case) this returns at once and the caller produces the next batch meanwhile.
            List<Runnable> hashUnits = opts.hashes ? hasher.updateUnits(out) : List.of();
            Pending p = new Pending(new AtomicInteger(1 + hashUnits.size()), owned);
            encodeLane.submit(counted(p, () -> encode(out)));
            for (int c = 0; c < hashUnits.size(); c++) columnLanes[c].submit(counted(p, hashUnits.get(c)));
            pending.add(p);
            handedOver = true;
            if (!owned.containsAll(out.getFieldVectors())) {
                releaseDone(0); // the caller's own vectors are in use: wait for them
            } else {
                releaseDone(MAX_PENDING_BATCHES);
            }
            rows += n;
        } finally {
            if (!handedOver) owned.forEach(FieldVector::close);
        }
    }

    private static Runnable counted(Pending p, Runnable unit) {
        return () -> {
            try {
                unit.run();
            } finally {
                p.remaining.decrementAndGet();
            }
        };
    }

    private void encode(VectorSchemaRoot out) {
        try {
            parquet.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the file and returns its hashes and statistics. */
    public SliceResult finish() throws IOException {
        if (done) throw new IllegalStateException("slice already finished");
        done = true;
        try {
            releaseDone(0);
            parquet.close(); // the last row group and the footer (on this thread: nothing else is left to do)
            lanes.awaitIdle();
            throwIfFailed();
            var logical = opts.hashes ? hasher.finish() : null;
            var physical = opts.hashes ? outputFile.physicalHash() : null;
            return new SliceResult(path, outputFile.size(), physical, logical,
                    rows == 0 ? null : new OffsetInterval(opts.startOffset, nextOffset - 1), rows,
                    rows == 0 || maxEventTime == Long.MIN_VALUE ? null : Instant.ofEpochMilli(maxEventTime));
        } finally {
            discardPending();
            closeAllocator();
        }
    }

    /** Abandons an unfinished slice (deleting a partial file); no-op after {@link #finish}. */
    @Override
    public void close() throws IOException {
        if (done) return;
        done = true;
        try {
            lanes.awaitIdle(); // no unit may still write to the file or read the vectors
            parquet.abort();
        } catch (IOException | RuntimeException ignored) {
            // the file is being discarded anyway
        } finally {
            discardPending();
            closeAllocator();
            if (path != null) Files.deleteIfExists(path);
        }
    }

    /** Rethrows the first failure of an encoding or hashing unit (the slice is then abandoned). */
    private void throwIfFailed() throws IOException {
        Throwable f = lanes.failure();
        if (f == null) return;
        if (f instanceof UncheckedIOException io) throw io.getCause();
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error err) throw err;
        throw new IllegalStateException(f);
    }

    /** Helps the lanes until at most {@code max} batches are in flight, then frees the finished batches. */
    private void releaseDone(int max) throws IOException {
        // after a failure, units are skipped and their batches never finish: stop waiting and report it
        lanes.helpUntil(() -> pending.size() - finishedAtHead() <= max || lanes.failure() != null);
        while (!pending.isEmpty() && pending.peek().remaining.get() == 0) pending.poll().vectors.forEach(FieldVector::close);
        throwIfFailed();
    }

    /** Number of finished batches at the head of {@link #pending} (batches finish in order per lane, not overall). */
    private int finishedAtHead() {
        int k = 0;
        for (Pending p : pending) {
            if (p.remaining.get() != 0) break;
            k++;
        }
        return k;
    }

    /** Frees pending batches once no unit runs any more, whatever their outcome. */
    private void discardPending() {
        lanes.awaitIdle();
        for (Pending p; (p = pending.poll()) != null; ) p.vectors.forEach(FieldVector::close);
    }

    /** A written batch: its units still to run, and the vectors they read (freed when none is left). */
    private record Pending(AtomicInteger remaining, List<FieldVector> vectors) {}

    private void closeAllocator() {
        if (ownAllocator) allocator.close();
    }

    // ---- per-batch normalisation -------------------------------------------------------------------------------

    private VectorSchemaRoot buildOutput(VectorSchemaRoot in, int n, List<FieldVector> owned) {
        List<FieldVector> vs = new ArrayList<>();
        List<FieldVector> data = in.getFieldVectors();
        int firstData = 0;
        if (opts.systemColumnsIncluded) {
            BigIntVector off = (BigIntVector) data.get(0);
            for (int i = 0; i < n; i++) {
                if (off.isNull(i) || off.get(i) != nextOffset + i) {
                    throw new IllegalArgumentException("offsets must be dense and ascending from " + opts.startOffset
                            + ": row " + (rows + i) + " has " + (off.isNull(i) ? "null" : off.get(i)));
                }
            }
        } else {
            BigIntVector off = new BigIntVector(outputSchema.getFields().get(0), allocator);
            IntVector op = new IntVector(outputSchema.getFields().get(1), allocator);
            TimeStampMilliTZVector st = new TimeStampMilliTZVector(outputSchema.getFields().get(2), allocator);
            owned.add(off);
            owned.add(op);
            owned.add(st);
            off.allocateNew(n);
            op.allocateNew(n);
            st.allocateNew(n);
            long sys = opts.systemTime.toEpochMilli();
            IntVector ops = opIndex < 0 ? null : (IntVector) data.get(opIndex);
            // Whole buffers at once: these columns are a sequence and constants.
            byte[] b = scratch(n * 8L);
            for (int i = 0; i < n; i++) LONG.set(b, i * 8, nextOffset + i);
            fill(off, b, n * 8);
            if (ops == null) {
                for (int i = 0; i < n; i++) INT.set(b, i * 4, opts.op);
            } else {
                for (int i = 0; i < n; i++) INT.set(b, i * 4, rowOp(ops, i));
            }
            fill(op, b, n * 4);
            for (int i = 0; i < n; i++) LONG.set(b, i * 8, sys);
            fill(st, b, n * 8);
            TimeStampMilliTZVector et = eventTimes(eventSourceIndex < 0 ? null : data.get(eventSourceIndex), n,
                    outputSchema.getFields().get(3));
            owned.add(et);
            vs.add(off);
            vs.add(op);
            vs.add(st);
            vs.add(et);
        }
        for (int c = 0; c < data.size(); c++) {
            if (c == eventSourceIndex && dropEventSource || c == opIndex) continue;
            FieldVector v = data.get(c);
            FieldVector nv = normalizeVector(v, n);
            if (nv == v) nv = opts.batchesImmutable ? shareOf(v, n) : copyOf(v, n);
            if (nv != v) owned.add(nv);
            vs.add(nv);
        }
        // Event time statistics come from the written event_time column (4th).
        TimeStampVector et = (TimeStampVector) vs.get(3);
        if (et.getNullCount() == 0) {
            byte[] b = scratch(n * 8L);
            et.getDataBuffer().getBytes(0, b, 0, n * 8);
            long max = maxEventTime;
            for (int i = 0; i < n; i++) max = Math.max(max, (long) LONG.get(b, i * 8));
            maxEventTime = max;
        } else {
            for (int i = 0; i < n; i++) {
                if (!et.isNull(i)) maxEventTime = Math.max(maxEventTime, et.get(i));
            }
        }
        nextOffset += n;
        return new VectorSchemaRoot(outputSchema, vs, n);
    }

    private int rowOp(IntVector ops, int i) {
        int v = ops.isNull(i) ? -1 : ops.get(i);
        if (v < 0 || v > 3) {
            throw new IllegalArgumentException("row " + (rows + i) + ": op must be 0..3, got " + (ops.isNull(i) ? "null" : v));
        }
        return v;
    }

    /** event_time from a timestamp/date source column (nulls → fallback), or the fallback for every row. */
    private TimeStampMilliTZVector eventTimes(FieldVector src, int n, Field field) {
        TimeStampMilliTZVector et = new TimeStampMilliTZVector(field, allocator);
        et.allocateNew(n);
        Instant fb = opts.fallbackEventTime != null ? opts.fallbackEventTime : opts.systemTime;
        long fallback = fb.toEpochMilli();
        if (src instanceof TimeStampVector ts && src.getNullCount() == 0
                && ((ArrowType.Timestamp) src.getField().getType()).getUnit() == TimeUnit.MILLISECOND) {
            et.getDataBuffer().setBytes(0, ts.getDataBuffer(), 0, n * 8L); // already ms since the epoch
            setAllValid(et, n);
            et.setValueCount(n);
            return et;
        }
        if (src instanceof TimeStampVector ts && src.getNullCount() == 0) {
            millisOf(ts, n, et); // e.g. DuckDB's TIMESTAMP (µs)
            setAllValid(et, n);
            et.setValueCount(n);
            return et;
        }
        for (int i = 0; i < n; i++) {
            et.set(i, src == null || src.isNull(i) ? fallback : toMillis(src, i));
        }
        et.setValueCount(n);
        return et;
    }

    /** The first {@code n} values of {@code src} (no nulls) as ms since the epoch into {@code out}'s data: whole buffers. */
    private void millisOf(TimeStampVector src, int n, TimeStampMilliTZVector out) {
        byte[] b = scratch(n * 8L);
        src.getDataBuffer().getBytes(0, b, 0, n * 8);
        switch (((ArrowType.Timestamp) src.getField().getType()).getUnit()) {
            case SECOND -> {
                for (int i = 0; i < n; i++) LONG.set(b, i * 8, Math.multiplyExact((long) LONG.get(b, i * 8), 1000L));
            }
            case MILLISECOND -> { }
            case MICROSECOND -> {
                for (int i = 0; i < n; i++) LONG.set(b, i * 8, Math.floorDiv((long) LONG.get(b, i * 8), 1000L));
            }
            case NANOSECOND -> {
                for (int i = 0; i < n; i++) LONG.set(b, i * 8, Math.floorDiv((long) LONG.get(b, i * 8), 1_000_000L));
            }
        }
        out.getDataBuffer().setBytes(0, b, 0, n * 8L);
    }

    private byte[] scratch = new byte[0];

    private byte[] scratch(long bytes) {
        if (scratch.length < bytes) scratch = new byte[Math.toIntExact(bytes)];
        return scratch;
    }

    /** Sets the first {@code bytes} bytes of the (allocated) vector's values from {@code b}; every row valid. */
    private static void fill(BaseFixedWidthVector v, byte[] b, int bytes) {
        v.getDataBuffer().setBytes(0, b, 0, bytes);
        int n = bytes / v.getTypeWidth();
        setAllValid(v, n);
        v.setValueCount(n);
    }

    private static void setAllValid(FieldVector v, int n) {
        var validity = v.getValidityBuffer();
        int full = n >>> 3;
        validity.setOne(0, full);
        if ((n & 7) != 0) validity.setByte(full, (1 << (n & 7)) - 1);
    }

    private static long toMillis(FieldVector v, int i) {
        if (v instanceof TimeStampVector ts) {
            long x = ts.get(i);
            return switch (((ArrowType.Timestamp) v.getField().getType()).getUnit()) {
                case SECOND -> Math.multiplyExact(x, 1000L);
                case MILLISECOND -> x;
                case MICROSECOND -> Math.floorDiv(x, 1000L);
                case NANOSECOND -> Math.floorDiv(x, 1_000_000L);
            };
        }
        if (v instanceof DateDayVector d) return d.get(i) * 86_400_000L;
        if (v instanceof DateMilliVector d) return d.get(i);
        throw new IllegalArgumentException("not a timestamp/date column: " + v.getField());
    }

    /** Timestamps of any unit/zone → Timestamp(ms, "UTC"); Date64 → Date32; everything else as is. */
    private static Field normalize(Field f) {
        ArrowType t = f.getType();
        if (t instanceof ArrowType.Timestamp) return new Field(f.getName(), new FieldType(f.isNullable(), TS_MS_UTC, null), null);
        if (t instanceof ArrowType.Date d && d.getUnit() == DateUnit.MILLISECOND) {
            return new Field(f.getName(), new FieldType(f.isNullable(), new ArrowType.Date(DateUnit.DAY), null), null);
        }
        return f;
    }

    /**
     * A private copy of the first {@code n} rows of a fixed- or variable-width vector (a few memcpys), so hashing
     * can go on after {@link #write} returns; {@code v} itself for other layouts (those are hashed before returning).
     */
    private FieldVector copyOf(FieldVector v, int n) {
        if (v instanceof BaseFixedWidthVector src) {
            BaseFixedWidthVector c = (BaseFixedWidthVector) v.getField().createVector(allocator);
            c.allocateNew(n);
            long dataBytes = v instanceof BitVector ? (n + 7) / 8 : (long) n * src.getTypeWidth();
            c.getValidityBuffer().setBytes(0, src.getValidityBuffer(), 0, (n + 7) / 8);
            c.getDataBuffer().setBytes(0, src.getDataBuffer(), 0, dataBytes);
            c.setValueCount(n);
            return c;
        }
        if (v instanceof BaseVariableWidthVector src) {
            BaseVariableWidthVector c = (BaseVariableWidthVector) v.getField().createVector(allocator);
            int dataBytes = src.getOffsetBuffer().getInt((long) n * 4);
            c.allocateNew(Math.max(dataBytes, 1), n);
            c.getValidityBuffer().setBytes(0, src.getValidityBuffer(), 0, (n + 7) / 8);
            c.getOffsetBuffer().setBytes(0, src.getOffsetBuffer(), 0, (n + 1L) * 4);
            c.getDataBuffer().setBytes(0, src.getDataBuffer(), 0, dataBytes);
            c.setLastSet(n - 1);
            c.setValueCount(n);
            return c;
        }
        return v;
    }

    /**
     * A vector of our own over the same buffers as {@code v} (each retained, so they outlive the caller's reference),
     * for {@link Options#batchesImmutable}: no bytes copied; {@code v} itself for layouts {@link #copyOf} keeps too.
     */
    private FieldVector shareOf(FieldVector v, int n) {
        if (!(v instanceof BaseFixedWidthVector) && !(v instanceof BaseVariableWidthVector) || v.getValueCount() != n) return copyOf(v, n);
        FieldVector c = v.getField().createVector(v.getAllocator()); // the buffers' allocator: retaining is then a count
        try {
            c.loadFieldBuffers(new ArrowFieldNode(n, v.getNullCount()), v.getFieldBuffers());
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        c.setValueCount(n);
        return c;
    }

    private FieldVector normalizeVector(FieldVector v, int n) {
        ArrowType t = v.getField().getType();
        if (t instanceof ArrowType.Timestamp ts && !TS_MS_UTC.equals(ts)) {
            TimeStampMilliTZVector out = new TimeStampMilliTZVector(normalize(v.getField()), allocator);
            out.allocateNew(n);
            if (v.getNullCount() == 0) {
                millisOf((TimeStampVector) v, n, out);
                setAllValid(out, n);
                out.setValueCount(n);
                return out;
            }
            for (int i = 0; i < n; i++) if (!v.isNull(i)) out.set(i, toMillis(v, i));
            out.setValueCount(n);
            return out;
        }
        if (v instanceof DateMilliVector d) {
            DateDayVector out = new DateDayVector(normalize(v.getField()), allocator);
            out.allocateNew(n);
            for (int i = 0; i < n; i++) if (!d.isNull(i)) out.set(i, Math.toIntExact(Math.floorDiv(d.get(i), 86_400_000L)));
            out.setValueCount(n);
            return out;
        }
        return v;
    }

    private void checkBatchSchema(VectorSchemaRoot batch) {
        List<Field> got = batch.getSchema().getFields();
        List<Field> want = inputSchema.getFields();
        boolean ok = got.size() == want.size();
        for (int i = 0; ok && i < got.size(); i++) {
            ok = got.get(i).getName().equals(want.get(i).getName()) && got.get(i).getType().equals(want.get(i).getType());
        }
        if (!ok) throw new IllegalArgumentException("batch schema " + batch.getSchema() + " does not match slice schema " + inputSchema);
    }

    private static void checkSystemColumns(Schema s, DatasetVocabulary v) {
        List<Field> f = s.getFields();
        if (f.size() < 4
                || !f.get(0).getName().equals(v.offsetColumn()) || !f.get(0).getType().equals(new ArrowType.Int(64, true))
                || !f.get(1).getName().equals(v.operationTypeColumn()) || !f.get(1).getType().equals(new ArrowType.Int(32, true))
                || !f.get(2).getName().equals(v.systemTimeColumn()) || !(f.get(2).getType() instanceof ArrowType.Timestamp)
                || !f.get(3).getName().equals(v.eventTimeColumn()) || !(f.get(3).getType() instanceof ArrowType.Timestamp)) {
            throw new IllegalArgumentException("expected system columns " + v.offsetColumn() + " Int64, " + v.operationTypeColumn()
                    + " Int32, " + v.systemTimeColumn() + " Timestamp, " + v.eventTimeColumn() + " Timestamp first; got " + s);
        }
    }

    /** Slice options; defaults: add system columns from offset 0, op 0 (+A), SNAPPY, 8 MiB row groups (compressed). */
    public static final class Options {
        private boolean systemColumnsIncluded;
        private long startOffset;
        private int op;
        private boolean opColumn;
        private Instant systemTime;
        private String eventTimeColumn = DatasetVocabulary.DEFAULT.eventTimeColumn();
        private Instant fallbackEventTime;
        private DatasetVocabulary vocabulary = DatasetVocabulary.DEFAULT;
        private Executor executor = SliceTasks.DEFAULT;
        private long rowGroupBytes = 2L << 20;
        private BufferAllocator allocator;
        private boolean batchesImmutable;
        boolean hashes = true;
        boolean fileHashInColumnLanes = true;

        private Options() {}

        /** Hashes the file's bytes as a stream of their own, not beside the columns' (tests compare the two). */
        Options fileHashAlone() {
            this.fileHashInColumnLanes = false;
            return this;
        }

        /** Computes neither hash (the result has none): only to measure what hashing costs. */
        Options withoutHashes() {
            this.hashes = false;
            return this;
        }

        /** Input batches already start with offset, op, system_time, event_time; offsets must continue densely from {@link #startOffset}. */
        public Options systemColumnsIncluded() {
            this.systemColumnsIncluded = true;
            return this;
        }

        /** Offset of the first row. */
        public Options startOffset(long v) {
            if (v < 0) throw new IllegalArgumentException("negative offset");
            this.startOffset = v;
            return this;
        }

        /** Operation type for every row: 0 +A, 1 -R, 2 -C, 3 +C. */
        public Options op(int v) {
            if (v < 0 || v > 3) throw new IllegalArgumentException("op must be 0..3");
            this.op = v;
            return this;
        }

        /**
         * Take each row's op from the data's Int32 op column (named by the vocabulary, values 0..3) instead of
         * {@link #op}; the column moves to the system position. For merge results with mixed +A/-R/-C/+C rows.
         */
        public Options opColumn() {
            this.opColumn = true;
            return this;
        }

        /** system_time of every row (stored in ms). Required when adding system columns. */
        public Options systemTime(Instant v) {
            this.systemTime = v;
            return this;
        }

        /**
         * Data column (timestamp or date) that provides event_time; default "event_time". If it is named like the
         * event_time column it moves into the system position, otherwise it stays as a data column too. Missing
         * column or null values → {@link #fallbackEventTime}.
         */
        public Options eventTimeColumn(String v) {
            this.eventTimeColumn = Objects.requireNonNull(v);
            return this;
        }

        /** event_time when the data has none; default the system time. */
        public Options fallbackEventTime(Instant v) {
            this.fallbackEventTime = v;
            return this;
        }

        public Options vocabulary(DatasetVocabulary v) {
            this.vocabulary = Objects.requireNonNull(v);
            return this;
        }

        /**
         * Where Parquet encoding (one unit per batch, in order) and hashing (per logical column, per physical chunk)
         * run, beside the writing thread, which helps whenever it waits; {@code Runnable::run}: all on the writing
         * thread. Default: a shared pool with one thread per core.
         */
        public Options executor(Executor v) {
            this.executor = Objects.requireNonNull(v);
            return this;
        }

        /** Same as {@link #executor}. */
        public Options hashExecutor(Executor v) {
            return executor(v);
        }

        /**
         * Compressed bytes after which a row group ends (default 2 MiB, ~150K rows of a typical table): the file's
         * bytes are hashed a row group at a time, beside the next rows' values, so this also bounds the hash left
         * to do when the last batch is in.
         */
        public Options rowGroupBytes(long v) {
            this.rowGroupBytes = v;
            return this;
        }

        /**
         * The caller never writes into a batch's buffers after handing it to {@link #write} (e.g. batches imported
         * from an Arrow stream, whose every batch comes in new buffers): the writer keeps references to them (retained
         * until the batch is encoded and hashed, in the batch's allocator, which must stay open until {@link #finish})
         * instead of copying its columns. Not for callers that refill the same vectors in place.
         */
        public Options batchesImmutable() {
            this.batchesImmutable = true;
            return this;
        }

        /** Allocator for the system/normalised vectors; default a private one closed at finish. */
        public Options allocator(BufferAllocator v) {
            this.allocator = v;
            return this;
        }
    }
}
