package dev.sluice.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;

/** The benchmark input: N rows × 6 columns (timestamp, bigint, varchar, double, bigint, varchar), ~55 bytes a row. */
final class CsvFile {
    static final String HEADER = "event_time,id,name,value,count,tag";
    static final String SCHEMA_YAML = """
                        fields:
                          - {name: event_time, type: timestamp}
                          - {name: id, type: int64}
                          - {name: name, type: string}
                          - {name: value, type: float64}
                          - {name: count, type: int64}
                          - {name: tag, type: string}
            """;

    private CsvFile() {}

    static Path write(Path file, long rows) throws IOException {
        Random rnd = new Random(1);
        long t0 = Instant.parse("2024-01-01T00:00:00Z").getEpochSecond();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(HEADER);
            w.write('\n');
            StringBuilder sb = new StringBuilder(128);
            for (long i = 0; i < rows; i++) {
                sb.setLength(0);
                sb.append(Instant.ofEpochSecond(t0 + i)).append(',')
                        .append(i).append(',')
                        .append("name-").append(rnd.nextInt(100_000)).append(',')
                        .append(rnd.nextInt(1_000_000) / 100.0).append(',')
                        .append(rnd.nextInt(1000)).append(',')
                        .append((char) ('a' + rnd.nextInt(26))).append((char) ('a' + rnd.nextInt(26))).append('\n');
                w.append(sb);
            }
        }
        return file;
    }

    static String manifest(String name, String merge) {
        return """
                kind: DatasetSnapshot
                version: 1
                content:
                  name: %s
                  kind: Root
                  metadata:
                    - kind: AddPushSource
                      sourceName: default
                      read:
                        kind: Csv
                        header: true
                        schema:
                %s
                      merge:
                        kind: %s
                """.formatted(name, SCHEMA_YAML.stripTrailing(), merge);
    }
}
