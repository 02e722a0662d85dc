package dev.sluice.data.read;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.odf.DataField;
import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DataType;
import dev.sluice.odf.ReadStep;
import dev.sluice.data.SliceWriter;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;

/** Helpers: read a body fully into Java rows; expect a BadInputException. */
final class ReadSupport {
    private ReadSupport() {}

    static ReadStep.Csv csv(DataSchema s) {
        return new ReadStep.Csv(s, null, null, null, null, null, null, null, null, null, null);
    }

    static ReadStep.Csv csv(DataSchema s, String sep, String enc, String quote, String esc, Boolean header, String nullValue,
                            String dateFormat, String tsFormat) {
        return new ReadStep.Csv(s, null, sep, enc, quote, esc, header, null, nullValue, dateFormat, tsFormat);
    }

    static ReadStep.NdJson ndjson(DataSchema s) {
        return new ReadStep.NdJson(s, null, null, null, null);
    }

    static ReadStep.Json json(DataSchema s, String subPath) {
        return new ReadStep.Json(s, null, subPath, null, null, null);
    }

    /** Schema from pairs name, type. */
    static DataSchema schema(Object... nameType) {
        List<DataField> fs = new ArrayList<>();
        for (int i = 0; i < nameType.length; i += 2) fs.add(new DataField((String) nameType[i], (DataType) nameType[i + 1], null));
        return new DataSchema(fs, null);
    }

    static DataType opt(DataType t) {
        return new DataType.Option(t);
    }

    static InputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    static List<List<Object>> read(ReadStep step, String body) {
        return read(step, in(body), ReadOptions.defaults());
    }

    static List<List<Object>> read(ReadStep step, InputStream body, ReadOptions o) {
        List<List<Object>> out = new ArrayList<>();
        try (BufferAllocator a = new RootAllocator(); RecordReader r = RecordReaders.open(step, body, o.allocator(a))) {
            while (r.hasNext()) {
                VectorSchemaRoot b = r.next();
                if (b.getRowCount() == 0) fail("empty batch");
                for (int i = 0; i < b.getRowCount(); i++) {
                    List<Object> row = new ArrayList<>();
                    for (FieldVector v : b.getFieldVectors()) row.add(value(v, i));
                    out.add(row);
                }
            }
        }
        return out;
    }

    static Schema schemaOf(ReadStep step, String body) {
        try (RecordReader r = RecordReaders.open(step, in(body))) {
            return r.schema();
        }
    }

    /** Reads the body fully and returns the BadInputException's message. */
    static String error(ReadStep step, String body) {
        return error(step, in(body), ReadOptions.defaults());
    }

    static String error(ReadStep step, InputStream body, ReadOptions o) {
        BadInputException e = assertThrows(BadInputException.class, () -> read(step, body, o));
        if (e.getMessage().contains("\n")) fail("multi-line message: " + e.getMessage());
        return e.getMessage();
    }

    static Object value(FieldVector v, int i) {
        if (v.isNull(i)) return null;
        if (v instanceof TimeStampVector t) {
            long x = t.get(i);
            return switch (((ArrowType.Timestamp) v.getField().getType()).getUnit()) {
                case SECOND -> Instant.ofEpochSecond(x);
                case MILLISECOND -> Instant.ofEpochMilli(x);
                case MICROSECOND -> Instant.ofEpochSecond(Math.floorDiv(x, 1_000_000L), Math.floorMod(x, 1_000_000L) * 1000);
                case NANOSECOND -> Instant.ofEpochSecond(Math.floorDiv(x, 1_000_000_000L), Math.floorMod(x, 1_000_000_000L));
            };
        }
        if (v instanceof DateDayVector d) return LocalDate.ofEpochDay(d.get(i));
        if (v instanceof VarCharVector s) return new String(s.get(i), StandardCharsets.UTF_8);
        if (v instanceof BitVector b) return b.get(i) != 0;
        if (v instanceof ListVector l) {
            List<Object> out = new ArrayList<>();
            int s = l.getElementStartIndex(i), e = l.getElementEndIndex(i);
            for (int k = s; k < e; k++) out.add(value(l.getDataVector(), k));
            return out;
        }
        if (v instanceof StructVector s) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (FieldVector c : s.getChildrenFromFields()) m.put(c.getName(), value(c, i));
            return m;
        }
        return v.getObject(i);
    }

    static Instant ts(String s) {
        return Instant.parse(s);
    }

    /** Reads {@code in} with {@code step} in batches of {@code batchRows} and writes it as one slice; returns its data schema. */
    static Schema toSlice(ReadStep step, Path in, Path slice, int batchRows) throws Exception {
        try (BufferAllocator a = new RootAllocator();
                RecordReader r = RecordReaders.open(step, Files.newInputStream(in), ReadOptions.defaults().allocator(a).batchRows(batchRows));
                SliceWriter w = SliceWriter.open(slice, r.schema(), SliceWriter.options().systemTime(Instant.EPOCH)
                        .fallbackEventTime(Instant.parse("2020-01-01T00:00:00Z")).allocator(a))) {
            while (r.hasNext()) w.write(r.next());
            w.finish();
            return r.schema();
        }
    }

    /** Rows of a DuckDB query, each value as JDBC returns it (timestamps and dates as text). */
    static List<List<Object>> duckdb(String sql) throws Exception {
        List<List<Object>> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) row.add(rs.getObject(i));
                out.add(row);
            }
        }
        return out;
    }

    /** DuckDB's column name → type of a Parquet file. */
    static Map<String, String> duckdbTypes(Path parquet) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (List<Object> r : duckdb("DESCRIBE SELECT * FROM read_parquet('" + parquet + "')")) out.put((String) r.get(0), (String) r.get(1));
        return out;
    }
}
