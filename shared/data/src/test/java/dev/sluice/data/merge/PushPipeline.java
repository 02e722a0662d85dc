package dev.sluice.data.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.data.SliceReader;
import dev.sluice.data.SliceResult;
import dev.sluice.data.SliceWriter;
import dev.sluice.odf.DatasetVocabulary;
import dev.sluice.odf.MergeStrategy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A root dataset in a temp dir, pushed to the way the node will: merge the new batches against the slices written
 * so far (read back with {@link SliceReader}, in small batches so previous data spans several), then write the
 * result as the next slice with {@link SliceWriter}. Checks every slice reads back as the merge output.
 */
final class PushPipeline {
    static final Instant SYS = Instant.parse("2050-01-01T00:00:00Z");

    private final Path dir;
    private final BufferAllocator alloc;
    private final MergeStrategyImpl merge;
    private final String eventTimeColumn;
    private final List<Path> slices = new ArrayList<>();
    private long nextOffset;
    private int pushes;

    PushPipeline(Path dir, BufferAllocator alloc, MergeStrategy strategy, String eventTimeColumn) {
        this.dir = dir;
        this.alloc = alloc;
        this.merge = MergeStrategyImpl.of(strategy, alloc);
        this.eventTimeColumn = eventTimeColumn;
    }

    /** What one push produced: the merge output (op label first) and its data schema. */
    record Output(Schema data, List<List<Object>> rows) {}

    Output push(Schema schema, List<List<List<Object>>> batches) throws IOException {
        pushes++;
        List<VectorSchemaRoot> in = new ArrayList<>();
        try {
            for (List<List<Object>> b : batches) in.add(Tables.batch(schema, alloc, b));
            try (MergeResult r = merge.merge(PreviousData.ofSlices(slices, 2), schema, in)) {
                List<List<Object>> rows = new ArrayList<>();
                for (VectorSchemaRoot b : r.batches()) rows.addAll(Tables.rows(b));
                assertEquals(rows.size(), r.rowCount());
                Schema data = new Schema(r.schema().getFields().subList(1, r.schema().getFields().size()));
                if (!r.isEmpty()) writeSlice(r, rows);
                return new Output(data, rows);
            }
        } finally {
            in.forEach(VectorSchemaRoot::close);
        }
    }

    private void writeSlice(MergeResult r, List<List<Object>> rows) throws IOException {
        Path file = dir.resolve("slice-" + pushes + ".parquet");
        SliceResult sr;
        try (SliceWriter w = SliceWriter.open(file, r.schema(), SliceWriter.options()
                .opColumn().startOffset(nextOffset).systemTime(SYS.plusSeconds(pushes)).eventTimeColumn(eventTimeColumn)
                .allocator(alloc))) {
            r.writeTo(w);
            sr = w.finish();
        }
        assertEquals(rows.size(), sr.rowCount());
        // The slice holds the merge output: offsets contiguous, op and data columns as merged (event_time may have
        // been filled with the fallback where the merge output had null).
        List<String> outNames = r.schema().getFields().stream().map(Field::getName).toList();
        try (SliceReader rd = SliceReader.open(file, alloc, 3)) {
            List<String> names = rd.schema().getFields().stream().map(Field::getName).toList();
            int i = 0;
            while (rd.hasNext()) {
                for (List<Object> got : Tables.rows(rd.next())) {
                    assertEquals(nextOffset + i, got.get(names.indexOf(DatasetVocabulary.DEFAULT.offsetColumn())));
                    for (int c = 0; c < outNames.size(); c++) {
                        Object want = rows.get(i).get(c);
                        if (want == null && outNames.get(c).equals(DatasetVocabulary.DEFAULT.eventTimeColumn())) continue;
                        assertEquals(want, got.get(names.indexOf(outNames.get(c))), "slice row " + i + " column " + outNames.get(c));
                    }
                    i++;
                }
            }
            assertEquals(rows.size(), i);
        }
        slices.add(file);
        nextOffset += rows.size();
    }
}
