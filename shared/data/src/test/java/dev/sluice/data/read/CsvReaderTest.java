package dev.sluice.data.read;

import static dev.sluice.data.read.ReadSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.DataType;
import dev.sluice.odf.DataSchema;
import dev.sluice.odf.ReadStep;
import dev.sluice.odf.TimeUnit;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

class CsvReaderTest {
    static final DataType I64 = new DataType.Int64();
    static final DataType STR = new DataType.String();
    static final DataType TS = new DataType.Timestamp(null, null);
    static final DataSchema ABC = schema("a", opt(I64), "b", opt(STR), "c", opt(new DataType.Float64()));

    static List<Object> row(Object... v) {
        return Arrays.asList(v);
    }

    @Test
    void defaultsByPosition() {
        assertEquals(List.of(row(1L, "x", 1.5), row(-2L, "y z", 0.0)), read(csv(ABC), "1,x,1.5\n-2,y z,0\n"));
    }

    @Test
    void nullsAndValuesOfEveryStagedTypeAcrossBatches() {
        // int64, int32, string, float64 and timestamp columns are gathered per batch and copied at its end
        DataSchema s = schema("a", opt(I64), "b", opt(new DataType.Int32()), "c", opt(STR), "d", opt(new DataType.Float64()),
                "e", opt(TS));
        StringBuilder body = new StringBuilder();
        List<List<Object>> want = new java.util.ArrayList<>();
        for (int r = 0; r < 23; r++) {
            boolean nul = r % 3 == 1 || r >= 20; // nulls inside batches and a whole batch of nulls at the end
            body.append(nul ? ",,,," : r + "," + (-r) + ",s" + "x".repeat(r) + "," + (r + 0.25) + ",2024-01-0" + (1 + r % 9) + "T00:00:0" + (r % 10) + "Z")
                    .append('\n');
            want.add(nul ? Arrays.asList(null, null, null, null, null)
                    : row((long) r, -r, "s" + "x".repeat(r), r + 0.25, java.time.Instant.parse("2024-01-0" + (1 + r % 9) + "T00:00:0" + (r % 10) + "Z")));
        }
        for (int batch : new int[] {1, 3, 7, 1000}) {
            assertEquals(want, read(csv(s), in(body.toString()), ReadOptions.defaults().batchRows(batch)), "batch " + batch);
        }
    }

    @Test
    void crlfBareCrNoTrailingNewlineAndBlankLines() {
        assertEquals(List.of(row(1L, "x", 1.0), row(2L, "y", 2.0), row(3L, "z", 3.0)),
                read(csv(ABC), "\n1,x,1\r\n\r\n2,y,2\r3,z,3"));
    }

    @Test
    void quotedFieldsWithSeparatorsNewlinesAndEscapes() {
        String body = "1,\"a,b\",1\n2,\"line1\nline2\",2\n3,\"say \\\"hi\\\"\",3\n4,\"dq \"\"x\"\"\",4\n5,\"back\\\\slash\",5\n6,\"\",6\n7,,7\n";
        assertEquals(List.of(row(1L, "a,b", 1.0), row(2L, "line1\nline2", 2.0), row(3L, "say \"hi\"", 3.0),
                row(4L, "dq \"x\"", 4.0), row(5L, "back\\slash", 5.0), row(6L, "", 6.0), row(7L, null, 7.0)), read(csv(ABC), body));
    }

    @Test
    void separatorQuoteEscapeOptions() {
        ReadStep.Csv s = csv(ABC, ";", null, "'", "!", null, null, null, null);
        assertEquals(List.of(row(1L, "a;b", 2.5), row(2L, "it's", null)), read(s, "1;'a;b';2.5\n2;'it!'s';\n"));
        ReadStep.Csv tab = csv(ABC, "\t", null, null, null, null, null, null, null);
        assertEquals(List.of(row(1L, "a,b", 2.0)), read(tab, "1\ta,b\t2\n"));
        // escape equal to quote: only doubling
        ReadStep.Csv dq = csv(ABC, null, null, "\"", "\"", null, null, null, null);
        assertEquals(List.of(row(1L, "a\"b\\", 2.0)), read(dq, "1,\"a\"\"b\\\",2\n"));
        // no quoting at all
        ReadStep.Csv nq = csv(ABC, null, null, "", null, null, null, null, null);
        assertEquals(List.of(row(1L, "\"x\"", 2.0)), read(nq, "1,\"x\",2\n"));
        assertTrue(error(csv(ABC, "ab", null, null, null, null, null, null, null), "1\n").contains("separator must be a single"));
    }

    @Test
    void nullValueOption() {
        ReadStep.Csv s = csv(ABC, null, null, null, null, null, "NA", null, null);
        assertEquals(List.of(row(null, "", null), row(1L, null, 2.0), row(null, "NA", null)), read(s, "NA,,NA\n1,NA,2\n\"NA\",\"NA\",\"NA\"\n"));
    }

    @Test
    void headerMatchesByNameInAnyOrder() {
        ReadStep.Csv s = csv(ABC, null, null, null, null, true, null, null, null);
        assertEquals(List.of(row(1L, "x", 2.0)), read(s, "c,A,b\n2,1,x\n"));
        assertEquals(List.of(), read(s, "a,b,c\n"));
        assertEquals(List.of(), read(s, "a,b,c"));
        String m = error(s, "a,b,d,e\n1,2,3,4\n");
        assertTrue(m.contains("missing column(s) \"c\"") && m.contains("unexpected column(s) \"d\", \"e\""), m);
        assertTrue(error(s, "a,b\n1,2\n").contains("missing column(s) \"c\""));
        assertTrue(error(s, "a,a,b,c\n").contains("duplicate column \"a\""));
    }

    @Test
    void noSchemaInfersStringColumns() {
        ReadStep.Csv h = csv(null, null, null, null, null, true, null, null, null);
        Schema sc = schemaOf(h, "id,name\n1,x\n");
        assertEquals(List.of("id", "name"), sc.getFields().stream().map(f -> f.getName()).toList());
        assertTrue(sc.getFields().stream().allMatch(f -> f.isNullable() && f.getType() instanceof ArrowType.Utf8));
        assertEquals(List.of(row("1", "x"), row("2", null)), read(h, "id,name\n1,x\n2,\n"));
        ReadStep.Csv nh = csv(null);
        assertEquals(List.of("column_1", "column_2"), schemaOf(nh, "1,x\n").getFields().stream().map(f -> f.getName()).toList());
        assertEquals(List.of(row("1", "x"), row("2", "y")), read(nh, "1,x\n2,y\n"));
    }

    @Test
    void legacyDdlSchema() {
        ReadStep.Csv s = new ReadStep.Csv(null, List.of("a BIGINT", "`b c`: STRING", "d DECIMAL(5,2)", "t TIMESTAMP(3)"),
                null, null, null, null, true, null, null, null, null);
        assertEquals(List.of(row(1L, "x", new BigDecimal("1.50"), ts("2024-01-02T03:04:05Z"))),
                read(s, "a,b c,d,t\n1,x,1.5,2024-01-02T03:04:05Z\n"));
    }

    @Test
    void encodings() {
        DataSchema one = schema("s", opt(STR), "n", opt(I64));
        byte[] latin = "é,1\nß,2\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(List.of(row("é", 1L), row("ß", 2L)),
                read(csv(one, null, "latin1", null, null, null, null, null, null), new ByteArrayInputStream(latin), ReadOptions.defaults()));
        byte[] u16 = "ü,1\n\"a,😀\",2\n".getBytes(StandardCharsets.UTF_16);
        assertEquals(List.of(row("ü", 1L), row("a,😀", 2L)),
                read(csv(one, null, "utf16", null, null, null, null, null, null), new ByteArrayInputStream(u16), ReadOptions.defaults()));
        byte[] bom = "\uFEFFx,1\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of(row("x", 1L)), read(csv(one), new ByteArrayInputStream(bom), ReadOptions.defaults()));
        assertTrue(error(csv(one, null, "klingon", null, null, null, null, null, null), "a,1\n").contains("unsupported encoding 'klingon'"));
        byte[] bad = {'o', 'k', ',', '1', '\n', 'a', (byte) 0xC3, (byte) 0x28, ',', '2', '\n'};
        String m = error(csv(one), new ByteArrayInputStream(bad), ReadOptions.defaults());
        assertTrue(m.startsWith("row 2, column \"s\": invalid UTF-8") && m.contains("input byte 5"), m);
        byte[] badU16 = {0, 'a', (byte) 0xD8, 0, 0, ',', 0, '1'}; // lone high surrogate
        assertTrue(error(csv(one, null, "UTF-16BE", null, null, null, null, null, null), new ByteArrayInputStream(badU16), ReadOptions.defaults())
                .contains("invalid UTF-16BE input"));
    }

    @Test
    void everyTypeCoerces() {
        DataSchema s = schema("b", opt(new DataType.Bool()), "i8", opt(new DataType.Int8()), "i16", opt(new DataType.Int16()),
                "i32", opt(new DataType.Int32()), "i64", opt(I64), "u8", opt(new DataType.UInt8()), "u16", opt(new DataType.UInt16()),
                "u32", opt(new DataType.UInt32()), "u64", opt(new DataType.UInt64()), "f32", opt(new DataType.Float32()),
                "f64", opt(new DataType.Float64()), "dec", opt(new DataType.Decimal(10, 3)), "d", opt(new DataType.Date()),
                "t", opt(new DataType.Time(TimeUnit.Millisecond)), "ts", opt(TS),
                "tsus", opt(new DataType.Timestamp(TimeUnit.Microsecond, "UTC")), "s", opt(STR), "bin", opt(new DataType.Binary(null)));
        List<List<Object>> rows = read(csv(s), "TRUE,-128,-32768,2147483647,-9223372036854775808,255,65535,4294967295,18446744073709551615,"
                + "1.5,-2.5e-3,12.5,2024-02-29,13:14:15.123,2024-01-02 03:04:05.678,2024-01-02T03:04:05.123456+01:00,héllo,raw\n"
                + "false,1,2,3,4.0,5,6,7,8,inf,NaN,-0.001,1999-12-31,00:00,2024-01-02,1970-01-01T00:00:00Z,,\n");
        List<Object> r0 = rows.get(0);
        assertEquals(true, r0.get(0));
        assertEquals((byte) -128, r0.get(1));
        assertEquals((short) -32768, r0.get(2));
        assertEquals(2147483647, r0.get(3));
        assertEquals(Long.MIN_VALUE, r0.get(4));
        assertEquals((byte) -1, ((Number) r0.get(5)).byteValue());
        assertEquals((char) 65535, r0.get(6));
        assertEquals(4294967295L, Integer.toUnsignedLong((Integer) r0.get(7)));
        assertEquals(-1L, r0.get(8));
        assertEquals(1.5f, r0.get(9));
        assertEquals(-2.5e-3, r0.get(10));
        assertEquals(new BigDecimal("12.500"), r0.get(11));
        assertEquals(LocalDate.of(2024, 2, 29), r0.get(12));
        assertEquals(ts("2024-01-02T03:04:05.678Z"), r0.get(14));
        assertEquals(ts("2024-01-02T02:04:05.123456Z"), r0.get(15));
        assertEquals("héllo", r0.get(16));
        assertTrue(Arrays.equals("raw".getBytes(StandardCharsets.UTF_8), (byte[]) r0.get(17)));
        List<Object> r1 = rows.get(1);
        assertEquals(false, r1.get(0));
        assertEquals(4L, r1.get(4));
        assertEquals(Float.POSITIVE_INFINITY, r1.get(9));
        assertTrue(Double.isNaN((Double) r1.get(10)));
        assertEquals(new BigDecimal("-0.001"), r1.get(11));
        assertEquals(ts("2024-01-02T00:00:00Z"), r1.get(14));
        assertEquals(ts("1970-01-01T00:00:00Z"), r1.get(15));
        assertEquals(null, r1.get(16));
    }

    @Test
    void timestampFormats() {
        DataSchema s = schema("t", opt(TS), "d", opt(new DataType.Date()));
        assertEquals(List.of(row(ts("2024-03-01T10:20:30Z"), LocalDate.of(2024, 3, 1))),
                read(csv(s, null, null, null, null, null, null, "dd/MM/yyyy", "dd/MM/yyyy HH:mm:ss"), "01/03/2024 10:20:30,01/03/2024\n"));
        assertEquals(List.of(row(ts("2024-03-01T09:20:30Z"), LocalDate.of(2024, 3, 1))),
                read(csv(s, null, null, null, null, null, null, "%d.%m.%Y", "%Y-%m-%d %H:%M:%S %z"), "2024-03-01 10:20:30 +0100,01.03.2024\n"));
        assertEquals(List.of(row(ts("2024-03-01T10:20:30.5Z"), null), row(ts("2024-03-01T00:00:00Z"), null)),
                read(csv(s, null, null, null, null, null, null, "rfc3339", "rfc3339"), "2024-03-01T12:20:30.5+02:00,\n2024-03-01,\n"));
        String m = error(csv(s, null, null, null, null, null, null, "dd/MM/yyyy", "dd/MM/yyyy HH:mm:ss"), "2024-01-01,01/01/2024\n");
        assertEquals("row 1, column \"t\": cannot parse '2024-01-01' as Timestamp", m);
    }

    @Test
    void errorsNameRowColumnAndValue() {
        assertEquals("row 2, column \"a\": cannot parse 'abc' as Int64", error(csv(ABC), "1,x,1\nabc,y,2\n"));
        assertEquals("row 1, column \"a\": cannot parse '1.5' as Int64", error(csv(ABC), "1.5,x,1\n"));
        assertEquals("row 3: expected 3 columns, found 2", error(csv(ABC), "1,x,1\n2,y,2\n3,z\n"));
        assertEquals("row 1: expected 3 columns, found 4", error(csv(ABC), "1,x,1,9\n"));
        assertEquals("row 1, column \"c\": cannot parse '1\\n2\\t\\u0001' as Float64", error(csv(ABC), "1,x,\"1\n2\t\u0001\"\n"));
        DataSchema req = schema("a", I64, "t", TS);
        assertEquals("row 2, column \"a\": missing value (column is not nullable)", error(csv(req), "1,2024-01-01\n,2024-01-01\n"));
        assertEquals("row 1, column \"t\": cannot parse '2024-13-01' as Timestamp", error(csv(req), "1,2024-13-01\n"));
        assertEquals("row 1, column \"a\": cannot parse '99999999999999999999' as Int64", error(csv(req), "99999999999999999999,2024-01-01\n"));
        DataSchema small = schema("a", opt(new DataType.Int8()));
        assertEquals("row 1, column \"a\": cannot parse '128' as Int8 (out of range)", error(csv(small), "128\n"));
        assertEquals("row 1, column \"a\": cannot parse '" + "9".repeat(80) + "...' as Int8", error(csv(small), "9".repeat(500) + "\n"));
        assertTrue(error(csv(ABC), "1,\"x\"y,1\n").startsWith("row 1, column 2: unexpected 'y' after a closing quote"));
        assertEquals("row 2, column 2: unterminated quoted field at end of input", error(csv(ABC), "1,x,1\n2,\"abc,3\n"));
        assertEquals("empty input: no CSV records", error(csv(ABC), ""));
        assertEquals("empty input: no CSV records", error(csv(ABC), "\n\r\n"));
        assertEquals("row 1, column \"b\": cannot parse 'maybe' as Bool", error(csv(schema("a", opt(I64), "b", opt(new DataType.Bool()))), "1,maybe\n"));
        assertEquals("row 1, column \"d\": cannot parse '1.005' as Decimal(5,2) (more than 2 fraction digits)",
                error(csv(schema("d", opt(new DataType.Decimal(5, 2)))), "1.005\n"));
        assertEquals("row 1, column \"d\": cannot parse '12345.5' as Decimal(5,2) (more than 5 digits)",
                error(csv(schema("d", opt(new DataType.Decimal(5, 2)))), "12345.5\n"));
    }

    @Test
    void recordLongerThanLimitIsAnError() {
        String m = error(csv(ABC), in("1,\"" + "x".repeat(5000)), ReadOptions.defaults().maxRecordBytes(2048));
        assertTrue(m.contains("record longer than 2048 bytes"), m);
    }

    @Test
    void smallBatchesAndTinyReads() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 1000; i++) b.append(i).append(",\"s,").append(i).append("\",").append(i / 2.0).append('\n');
        // an input stream returning one byte per read exercises every buffer boundary
        java.io.InputStream slow = new java.io.FilterInputStream(in(b.toString())) {
            @Override
            public int read(byte[] buf, int off, int len) throws java.io.IOException {
                return super.read(buf, off, Math.min(len, 1));
            }
        };
        List<List<Object>> rows = read(csv(ABC), slow, ReadOptions.defaults().batchRows(7));
        assertEquals(1000, rows.size());
        assertEquals(row(999L, "s,999", 499.5), rows.get(999));
    }
}
