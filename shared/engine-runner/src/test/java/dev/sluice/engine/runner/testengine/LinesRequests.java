package dev.sluice.engine.runner.testengine;

import dev.sluice.engine.TransformRequest;
import dev.sluice.engine.TransformRequestInput;
import dev.sluice.engine.Watermark;
import dev.sluice.odf.DatasetId;
import dev.sluice.odf.DatasetVocabulary;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.odf.Transform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds transform requests for {@link LinesEngine} over small text inputs written into a directory. */
public final class LinesRequests {
    public static final DatasetId OUTPUT = DatasetId.ofPublicKey(new byte[32]);
    public static final DatasetId INPUT = DatasetId.ofPublicKey(filled((byte) 7));
    public static final Instant SYSTEM_TIME = Instant.parse("2026-01-02T03:04:05Z");
    public static final Instant EVENT_TIME = Instant.parse("2026-01-01T00:00:00Z");

    private LinesRequests() {}

    /**
     * A request reading two input slices ({@code apple, banana, avocado} and {@code cherry, apricot}) with
     * {@code query}, writing {@code dir/out.data} and {@code dir/out.checkpoint}.
     */
    public static TransformRequest request(Path dir, String dialect, String query, Path prevCheckpoint) throws IOException {
        Files.createDirectories(dir);
        Path in1 = Files.write(dir.resolve("slice-1.txt"), List.of("apple", "banana", "avocado"));
        Path in2 = Files.write(dir.resolve("slice-2.txt"), List.of("cherry", "apricot"));
        return request(dir, dialect, query, List.of(in1, in2), prevCheckpoint);
    }

    public static TransformRequest request(Path dir, String dialect, String query, List<Path> inputs, Path prevCheckpoint) {
        TransformRequestInput input = new TransformRequestInput(
                INPUT, "fruit", "fruit", DatasetVocabulary.DEFAULT, new OffsetInterval(0, 4), new ArrayList<>(inputs),
                null, List.of(new Watermark(SYSTEM_TIME, EVENT_TIME)));
        return new TransformRequest(
                OUTPUT, "fruit-a", SYSTEM_TIME, DatasetVocabulary.DEFAULT,
                new Transform.Sql(dialect, null, query, null, null),
                List.of(input), 10, prevCheckpoint, dir.resolve("out.checkpoint"), dir.resolve("out.data"));
    }

    /** The data file {@code grep a} yields from {@link #request(Path, String, String, Path)}, offsets from 10. */
    public static final List<String> GREP_A_DATA = List.of("10\tapple", "11\tbanana", "12\tavocado", "13\tapricot");

    private static byte[] filled(byte b) {
        byte[] out = new byte[32];
        java.util.Arrays.fill(out, b);
        return out;
    }
}
