package dev.sluice.compaction;

import dev.sluice.data.SliceReader;
import dev.sluice.data.SliceResult;
import dev.sluice.data.SliceWriter;
import dev.sluice.odf.DatasetVocabulary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Concatenates slice files, in the given (offset) order, into one slice: rows are copied as they are, system
 * columns included, so offsets stay dense and unchanged; {@link SliceWriter} checks that and computes the new
 * physical and logical hashes. Streams batch by batch (memory bounded by a few batches and one row group).
 */
final class SliceMerger {
    private SliceMerger() {}

    /** @param what names the slices in messages (e.g. "blocks #5..#9") */
    static SliceResult merge(List<Path> files, long startOffset, DatasetVocabulary vocab, Path out, String what) throws IOException {
        try (BufferAllocator allocator = new RootAllocator()) {
            Schema schema = commonSchema(files, allocator, what);
            SliceWriter.Options opts = SliceWriter.options()
                    .systemColumnsIncluded()
                    .startOffset(startOffset)
                    .vocabulary(vocab)
                    .allocator(allocator);
            try (SliceWriter w = SliceWriter.open(out, schema, opts)) {
                for (Path f : files) {
                    try (SliceReader r = SliceReader.open(f, allocator, SliceReader.KAMU_BATCH_SIZE)) {
                        while (r.hasNext()) w.write(r.next());
                    }
                }
                return w.finish();
            } catch (IllegalArgumentException e) {
                throw new CompactionException("cannot merge the slices of " + what + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * The slices' schema: same column names and types in the same order (a SetDataSchema between them would have
     * ended the run); a column is nullable in the result if it is in any slice.
     */
    private static Schema commonSchema(List<Path> files, BufferAllocator allocator, String what) throws IOException {
        List<Field> fields = null;
        for (Path f : files) {
            Schema s;
            try (SliceReader r = SliceReader.open(f, allocator, 1)) {
                s = r.schema();
            }
            if (fields == null) {
                fields = new ArrayList<>(s.getFields());
                continue;
            }
            if (!sameShape(fields, s.getFields())) {
                throw new CompactionException("cannot merge the slices of " + what + ": their columns differ (" + new Schema(fields)
                        + " vs " + s + ") although no SetDataSchema separates them");
            }
            fields = unionNullability(fields, s.getFields());
        }
        return new Schema(fields);
    }

    private static boolean sameShape(List<Field> a, List<Field> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) {
            Field x = a.get(i);
            Field y = b.get(i);
            if (!x.getName().equals(y.getName()) || !x.getType().equals(y.getType()) || !sameShape(x.getChildren(), y.getChildren())) {
                return false;
            }
        }
        return true;
    }

    private static List<Field> unionNullability(List<Field> a, List<Field> b) {
        List<Field> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            Field x = a.get(i);
            Field y = b.get(i);
            FieldType t = x.getFieldType();
            out.add(new Field(x.getName(), new FieldType(x.isNullable() || y.isNullable(), t.getType(), t.getDictionary(), t.getMetadata()),
                    unionNullability(x.getChildren(), y.getChildren())));
        }
        return out;
    }
}
