package dev.sluice.data;

import dev.sluice.odf.Multihash;
import dev.sluice.odf.NativeValuePacker;
import dev.sluice.odf.Sha3Lanes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.AbstractStructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Streaming ODF logical hash ({@code arrow0-sha3-256}, a port of arrow-digest {@code RecordDigestV0<Sha3_256>}).
 *
 * <p>Feed record batches in row order with {@link #update} (or {@link #updateAsync}), then call {@link #finish}.
 * The result does not depend on how rows are split into batches. Every leaf column has its own SHA3 stream; the
 * columns are split into groups (as many columns each as the Keccak absorbs at once — four or eight —, at most one
 * group per processor, balanced by the bytes a row of each column gives) whose streams share one {@link Sha3Lanes}:
 * a few thousand rows of each column in turn, so one multi-lane Keccak serves several columns at a time. Groups are hashed as independent tasks on the given
 * executor; batches of one group are always hashed in order. The schema part (field names and nesting levels) is
 * hashed up front. A slice writer may add one stream of other bytes to a group ({@link #extraStream()}: the file's,
 * so that its SHA3 shares the permutations too).
 */
public final class LogicalHasher {
    /** Rows of each column of a group hashed in turn: small enough that the lanes stay close to lockstep. */
    private static final int GROUP_STEP_ROWS = 4096;

    private final MessageDigest schemaDigest = Multihash.newSha3();
    private final Sha3Lanes.Permutation permutation;
    private final boolean nativePacking;
    private final List<Leaf> leaves = new ArrayList<>();
    private final List<Group> groups = new ArrayList<>();
    private final List<int[]> leafPaths = new ArrayList<>(); // while walking the schema
    private final List<Field> leafFields = new ArrayList<>();
    private final Executor executor;
    private final CompletableFuture<?>[] tails;
    private final int extraBacklog;  // > 0: one more stream, the extra stream, rides in a group's lanes
    private ExtraStream extra;
    private long rows;
    private boolean finished;

    /** Hashes every batch on the calling thread. */
    public LogicalHasher(Schema schema) {
        this(schema, Runnable::run);
    }

    /**
     * Hashes columns as tasks on {@code executor}.
     *
     * @throws UnsupportedOperationException if the schema has a type the algorithm does not define
     */
    public LogicalHasher(Schema schema, Executor executor) {
        this(schema, executor, Sha3Lanes.Permutation.AUTO);
    }

    /** As {@link #LogicalHasher(Schema, Executor)} with a given Keccak implementation (tests compare them). */
    LogicalHasher(Schema schema, Executor executor, Sha3Lanes.Permutation permutation) {
        this(schema, executor, permutation, NativeValuePacker.available());
    }

    /** As {@link #LogicalHasher(Schema, Executor, Sha3Lanes.Permutation)}, packing values natively or in Java. */
    LogicalHasher(Schema schema, Executor executor, Sha3Lanes.Permutation permutation, boolean nativePacking) {
        this(schema, executor, permutation, nativePacking, 0);
    }

    /**
     * A hasher with an {@link #extraStream()}: one more SHA3-256 stream, of other bytes, in the lanes of one column
     * group, allowed to hold {@code extraBacklog} bytes waiting (see {@link Sha3Lanes#allowBacklog}).
     */
    LogicalHasher(Schema schema, int extraBacklog) {
        this(schema, Runnable::run, Sha3Lanes.Permutation.AUTO, NativeValuePacker.available(), extraBacklog);
    }

    private LogicalHasher(Schema schema, Executor executor, Sha3Lanes.Permutation permutation, boolean nativePacking,
                          int extraBacklog) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.permutation = permutation;
        this.nativePacking = nativePacking;
        this.extraBacklog = extraBacklog;
        walkFields(schema.getFields(), 0, new int[0]);
        // Groups as wide as the Keccak takes streams at once (8 with native AVX-512: one group up to 15 columns).
        groupLeaves(Math.max(1, Math.min(leafFields.size() / Sha3Lanes.preferredStreams(), Runtime.getRuntime().availableProcessors())));
        tails = new CompletableFuture<?>[groups.size()];
        for (int i = 0; i < tails.length; i++) tails[i] = CompletableFuture.completedFuture(null);
    }

    /** Convenience: logical hash of the given batches, all with {@code schema}. */
    public static Multihash hash(Schema schema, Iterable<VectorSchemaRoot> batches) {
        LogicalHasher h = new LogicalHasher(schema);
        for (VectorSchemaRoot b : batches) h.update(b);
        return h.finish();
    }

    /** Convenience: logical hash of a single batch. */
    public static Multihash hash(VectorSchemaRoot batch) {
        return hash(batch.getSchema(), List.of(batch));
    }

    /**
     * Splits the leaf columns into {@code count} groups of about equal bytes per row (largest first, each to the
     * lightest group), each with one {@link Sha3Lanes} of one stream per column. Which group a column is in does not
     * change any digest.
     */
    private void groupLeaves(int count) {
        int n = leafFields.size();
        int streams = extraBacklog > 0 ? n + 1 : n; // the extra stream is index n
        Integer[] order = new Integer[streams];
        for (int i = 0; i < streams; i++) order[i] = i;
        java.util.function.IntUnaryOperator bytes = i -> i == n ? EXTRA_ROW_BYTES : rowBytes(leafFields.get(i));
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(bytes.applyAsInt(b), bytes.applyAsInt(a)));
        long[] load = new long[count];
        List<List<Integer>> members = new ArrayList<>();
        for (int g = 0; g < count; g++) members.add(new ArrayList<>());
        for (int i : order) {
            int lightest = 0;
            for (int g = 1; g < count; g++) if (load[g] < load[lightest]) lightest = g;
            load[lightest] += bytes.applyAsInt(i);
            members.get(lightest).add(i);
        }
        Leaf[] byIndex = new Leaf[n];
        for (List<Integer> m : members) {
            if (m.isEmpty()) continue;
            m.sort(null); // leaf order within a group (the extra stream last)
            Sha3Lanes lanes = new Sha3Lanes(m.size(), permutation);
            List<Leaf> groupLeaves = new ArrayList<>();
            for (int k = 0; k < m.size(); k++) {
                int i = m.get(k);
                if (i == n) {
                    lanes.allowBacklog(k, extraBacklog);
                    extra = new ExtraStream(groups.size(), lanes, k);
                    continue;
                }
                Field f = leafFields.get(i);
                Leaf leaf = new Leaf(leafPaths.get(i), f, lanes, k, new ColumnDigest(f, lanes, k, nativePacking));
                byIndex[i] = leaf;
                groupLeaves.add(leaf);
            }
            groups.add(new Group(List.copyOf(groupLeaves), lanes));
        }
        leaves.addAll(List.of(byIndex));
    }

    /** Bytes a row is guessed to add to the extra stream (a slice file's: compressed values of all columns). */
    private static final int EXTRA_ROW_BYTES = 16;

    /**
     * The extra stream ({@link #LogicalHasher(Schema, int)}), or null: SHA3-256 of the bytes fed to it, sharing the
     * multi-lane Keccak of one column group. Feed it only from units run on that group's lane ({@link
     * ExtraStream#unit}, in the order of {@link #updateUnits}); its digest is known after {@link #finish}.
     */
    ExtraStream extraStream() {
        return extra;
    }

    /** See {@link #extraStream()}. */
    static final class ExtraStream implements Sha3Stream {
        private final int unit;
        private final Sha3Lanes lanes;
        private final int stream;
        private byte[] digest;

        private ExtraStream(int unit, Sha3Lanes lanes, int stream) {
            this.unit = unit;
            this.lanes = lanes;
            this.stream = stream;
        }

        /** Index of the unit (column group) whose lane must run the updates. */
        int unit() {
            return unit;
        }

        @Override
        public void update(byte[] b, int off, int len) {
            lanes.update(stream, b, off, len);
        }

        /** SHA3-256 of everything fed; after the hasher's {@link LogicalHasher#finish}. */
        @Override
        public byte[] digest() {
            if (digest == null) throw new IllegalStateException("hasher not finished");
            return digest;
        }
    }

    /** Rough bytes a row of this column feeds its stream (variable-width values: a guess). */
    private static int rowBytes(Field f) {
        ArrowType t = f.getType();
        return switch (t.getTypeID()) {
            case Int -> ((ArrowType.Int) t).getBitWidth() / 8;
            case FloatingPoint -> ((ArrowType.FloatingPoint) t).getPrecision() == org.apache.arrow.vector.types.FloatingPointPrecision.SINGLE ? 4 : 8;
            case Bool -> 1;
            case Date, Time, Timestamp, Duration, Interval -> 8;
            case Decimal -> ((ArrowType.Decimal) t).getBitWidth() / 8;
            case FixedSizeBinary -> 8 + ((ArrowType.FixedSizeBinary) t).getByteWidth();
            case List, LargeList, FixedSizeList -> 64;
            default -> 24; // strings and binaries: length + value
        };
    }

    // Depth-first like arrow-digest: every field (structs included) feeds name + level into the schema digest;
    // every non-struct field becomes a column with its own digest. `path` = child indexes of enclosing structs.
    private void walkFields(List<Field> fields, int level, int[] path) {
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            byte[] name = f.getName().getBytes(StandardCharsets.UTF_8);
            schemaDigest.update(ColumnDigest.le64(name.length));
            schemaDigest.update(name);
            schemaDigest.update(ColumnDigest.le64(level));
            int[] childPath = java.util.Arrays.copyOf(path, path.length + 1);
            childPath[path.length] = i;
            if (f.getType() instanceof ArrowType.Struct) {
                walkFields(f.getChildren(), level + 1, childPath);
            } else {
                leafPaths.add(childPath);
                leafFields.add(f);
            }
        }
    }

    /** Hashes one batch; returns when all its columns are hashed (the batch may then be reused). */
    public void update(VectorSchemaRoot batch) {
        join(updateAsync(batch));
    }

    /**
     * Schedules hashing of one batch. The caller must keep the batch's vectors unchanged until the returned future
     * completes; batches submitted later are hashed after this one, column by column.
     */
    public CompletableFuture<Void> updateAsync(VectorSchemaRoot batch) {
        if (finished) throw new IllegalStateException("hasher already finished");
        checkSchema(batch);
        int rowCount = batch.getRowCount();
        rows += rowCount;
        for (int i = 0; i < groups.size(); i++) {
            Runnable unit = groups.get(i).unit(batch, rowCount);
            tails[i] = tails[i].thenRunAsync(unit, executor);
        }
        return CompletableFuture.allOf(tails);
    }

    /**
     * One unit per group of columns hashing {@code batch} (for a scheduler that runs each group's units in order,
     * as many lanes as {@link #unitCount}, and keeps the batch unchanged until they have run); counts the rows at
     * once.
     */
    List<Runnable> updateUnits(VectorSchemaRoot batch) {
        if (finished) throw new IllegalStateException("hasher already finished");
        checkSchema(batch);
        int rowCount = batch.getRowCount();
        rows += rowCount;
        List<Runnable> units = new ArrayList<>(groups.size());
        for (Group g : groups) units.add(g.unit(batch, rowCount));
        return units;
    }

    /** Number of units per batch (groups of leaf columns, each hashed in order). */
    int unitCount() {
        return groups.size();
    }

    /** Number of rows fed so far. */
    public long rowCount() {
        return rows;
    }

    /** Waits for pending column tasks and returns the multihash ({@code f9680c00120…}). */
    public Multihash finish() {
        if (finished) throw new IllegalStateException("hasher already finished");
        join(CompletableFuture.allOf(tails));
        finished = true;
        java.util.Map<Sha3Lanes, byte[][]> digests = new java.util.IdentityHashMap<>();
        for (Group g : groups) digests.put(g.lanes, g.lanes.digests());
        for (Leaf leaf : leaves) schemaDigest.update(digests.get(leaf.lanes)[leaf.stream]); // in leaf order
        if (extra != null) extra.digest = digests.get(extra.lanes)[extra.stream];

        return new Multihash(Multihash.ARROW0_SHA3_256, schemaDigest.digest());
    }

    private void checkSchema(VectorSchemaRoot batch) {
        // Only what the hash depends on must match: leaf types (names are fixed at construction).
        List<Field> fields = batch.getSchema().getFields();
        for (Leaf leaf : leaves) {
            Field f = null;
            List<Field> level = fields;
            for (int idx : leaf.path) {
                if (idx >= level.size()) throw new IllegalArgumentException("batch schema does not match hasher schema");
                f = level.get(idx);
                level = f.getChildren();
            }
            if (!f.getType().equals(leaf.field.getType())) {
                throw new IllegalArgumentException("column " + leaf.field.getName() + ": batch type " + f.getType()
                        + " does not match hasher type " + leaf.field.getType());
            }
        }
    }

    /** The vectors from the top-level column down to the leaf (enclosing structs first). */
    private static List<FieldVector> resolve(VectorSchemaRoot batch, int[] path) {
        List<FieldVector> chain = new ArrayList<>(path.length);
        FieldVector v = batch.getVector(path[0]);
        chain.add(v);
        for (int k = 1; k < path.length; k++) {
            v = (FieldVector) ((AbstractStructVector) v).getChildByOrdinal(path[k]);
            chain.add(v);
        }
        return chain;
    }

    private static void join(CompletableFuture<?> f) {
        try {
            f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    private record Leaf(int[] path, Field field, Sha3Lanes lanes, int stream, ColumnDigest digest) {}

    /** Leaf columns whose digests are the streams of one {@link Sha3Lanes}. */
    private record Group(List<Leaf> leaves, Sha3Lanes lanes) {
        /** Hashes {@code batch} into the group's columns: a few thousand rows of each column in turn. */
        Runnable unit(VectorSchemaRoot batch, int rowCount) {
            List<List<FieldVector>> chains = new ArrayList<>(leaves.size());
            for (Leaf leaf : leaves) chains.add(resolve(batch, leaf.path));
            return () -> {
                for (int k = 0; k < leaves.size(); k++) leaves.get(k).digest.begin(chains.get(k), rowCount);
                try {
                    for (int start = 0; start < rowCount; start += GROUP_STEP_ROWS) {
                        int n = Math.min(GROUP_STEP_ROWS, rowCount - start);
                        for (Leaf leaf : leaves) leaf.digest.rows(start, n);
                    }
                } finally {
                    for (Leaf leaf : leaves) leaf.digest.end();
                }
            };
        }
    }
}
