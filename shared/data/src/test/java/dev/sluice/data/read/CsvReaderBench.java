package dev.sluice.data.read;

import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DataType;
import java.io.ByteArrayInputStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** 1M rows x 6 columns of CSV from memory into Arrow. Run: mvn -pl shared/data -am test -Dtest=CsvReaderBench -Dsurefire.excludedGroups= */
@Tag("bench")
class CsvReaderBench {
    @Test
    void csvOneMillionRows() {
        int rows = 1_000_000;
        byte[] body = CsvGen.bytes(rows);
        DataSchema s = ReadSupport.schema("t", new DataType.Timestamp(null, null), "id", new DataType.Int64(), "player", new DataType.String(),
                "score", new DataType.Float64(), "n", new DataType.Int64(), "team", new DataType.String());
        try (BufferAllocator a = new RootAllocator()) {
            for (int it = 0; it < 12; it++) {
                long t0 = System.nanoTime();
                long n = 0;
                try (RecordReader r = RecordReaders.open(ReadSupport.csv(s), new ByteArrayInputStream(body), ReadOptions.defaults().allocator(a))) {
                    while (r.hasNext()) n += r.next().getRowCount();
                }
                double sec = (System.nanoTime() - t0) / 1e9;
                if (n != rows) throw new AssertionError(n);
                System.out.printf("csv read %d rows (%.1f MB) in %.3f s: %.2f M rows/s, %.1f MB/s%n", n, body.length / 1e6, sec,
                        n / sec / 1e6, body.length / sec / 1e6);
            }
        }
    }
}
