package dev.sluice.data;

import dev.sluice.odf.Multihash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throughput measurement, not a test: {@code mvn -B -pl shared/data -am test -Dtest=SliceWriterBench
 * -Dsurefire.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false}. Writes 1M rows × 6 data columns
 * (+ 4 system columns) and prints rows/s and the time share of hashing.
 */
@Tag("bench")
class SliceWriterBench {
    static final int ROWS = 1 << 20;
    static final int BATCH = 1 << 16;

    @TempDir
    Path dir;

    @Test
    void writeOneMillionRows() throws Exception {
        try (BufferAllocator alloc = new RootAllocator()) {
            List<VectorSchemaRoot> batches = new ArrayList<>();
            for (int s = 0; s < ROWS; s += BATCH) batches.add(TestTables.random(alloc, new Random(s), BATCH, 0, BATCH, false));
            long dataBytes = batches.stream().mapToLong(b -> b.getFieldVectors().stream()
                    .mapToLong(v -> v.getBufferSize()).sum()).sum();
            Path file = dir.resolve("bench.parquet");
            timeWrite(file, batches, Runnable::run);
            // The logical hash covers all 10 written columns: measure it on the slice as read back.
            List<VectorSchemaRoot> written = new ArrayList<>();
            try (SliceReader r = SliceReader.open(file, alloc, BATCH)) {
                while (r.hasNext()) {
                    VectorSchemaRoot b = r.next();
                    VectorSchemaRoot copy = VectorSchemaRoot.create(b.getSchema(), alloc);
                    copy.allocateNew();
                    for (int c = 0; c < b.getFieldVectors().size(); c++) {
                        b.getVector(c).makeTransferPair(copy.getVector(c)).transfer();
                    }
                    copy.setRowCount(b.getRowCount());
                    written.add(copy);
                }
            }
            long writtenBytes = written.stream().mapToLong(b -> b.getFieldVectors().stream()
                    .mapToLong(v -> v.getBufferSize()).sum()).sum();
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                LogicalHasher h = new LogicalHasher(written.get(0).getSchema());
                for (VectorSchemaRoot b : written) h.update(b);
                h.finish();
                long hashNs = System.nanoTime() - t0;

                long syncNs = timeWrite(file, batches, Runnable::run);
                long size = Files.size(file);
                long t1 = System.nanoTime();
                Multihash.sha3(Files.readAllBytes(file));
                long physNs = System.nanoTime() - t1;
                long asyncNs = timeWrite(file, batches, ForkJoinPool.commonPool());

                System.out.printf("round %d: %d rows x 6 data cols (%.1f MB Arrow, file %.1f MB)%n", round, ROWS, dataBytes / 1e6, size / 1e6);
                System.out.printf("  logical hash alone (all 10 cols, 1 thread): %.0f ms (%.1f M rows/s, %.0f MB/s of Arrow buffers)%n",
                        hashNs / 1e6, ROWS / (hashNs / 1e9) / 1e6, writtenBytes / (hashNs / 1e9) / 1e6);
                System.out.printf("  physical hash of file bytes: %.0f ms%n", physNs / 1e6);
                System.out.printf("  write, hashing inline:      %.0f ms = %.2f M rows/s; logical-hash share ~%.0f%%, physical ~%.0f%%%n",
                        syncNs / 1e6, ROWS / (syncNs / 1e9) / 1e6, 100.0 * hashNs / syncNs, 100.0 * physNs / syncNs);
                System.out.printf("  write, columns hashed on commonPool (parallelism %d): %.0f ms = %.2f M rows/s%n",
                        ForkJoinPool.getCommonPoolParallelism(), asyncNs / 1e6, ROWS / (asyncNs / 1e9) / 1e6);
            }
            batches.forEach(VectorSchemaRoot::close);
            written.forEach(VectorSchemaRoot::close);
        }
    }

    private static long timeWrite(Path file, List<VectorSchemaRoot> batches, Executor ex) throws Exception {
        long t0 = System.nanoTime();
        try (SliceWriter w = SliceWriter.open(file, batches.get(0).getSchema(), SliceWriter.options()
                .systemTime(Instant.now()).eventTimeColumn("ts").hashExecutor(ex))) {
            for (VectorSchemaRoot b : batches) w.write(b);
            w.finish();
        }
        return System.nanoTime() - t0;
    }
}
