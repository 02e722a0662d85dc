package dev.sluice.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SliceWriter.Options#opColumn()}: per-row op taken from the data. */
class SliceWriterOpColumnTest {
    private final BufferAllocator alloc = new RootAllocator();

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        alloc.close();
    }

    /** city Utf8, op Int32 (deliberately not first), population Int64. */
    private VectorSchemaRoot batch(Integer... ops) {
        VarCharVector city = new VarCharVector("city", alloc);
        IntVector op = new IntVector("op", alloc);
        BigIntVector pop = new BigIntVector("population", alloc);
        city.allocateNew();
        op.allocateNew();
        pop.allocateNew();
        for (int i = 0; i < ops.length; i++) {
            city.setSafe(i, TestTables.utf8("c" + i));
            if (ops[i] == null) op.setNull(i); else op.set(i, ops[i]);
            pop.set(i, i * 10L);
        }
        VectorSchemaRoot r = VectorSchemaRoot.of(city, op, pop);
        r.setRowCount(ops.length);
        return r;
    }

    @Test
    void opsComeFromTheColumnWhichMovesToTheSystemPosition() throws Exception {
        Path f = dir.resolve("s.parquet");
        try (VectorSchemaRoot b = batch(0, 2, 3, 1);
             SliceWriter w = SliceWriter.open(f, b.getSchema(), SliceWriter.options().opColumn().startOffset(5)
                     .systemTime(Instant.EPOCH).allocator(alloc))) {
            assertEquals(List.of("offset", "op", "system_time", "event_time", "city", "population"),
                    w.outputSchema().getFields().stream().map(Field::getName).toList());
            w.write(b);
            assertEquals(4, w.finish().rowCount());
        }
        List<Integer> ops = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        try (SliceReader r = SliceReader.open(f, alloc, 100)) {
            VectorSchemaRoot b = r.next();
            for (int i = 0; i < b.getRowCount(); i++) {
                offsets.add(((BigIntVector) b.getVector("offset")).get(i));
                ops.add(((IntVector) b.getVector("op")).get(i));
            }
            assertEquals(6, b.getFieldVectors().size());
        }
        assertEquals(List.of(0, 2, 3, 1), ops);
        assertEquals(List.of(5L, 6L, 7L, 8L), offsets);
    }

    @Test
    void badOpValuesAreRejected() throws Exception {
        for (Integer bad : new Integer[] {4, -1, null}) {
            Path f = dir.resolve("bad.parquet");
            try (VectorSchemaRoot b = batch(0, bad);
                 SliceWriter w = SliceWriter.open(f, b.getSchema(), SliceWriter.options().opColumn().systemTime(Instant.EPOCH).allocator(alloc))) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.write(b));
                assertTrue(e.getMessage().contains("row 1: op must be 0..3"), e.getMessage());
            }
            assertTrue(Files.notExists(f), "abandoned slice is deleted");
        }
    }

    @Test
    void withoutTheOptionAnOpColumnIsStillRejected() throws Exception {
        try (VectorSchemaRoot b = batch(0)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SliceWriter.open(dir.resolve("x.parquet"), b.getSchema(), SliceWriter.options().systemTime(Instant.EPOCH)));
            assertTrue(e.getMessage().contains("system column 'op'"), e.getMessage());
        }
    }
}
