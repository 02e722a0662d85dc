package dev.sluice.data.read;

import static dev.sluice.data.read.ReadSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.DataType;
import dev.sluice.odf.ReadStep;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inferSchema: true} without a schema: column types from the first 1000 data rows. */
class CsvInferSchemaTest {
    @TempDir
    Path dir;

    static final String BIGINT = "Int(64, true)", DOUBLE = "FloatingPoint(DOUBLE)", BOOL = "Bool", DATE = "Date(DAY)",
            TIMESTAMP = "Timestamp(MILLISECOND, UTC)", STRING = "Utf8";

    static ReadStep.Csv infer(Boolean header, String nullValue, String dateFormat, String tsFormat, String encoding) {
        return new ReadStep.Csv(null, null, null, encoding, null, null, header, true, nullValue, dateFormat, tsFormat);
    }

    static ReadStep.Csv infer() {
        return infer(true, null, null, null, null);
    }

    record Case(List<String> values, String type, List<Object> read) {}

    static Case c(String type, List<Object> read, String... values) {
        return new Case(List.of(values), type, read);
    }

    static List<Object> vals(Object... v) {
        return Arrays.asList(v);
    }

    static final List<Case> CASES = List.of(
            c(BIGINT, vals(1L, -2L, 3L, 7L), "1", "-2", "+3", "007"),
            c(BIGINT, vals(12L, null, 3L), " 12 ", "", "3"),
            c(DOUBLE, vals(1.0, 2.5), "1", "2.5"),
            c(DOUBLE, vals(1000.0, 0.5, -0.25), "1e3", ".5", "-2.5E-1"),
            c(DOUBLE, vals(12.0), "12.0"),
            c(DOUBLE, vals(1e20), "100000000000000000000"),
            c(BOOL, vals(true, false, null), "true", "FALSE", ""),
            c(DATE, vals(LocalDate.parse("2024-01-01"), LocalDate.parse("2024-02-29")), "2024-01-01", "2024-02-29"),
            c(TIMESTAMP, vals(ts("2024-01-01T00:00:00Z"), ts("2024-01-02T10:00:00Z")), "2024-01-01", "2024-01-02T10:00:00Z"),
            c(TIMESTAMP, vals(ts("2024-01-01T10:00:00Z"), ts("2024-01-01T08:00:00.123Z")), "2024-01-01 10:00:00", "2024-01-01T10:00:00.123+02:00"),
            c(STRING, vals("2024-02-30"), "2024-02-30"),
            c(STRING, vals("true", "1"), "true", "1"),
            c(STRING, vals("1", "abc"), "1", "abc"),
            c(STRING, vals("NaN", "inf"), "NaN", "inf"),
            c(STRING, vals("-", "1-2"), "-", "1-2"),
            c(STRING, vals(null, null), "", ""),
            c(STRING, vals("10:00"), "10:00"));

    @Test
    void typesTableDriven() {
        for (Case k : CASES) {
            // a second column keeps rows with an empty value from being blank lines
            String body = "v,k\n" + String.join(",1\n", k.values) + ",1\n";
            Schema s = schemaOf(infer(), body);
            assertEquals(2, s.getFields().size());
            assertEquals("v", s.getFields().get(0).getName());
            assertEquals(k.type, s.getFields().get(0).getType().toString(), "values " + k.values);
            assertTrue(s.getFields().get(0).isNullable());
            List<Object> got = new ArrayList<>();
            for (List<Object> row : read(infer(), body)) got.add(row.get(0));
            assertEquals(k.read, got, "values " + k.values);
        }
    }

    @Test
    void namesOptionsAndBatches() {
        // no header: column_1..n, the first record is data
        Schema s = schemaOf(infer(false, null, null, null, null), "1,a,2024-01-01\n2,b,2024-01-02\n");
        assertEquals(List.of("column_1:" + BIGINT, "column_2:" + STRING, "column_3:" + DATE), describe(s));
        // nullValue and custom date/timestamp formats are honoured by inference as by reading
        ReadStep.Csv step = infer(true, "NA", "dd/MM/yyyy", "%Y/%m/%d %H:%M", null);
        String body = "n,d,t\nNA,31/12/2024,2024/01/02 10:30\n5,NA,NA\n";
        assertEquals(List.of("n:" + BIGINT, "d:" + DATE, "t:" + TIMESTAMP), describe(schemaOf(step, body)));
        assertEquals(List.of(vals(null, LocalDate.parse("2024-12-31"), ts("2024-01-02T10:30:00Z")), vals(5L, null, null)), read(step, body));
        // a date that the custom timestamp format cannot read keeps the column a string
        assertEquals(List.of("t:" + STRING), describe(schemaOf(infer(true, null, null, "%Y/%m/%d %H:%M", null), "t\n2024/01/02 10:30\n2024-01-03\n")));
        // the sample is read again: every batch size gives the same rows
        StringBuilder b = new StringBuilder("id,score,name\n");
        for (int i = 0; i < 2500; i++) b.append(i).append(',').append(i / 4.0).append(",\"n,").append(i).append("\"\n");
        List<List<Object>> all = read(infer(), in(b.toString()), ReadOptions.defaults());
        assertEquals(2500, all.size());
        assertEquals(vals(2499L, 624.75, "n,2499"), all.get(2499));
        for (int batch : new int[] {1, 7, 999, 1000, 1001}) {
            assertEquals(all, read(infer(), in(b.toString()), ReadOptions.defaults().batchRows(batch)), "batch " + batch);
        }
        // a schema given wins over inference
        assertEquals(List.of("id:Int(32, true)"), describe(schemaOf(new ReadStep.Csv(schema("id", new DataType.Int32()), null, null, null, null, null, true, true,
                null, null, null), "id\n1\n")));
        // without inferSchema: strings, as before
        assertEquals(List.of("id:" + STRING), describe(schemaOf(new ReadStep.Csv(null, null, null, null, null, null, true, false, null, null, null), "id\n1\n")));
    }

    @Test
    void sampleIsTheFirstThousandRows() {
        StringBuilder b = new StringBuilder("n\n");
        for (int i = 1; i <= 1000; i++) b.append(i).append('\n');
        assertEquals(List.of("n:" + BIGINT), describe(schemaOf(infer(), b + "x\n")));
        // row 1001 is outside the sample: reading it is the usual error naming row, column and value
        assertEquals("row 1001, column \"n\": cannot parse 'x' as Int64", error(infer(), b + "x\n"));
        // inside the sample it makes the column a string
        assertEquals(List.of("n:" + STRING), describe(schemaOf(infer(), "n\n1\nx\n" + b.substring(2))));
        // records longer than the reader's first buffer (1 MiB) while sampling
        StringBuilder big = new StringBuilder("k,text\n");
        String pad = "y".repeat(4000);
        for (int i = 0; i < 600; i++) big.append(i).append(',').append(pad).append('\n');
        List<List<Object>> rows = read(infer(), big.toString());
        assertEquals(600, rows.size());
        assertEquals(vals(599L, pad), rows.get(599));
    }

    @Test
    void errorsWhileSampling() {
        assertEquals("row 2: expected 2 columns, found 3", error(infer(), "a,b\n1,2\n3,4,5\n"));
        assertEquals("empty input: no CSV records", error(infer(), "\n\n"));
        assertTrue(error(infer(), "a,a\n1,2\n").contains("duplicate column \"a\""));
        assertTrue(error(infer(), "a,b\n1,\"open\n").startsWith("row 1, column 2: unterminated quoted field"));
        // a non-UTF-8 encoding is transcoded before sampling and reading
        byte[] latin1 = "name,n\ncafé,1\nniño,2\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(List.of(vals("café", 1L), vals("niño", 2L)),
                read(infer(true, null, null, null, "latin1"), new ByteArrayInputStream(latin1), ReadOptions.defaults()));
        // invalid UTF-8 in the sample: the column is a string and reading names the row
        byte[] bad = "s,n\nok,1\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBad = Arrays.copyOf(bad, bad.length + 5);
        System.arraycopy(new byte[] {'x', (byte) 0xFF, ',', '2', '\n'}, 0, withBad, bad.length, 5);
        assertTrue(error(infer(), new ByteArrayInputStream(withBad), ReadOptions.defaults()).startsWith("row 2, column \"s\": invalid UTF-8"));
    }

    /** DuckDB's own CSV sniffer, an independent reader, finds the same types and values; the slice keeps them. */
    @Test
    void agreesWithDuckDbAndSurvivesASlice() throws Exception {
        StringBuilder b = new StringBuilder("id,score,ok,day,at,name\n");
        for (int i = 0; i < 300; i++) {
            b.append(i).append(',').append(i % 7 == 0 ? "" : String.valueOf(i * 1.5)).append(',').append(i % 2 == 0).append(',')
                    .append(LocalDate.of(2024, 1, 1).plusDays(i)).append(',').append("2024-03-01T10:00:").append(String.format("%02d", i % 60)).append("Z,")
                    .append("name ").append(i).append('\n');
        }
        Path csv = dir.resolve("in.csv");
        Files.writeString(csv, b.toString());
        Path slice = dir.resolve("slice.parquet");
        Schema s = toSlice(infer(), csv, slice, 64);
        assertEquals(List.of("id:" + BIGINT, "score:" + DOUBLE, "ok:" + BOOL, "day:" + DATE, "at:" + TIMESTAMP, "name:" + STRING), describe(s));

        Map<String, String> sniffed = new LinkedHashMap<>();
        for (List<Object> r : duckdb("DESCRIBE SELECT * FROM read_csv('" + csv + "')")) sniffed.put((String) r.get(0), (String) r.get(1));
        Map<String, String> ours = duckdbTypes(slice);
        ours.keySet().removeAll(List.of("offset", "op", "system_time", "event_time"));
        assertEquals(Map.of("id", "BIGINT", "score", "DOUBLE", "ok", "BOOLEAN", "day", "DATE", "at", "TIMESTAMP WITH TIME ZONE", "name", "VARCHAR"), ours);
        assertEquals(ours, sniffed);
        String cols = "id, score, ok, day, epoch_ms(\"at\"), name";
        List<List<Object>> fromSlice = duckdb("SELECT " + cols + " FROM read_parquet('" + slice + "') ORDER BY id");
        List<List<Object>> fromCsv = duckdb("SELECT " + cols + " FROM read_csv('" + csv + "') ORDER BY id");
        assertEquals(300, fromSlice.size());
        assertEquals(fromCsv, fromSlice);
    }

    static List<String> describe(Schema s) {
        List<String> out = new ArrayList<>();
        for (Field f : s.getFields()) out.add(f.getName() + ":" + f.getType());
        return out;
    }
}
