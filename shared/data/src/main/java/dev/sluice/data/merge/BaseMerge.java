package dev.sluice.data.merge;

import dev.sluice.odf.DatasetVocabulary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** Plumbing shared by the strategies: reading new input and previous data into key-addressable form. */
abstract class BaseMerge implements MergeStrategyImpl {
    final DatasetVocabulary vocab;
    final BufferAllocator allocator;
    final List<String> pk; // empty for Append

    BaseMerge(DatasetVocabulary vocab, BufferAllocator allocator, List<String> pk, String strategy) {
        this.vocab = vocab;
        this.allocator = allocator;
        if (pk == null) {
            this.pk = List.of();
        } else {
            if (pk.isEmpty()) throw new IllegalArgumentException(strategy + " merge strategy needs a primary key");
            if (pk.stream().distinct().count() != pk.size()) throw new IllegalArgumentException("duplicate column in primary key " + pk);
            this.pk = List.copyOf(pk);
        }
    }

    // ---- new input ---------------------------------------------------------------------------------------------

    /** Layout of the new input: data columns (normalised, without op), where op and the key are. */
    final class Input {
        final Schema declared;
        final Schema data;
        final int opIndex;   // in declared, -1 if none
        final int[] pkIndex; // in data

        Input(Schema declared, boolean opAllowed) {
            this.declared = declared;
            List<Field> fs = new ArrayList<>();
            int opi = -1;
            for (int i = 0; i < declared.getFields().size(); i++) {
                Field f = declared.getFields().get(i);
                String n = f.getName();
                if (n.equals(vocab.operationTypeColumn()) && opAllowed) {
                    if (!(f.getType() instanceof ArrowType.Int)) {
                        throw new MergeException("op column '" + n + "' must be an integer column, not " + f.getType());
                    }
                    opi = i;
                    continue;
                }
                if (n.equals(vocab.offsetColumn()) || n.equals(vocab.operationTypeColumn()) || n.equals(vocab.systemTimeColumn())) {
                    throw new MergeException("new data must not have the system column '" + n + "'");
                }
                fs.add(Columns.normalize(f));
            }
            this.opIndex = opi;
            this.data = new Schema(fs);
            this.pkIndex = Columns.require(data, pk, "primary key", "the new data");
        }
    }

    @FunctionalInterface
    interface NewBatch {
        /** {@code data} aligned with {@link Input#data}; {@code op} null if the input has none; rows from {@code firstRow}. */
        void accept(List<FieldVector> data, BaseIntVector op, int rows, long firstRow);
    }

    /** Feeds each non-empty new batch, normalised, to {@code c}. */
    void forEachNew(Input in, Iterable<VectorSchemaRoot> batches, NewBatch c) {
        long row = 0;
        for (VectorSchemaRoot b : batches) {
            checkSchema(b.getSchema(), in.declared);
            int n = b.getRowCount();
            if (n == 0) continue;
            List<FieldVector> owned = new ArrayList<>();
            try {
                List<FieldVector> data = new ArrayList<>();
                BaseIntVector op = null;
                List<FieldVector> vs = b.getFieldVectors();
                for (int i = 0; i < vs.size(); i++) {
                    if (i == in.opIndex) op = (BaseIntVector) vs.get(i);
                    else data.add(Columns.normalize(vs.get(i), allocator, owned));
                }
                c.accept(data, op, n, row);
            } finally {
                owned.forEach(FieldVector::close);
            }
            row += n;
        }
    }

    private static void checkSchema(Schema got, Schema want) {
        List<Field> g = got.getFields();
        List<Field> w = want.getFields();
        boolean ok = g.size() == w.size();
        for (int i = 0; ok && i < g.size(); i++) ok = g.get(i).getName().equals(w.get(i).getName()) && Columns.sameType(g.get(i), w.get(i));
        if (!ok) throw new MergeException("new batch schema " + got + " differs from the declared input schema " + want);
    }

    static String newRow(long row) {
        return "row " + row + " of the new data";
    }

    // ---- previous data -----------------------------------------------------------------------------------------

    /** One batch of previous data, with its columns aligned to the new data's columns (null where absent). */
    static final class PrevBatch {
        List<FieldVector> vectors; // all columns of the batch
        List<FieldVector> aligned; // by Input#data column, null if the batch lacks it
        int[] pkIndex;             // in vectors
        BaseIntVector op;
        BaseIntVector offset;

        long offset(int row) {
            return offset.getValueAsLong(row);
        }

        int op(int row) {
            return (int) op.getValueAsLong(row);
        }
    }

    @FunctionalInterface
    interface PrevRow {
        void accept(PrevBatch b, int row);
    }

    /** Feeds every previous row, in offset order, to {@code c}; checks the data is compatible with {@code in}. */
    void forEachPrevious(PreviousData previous, Input in, PrevRow c) throws IOException {
        long[] lastOffset = {-1};
        previous.forEachBatch(batch -> {
            Schema s = batch.getSchema();
            PrevBatch pb = new PrevBatch();
            pb.vectors = batch.getFieldVectors();
            int[] sys = Columns.require(s, List.of(vocab.offsetColumn(), vocab.operationTypeColumn()), "system", "the existing data");
            pb.offset = (BaseIntVector) pb.vectors.get(sys[0]);
            pb.op = (BaseIntVector) pb.vectors.get(sys[1]);
            pb.pkIndex = Columns.require(s, pk, "primary key", "the existing data");
            pb.aligned = new ArrayList<>();
            for (Field f : in.data.getFields()) {
                int i = Columns.indexOf(s, f.getName());
                if (i >= 0 && !Columns.sameType(s.getFields().get(i), f)) {
                    throw new MergeException("column '" + f.getName() + "' is " + s.getFields().get(i).getType()
                            + " in the existing data but " + f.getType() + " in the new data");
                }
                pb.aligned.add(i < 0 ? null : pb.vectors.get(i));
            }
            for (int r = 0; r < batch.getRowCount(); r++) {
                long off = pb.offset(r);
                if (off <= lastOffset[0]) throw new MergeException("existing data is not in offset order: " + off + " after " + lastOffset[0]);
                lastOffset[0] = off;
                c.accept(pb, r);
            }
        });
    }

    Key previousKey(PrevBatch b, int row) {
        return Key.of(b.vectors, b.pkIndex, row, pk, () -> "offset " + b.offset(row) + " of the existing data");
    }

    /**
     * The state the previous changelog describes: per key the latest row by offset, unless that row is a
     * retraction. Rows are copied into {@link State#rows} (columns as {@link Input#data}). Superseded copies are
     * dropped by compacting whenever they outnumber the live rows, so memory follows the live state (×2), not
     * the history.
     */
    State loadState(PreviousData previous, Input in) throws IOException {
        return loadState(previous, in, k -> true);
    }

    /** {@link #loadState(PreviousData, Input)} for the keys {@code wanted} accepts only (memory follows those). */
    State loadState(PreviousData previous, Input in, java.util.function.Predicate<Key> wanted) throws IOException {
        RowTable[] rows = {new RowTable(in.data, allocator)};
        try {
            Map<Key, Integer> latest = new HashMap<>();
            forEachPrevious(previous, in, (b, r) -> {
                Key k = previousKey(b, r);
                if (!wanted.test(k)) return;
                if (b.op(r) == Op.RETRACT) latest.remove(k);
                else latest.put(k, rows[0].append(b.aligned, r));
                if (rows[0].rowCount() >= COMPACT_MIN_ROWS && rows[0].rowCount() > 2 * latest.size()) {
                    rows[0] = compact(rows[0], latest, in.data);
                }
            });
            return new State(rows[0].seal(), latest);
        } catch (IOException | RuntimeException e) {
            rows[0].close();
            throw e;
        }
    }

    static final int COMPACT_MIN_ROWS = 4096;

    /** Copies the rows {@code latest} points at into a new table (closing {@code t}) and repoints the map. */
    private RowTable compact(RowTable t, Map<Key, Integer> latest, Schema schema) {
        RowTable c = new RowTable(schema, allocator);
        try {
            List<FieldVector> from = t.seal().vectors();
            latest.replaceAll((k, i) -> c.append(from, i));
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        t.close();
        return c;
    }

    record State(RowTable rows, Map<Key, Integer> latest) implements AutoCloseable {
        @Override
        public void close() {
            rows.close();
        }
    }
}
