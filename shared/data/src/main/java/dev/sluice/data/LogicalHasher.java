package dev.sluice.data;

import dev.sluice.odf.Multihash;
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
 * columns are taken in groups of four whose streams are the lanes of one {@link Sha3Lanes} (hashed in lockstep,
 * a few thousand rows of each column in turn, so one vector Keccak serves four columns). Groups are hashed as
 * independent tasks on the given executor; batches of one group are always hashed in order. The schema part
 * (field names and nesting levels) is hashed up front.
 */
public final class LogicalHasher {
    /** Rows of each column of a group hashed in turn: small enough that the lanes stay close to lockstep. */
    private static final int GROUP_STEP_ROWS = 4096;

    private final MessageDigest schemaDigest = Multihash.newSha3();
    private final Sha3Lanes.Permutation permutation;
    private final List<Leaf> leaves = new ArrayList<>();
    private final List<Group> groups = new ArrayList<>();
    private final Executor executor;
    private final CompletableFuture<?>[] tails;
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
        this.executor = Objects.requireNonNull(executor, "executor");
        this.permutation = permutation;
        walkFields(schema.getFields(), 0, new int[0]);
        for (int g = 0; g < leaves.size(); g += Sha3Lanes.LANES) {
            groups.add(new Group(leaves.subList(g, Math.min(leaves.size(), g + Sha3Lanes.LANES))));
        }
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

    private Sha3Lanes currentLanes; // lanes of the group being filled while walking the schema

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
                if (leaves.size() % Sha3Lanes.LANES == 0) currentLanes = new Sha3Lanes(permutation);
                leaves.add(new Leaf(childPath, f, currentLanes, new ColumnDigest(f, currentLanes, leaves.size() % Sha3Lanes.LANES)));
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

    /** Number of units per batch (groups of up to four leaf columns, each hashed in order). */
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
        for (Group g : groups) {
            byte[][] digests = g.lanes.digests();
            for (int k = 0; k < g.leaves.size(); k++) schemaDigest.update(digests[k]);
        }
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

    private record Leaf(int[] path, Field field, Sha3Lanes lanes, ColumnDigest digest) {}

    /** Up to four leaf columns whose digests are the lanes of one {@link Sha3Lanes}, in leaf order. */
    private record Group(List<Leaf> leaves, Sha3Lanes lanes) {
        Group(List<Leaf> leaves) {
            this(List.copyOf(leaves), leaves.get(0).lanes);
        }

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
