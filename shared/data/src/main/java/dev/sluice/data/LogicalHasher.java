package dev.sluice.data;

import dev.sluice.odf.Multihash;
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
 * The result does not depend on how rows are split into batches. Every leaf column has its own SHA3 state, so
 * columns are hashed as independent tasks on the given executor; batches of one column are always hashed in
 * order. The schema part (field names and nesting levels) is hashed up front.
 */
public final class LogicalHasher {
    private final MessageDigest schemaDigest = Multihash.newSha3();
    private final List<Leaf> leaves = new ArrayList<>();
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
        this.executor = Objects.requireNonNull(executor, "executor");
        walkFields(schema.getFields(), 0, new int[0]);
        tails = new CompletableFuture<?>[leaves.size()];
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
                leaves.add(new Leaf(childPath, f, new ColumnDigest(f)));
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
        for (int i = 0; i < leaves.size(); i++) {
            Leaf leaf = leaves.get(i);
            List<FieldVector> chain = resolve(batch, leaf.path);
            tails[i] = tails[i].thenRunAsync(() -> leaf.digest.update(chain, rowCount), executor);
        }
        return CompletableFuture.allOf(tails);
    }

    /**
     * One unit per leaf column hashing {@code batch} (for a scheduler that runs each column's units in order and
     * keeps the batch unchanged until they have run); counts the rows at once.
     */
    List<Runnable> updateUnits(VectorSchemaRoot batch) {
        if (finished) throw new IllegalStateException("hasher already finished");
        checkSchema(batch);
        int rowCount = batch.getRowCount();
        rows += rowCount;
        List<Runnable> units = new ArrayList<>(leaves.size());
        for (Leaf leaf : leaves) {
            List<FieldVector> chain = resolve(batch, leaf.path);
            units.add(() -> leaf.digest.update(chain, rowCount));
        }
        return units;
    }

    /** Number of leaf columns (each has its own digest). */
    int leafCount() {
        return leaves.size();
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
        for (Leaf leaf : leaves) schemaDigest.update(leaf.digest.finish());
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

    private record Leaf(int[] path, Field field, ColumnDigest digest) {}
}
