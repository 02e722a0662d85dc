package dev.sluice.fn.api;

import dev.sluice.data.SliceReader;
import dev.sluice.ingest.SliceFiles;
import dev.sluice.odf.DataSlice;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.HashedBlock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * The last records of a dataset as JSON rows (kamu's {@code JsonAoS}), read from the newest slices backwards.
 * Interim: once the query service lands this becomes {@code SELECT * … ORDER BY offset DESC LIMIT n} there.
 */
final class TailReader {
    private final SliceFiles files;

    TailReader(Path cacheDir) {
        this.files = new SliceFiles(cacheDir);
    }

    /** Rows in offset order: the last {@code limit} records before the last {@code skip} ones. */
    List<Map<String, Object>> tail(Dataset ds, int skip, int limit) throws IOException {
        int wanted = skip + limit;
        Deque<Map<String, Object>> rows = new ArrayDeque<>();
        for (HashedBlock b : ds.blocks()) {
            DataSlice slice = b.block().event() instanceof MetadataEvent.AddData a ? a.newData()
                    : b.block().event() instanceof MetadataEvent.ExecuteTransform x ? x.newData() : null;
            if (slice == null) continue;
            List<Map<String, Object>> sliceRows = new ArrayList<>();
            try (SliceReader r = SliceReader.open(files.local(ds, slice.physicalHash()), null, 4096)) {
                while (r.hasNext()) {
                    VectorSchemaRoot batch = r.next();
                    for (int i = 0; i < batch.getRowCount(); i++) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (FieldVector v : batch.getFieldVectors()) row.put(v.getName(), value(v, i));
                        sliceRows.add(row);
                    }
                }
            }
            for (int i = sliceRows.size() - 1; i >= 0 && rows.size() < wanted; i--) rows.addFirst(sliceRows.get(i));
            if (rows.size() >= wanted) break;
        }
        List<Map<String, Object>> out = new ArrayList<>(rows);
        return out.subList(0, Math.max(0, out.size() - skip));
    }

    /** JSON-friendly value: timestamps and dates as ISO-8601 text, binary as base64, the rest as Arrow gives it. */
    static Object value(FieldVector v, int i) {
        if (v.isNull(i)) return null;
        if (v instanceof TimeStampVector ts) {
            long x = ts.get(i);
            return switch (((ArrowType.Timestamp) ts.getField().getType()).getUnit()) {
                case SECOND -> Instant.ofEpochSecond(x).toString();
                case MILLISECOND -> Instant.ofEpochMilli(x).toString();
                case MICROSECOND -> Instant.ofEpochSecond(Math.floorDiv(x, 1_000_000L), Math.floorMod(x, 1_000_000L) * 1000).toString();
                case NANOSECOND -> Instant.ofEpochSecond(Math.floorDiv(x, 1_000_000_000L), Math.floorMod(x, 1_000_000_000L)).toString();
            };
        }
        if (v instanceof DateDayVector d) return LocalDate.ofEpochDay(d.get(i)).toString();
        if (v instanceof DateMilliVector d) return LocalDate.ofEpochDay(Math.floorDiv(d.get(i), 86_400_000L)).toString();
        Object o = v.getObject(i);
        if (o instanceof byte[] bytes) return Base64.getEncoder().encodeToString(bytes);
        if (o instanceof org.apache.arrow.vector.util.Text t) return t.toString();
        if (o instanceof Number || o instanceof Boolean || o instanceof String) return o;
        return o.toString();
    }
}
