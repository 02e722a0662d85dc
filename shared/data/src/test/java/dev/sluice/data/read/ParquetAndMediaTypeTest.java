package dev.sluice.data.read;

import static dev.sluice.data.read.ReadSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.data.SliceWriter;
import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DataType;
import dev.sluice.odf.ReadStep;
import dev.sluice.odf.TimeUnit;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetAndMediaTypeTest {
    @TempDir
    Path dir;

    private byte[] parquet() throws Exception {
        Path f = dir.resolve("in.parquet");
        try (BufferAllocator a = new RootAllocator()) {
            BigIntVector id = new BigIntVector("id", a);
            VarCharVector name = new VarCharVector("name", a);
            VarCharVector num = new VarCharVector("num", a);
            TimeStampMilliTZVector t = new TimeStampMilliTZVector("t", a, "UTC");
            int n = 5;
            id.allocateNew(n);
            name.allocateNew(n);
            num.allocateNew(n);
            t.allocateNew(n);
            for (int i = 0; i < n; i++) {
                id.set(i, i * 10);
                if (i != 3) name.setSafe(i, ("n" + i).getBytes(StandardCharsets.UTF_8));
                num.setSafe(i, (i == 4 ? "x" : String.valueOf(i + 100)).getBytes(StandardCharsets.UTF_8));
                t.set(i, 1_700_000_000_000L + i);
            }
            try (VectorSchemaRoot r = VectorSchemaRoot.of(id, name, num, t)) {
                r.setRowCount(n);
                try (SliceWriter w = SliceWriter.open(f, r.getSchema(), SliceWriter.options().systemTime(Instant.EPOCH).eventTimeColumn("t"))) {
                    w.write(r);
                    w.finish();
                }
            }
        }
        return Files.readAllBytes(f);
    }

    @Test
    void parquetCoercedToTargetSchema() throws Exception {
        byte[] p = parquet();
        DataSchema s = ReadSupport.schema("name", opt(new DataType.String()), "id", new DataType.Int32(),
                "event_time", new DataType.Timestamp(TimeUnit.Microsecond, "UTC"), "offset", opt(new DataType.String()),
                "absent", opt(new DataType.Bool()));
        List<List<Object>> rows = read(new ReadStep.Parquet(s, null), new ByteArrayInputStream(p), ReadOptions.defaults().batchRows(2));
        assertEquals(5, rows.size());
        assertEquals(Arrays.asList("n0", 0, Instant.ofEpochMilli(1_700_000_000_000L), "0", null), rows.get(0));
        assertEquals(Arrays.asList(null, 30, Instant.ofEpochMilli(1_700_000_000_003L), "3", null), rows.get(3));
        // no schema: the file's own columns
        List<List<Object>> all = read(new ReadStep.Parquet(null, null), new ByteArrayInputStream(p), ReadOptions.defaults());
        assertEquals(8, all.get(0).size());
        // errors
        DataSchema bad = ReadSupport.schema("num", new DataType.Int64());
        assertEquals("row 5, column \"num\": cannot parse 'x' as Int64", error(new ReadStep.Parquet(bad, null), new ByteArrayInputStream(p), ReadOptions.defaults()));
        assertEquals("Parquet file has no column \"zzz\" (column is not nullable)",
                error(new ReadStep.Parquet(ReadSupport.schema("zzz", new DataType.Int64()), null), new ByteArrayInputStream(p), ReadOptions.defaults()));
        assertEquals("row 4, column \"name\": missing value (column is not nullable)",
                error(new ReadStep.Parquet(ReadSupport.schema("name", new DataType.String()), null), new ByteArrayInputStream(p), ReadOptions.defaults()));
        assertTrue(error(new ReadStep.Parquet(null, null), "PAR1 not really").startsWith("not a readable Parquet file (15 bytes)"));
        assertTrue(error(new ReadStep.Parquet(null, null), new ByteArrayInputStream(Arrays.copyOf(p, p.length - 9)), ReadOptions.defaults())
                .startsWith("not a readable Parquet file"));
        assertEquals("empty input: no Parquet data", error(new ReadStep.Parquet(null, null), ""));
    }

    @Test
    void everyReadStepKindHasAReader() {
        // not "not supported": each kind parses (and here rejects) the body itself
        assertTrue(error(new ReadStep.GeoJson(null, null), "{}").startsWith("expected a GeoJSON FeatureCollection"));
        assertTrue(error(new ReadStep.NdGeoJson(null, null), "{}").startsWith("feature 1 (line 1): not a GeoJSON Feature"));
        assertTrue(error(new ReadStep.EsriShapefile(null, null, null), "x").startsWith("EsriShapefile: not a readable zip archive (1 bytes)"));
    }

    @Test
    void mediaTypes() {
        DataSchema s = ReadSupport.schema("a", new DataType.Int64());
        ReadStep.Csv src = new ReadStep.Csv(s, null, ";", null, null, null, true, null, null, null, "dd/MM/yyyy");
        assertSame(src, RecordReaders.forMediaType(src, null));
        assertSame(src, RecordReaders.forMediaType(src, "text/csv"));
        assertSame(src, RecordReaders.forMediaType(src, "application/octet-stream"));
        ReadStep.Csv withCharset = (ReadStep.Csv) RecordReaders.forMediaType(src, "Text/CSV; charset=ISO-8859-1");
        assertEquals("ISO-8859-1", withCharset.encoding());
        assertEquals(";", withCharset.separator());
        ReadStep j = RecordReaders.forMediaType(src, "application/json");
        assertEquals(new ReadStep.Json(s, null, null, null, null, "dd/MM/yyyy"), j);
        assertEquals(new ReadStep.NdJson(s, null, null, null, null), RecordReaders.forMediaType(ndjson(s), "application/x-ndjson"));
        assertEquals(new ReadStep.Parquet(s, null), RecordReaders.forMediaType(ndjson(s), "application/vnd.apache.parquet"));
        assertEquals(new ReadStep.Csv(s, null, null, null, null, null, null, null, null, null, null), RecordReaders.forMediaType(ndjson(s), "text/csv"));
        assertEquals("GeoJson", RecordReaders.forMediaType(ndjson(s), "application/geo+json").kind());
        assertEquals("EsriShapefile", RecordReaders.forMediaType(null, "x-gis/x-shapefile").kind());
        BadInputException e = assertThrows(BadInputException.class, () -> RecordReaders.forMediaType(src, "image/png"));
        assertTrue(e.getMessage().startsWith("unsupported media type 'image/png'"), e.getMessage());
        assertEquals("text/csv", RecordReaders.mediaType(src));
        // a media type switch reads with the new format and the source's schema
        assertEquals(List.of(Arrays.asList(7L)), read(RecordReaders.forMediaType(src, "application/x-ndjson"), "{\"a\":7}"));
    }
}
