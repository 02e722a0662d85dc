package dev.sluice.data.read;

import static dev.sluice.data.read.ReadSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DataType;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingAndDuckDbTest {
    @TempDir
    Path dir;

    /** ~200 MB of CSV generated on the fly, read with a heap (-Xmx128m) and Arrow memory far below the input size. */
    @Test
    void largeCsvStreams() {
        long rows = 3_000_000;
        DataSchema s = schema("t", new DataType.Timestamp(null, null), "id", new DataType.Int64(), "player", new DataType.String(),
                "score", new DataType.Float64(), "n", new DataType.Int64(), "team", new DataType.String());
        long maxHeap = Runtime.getRuntime().maxMemory();
        long[] count = new long[1];
        long[] bytes = new long[1];
        InputStream gen = new CsvGen(rows) {
            @Override
            public int read(byte[] b, int off, int len) {
                int n = super.read(b, off, len);
                if (n > 0) bytes[0] += n;
                return n;
            }
        };
        long idSum = 0;
        try (BufferAllocator a = new RootAllocator(); RecordReader r = RecordReaders.open(csv(s), gen, ReadOptions.defaults().allocator(a))) {
            while (r.hasNext()) {
                VectorSchemaRoot b = r.next();
                BigIntVector id = (BigIntVector) b.getVector("id");
                for (int i = 0; i < b.getRowCount(); i++) idSum += id.get(i);
                count[0] += b.getRowCount();
            }
            assertTrue(a.getPeakMemoryAllocation() < 64L << 20, "Arrow peak " + a.getPeakMemoryAllocation());
        }
        assertEquals(rows, count[0]);
        assertEquals(rows * (rows - 1) / 2, idSum);
        assertTrue(bytes[0] > 190_000_000L, "generated only " + bytes[0]);
        long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.out.printf("streamed %d bytes of CSV; max heap %d MB, sum of heap pool peaks %d MB%n", bytes[0], maxHeap >> 20, peakHeap >> 20);
        assertTrue(maxHeap < bytes[0], "test must run with a heap smaller than the input (surefire -Xmx128m)");
    }

    /** A random CSV with quotes, escapes, embedded separators/newlines and nulls gives the same values as DuckDB's read_csv. */
    @Test
    void csvMatchesDuckDb() throws Exception {
        Random r = new Random(1234);
        int rows = 2000;
        StringBuilder b = new StringBuilder("id,s,x,y,f\n");
        List<Object[]> expected = new ArrayList<>();
        String alphabet = "abc ,\"\\\nxé😀;'\t";
        for (int i = 0; i < rows; i++) {
            String s = null;
            String enc = "";
            if (r.nextInt(8) != 0) {
                StringBuilder v = new StringBuilder();
                int len = 1 + r.nextInt(12);
                for (int k = 0; k < len; k++) v.appendCodePoint(alphabet.codePoints().toArray()[r.nextInt((int) alphabet.codePoints().count())]);
                s = v.toString();
                boolean needQuote = s.contains(",") || s.contains("\"") || s.contains("\\") || s.contains("\n") || s.startsWith(" ") || s.endsWith(" ")
                        || s.contains("\t") || r.nextBoolean();
                enc = needQuote ? "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : s;
            }
            Long x = r.nextInt(6) == 0 ? null : r.nextLong() >> r.nextInt(60);
            Double y = r.nextInt(6) == 0 ? null : r.nextInt(3) == 0 ? (double) r.nextInt(1000) : r.nextGaussian() * Math.pow(10, r.nextInt(20) - 10);
            Boolean f = r.nextInt(6) == 0 ? null : r.nextBoolean();
            b.append(i).append(',').append(enc).append(',').append(x == null ? "" : x.toString()).append(',')
                    .append(y == null ? "" : y.toString()).append(',').append(f == null ? "" : f.toString()).append('\n');
            expected.add(new Object[] {(long) i, s, x, y, f});
        }
        Path file = dir.resolve("r.csv");
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);

        DataSchema sc = schema("id", new DataType.Int64(), "s", opt(new DataType.String()), "x", opt(new DataType.Int64()),
                "y", opt(new DataType.Float64()), "f", opt(new DataType.Bool()));
        List<List<Object>> ours = read(csv(sc, null, null, null, null, true, null, null, null), Files.newInputStream(file), ReadOptions.defaults().batchRows(333));

        List<List<Object>> duck = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM read_csv('" + file + "', header=true, delim=',', quote='\"', escape='\\', "
                     + "nullstr='', allow_quoted_nulls=false, columns={'id':'BIGINT','s':'VARCHAR','x':'BIGINT','y':'DOUBLE','f':'BOOLEAN'}) ORDER BY id")) {
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                row.add(rs.getLong(1));
                row.add(rs.getString(2));
                row.add(rs.getObject(3) == null ? null : rs.getLong(3));
                row.add(rs.getObject(4) == null ? null : rs.getDouble(4));
                row.add(rs.getObject(5) == null ? null : rs.getBoolean(5));
                duck.add(row);
            }
        }
        assertEquals(rows, ours.size());
        assertEquals(rows, duck.size());
        for (int i = 0; i < rows; i++) {
            assertEquals(duck.get(i), ours.get(i), "row " + (i + 1));
            assertEquals(Arrays.asList(expected.get(i)), ours.get(i), "row " + (i + 1) + " vs generator");
        }
    }
}
