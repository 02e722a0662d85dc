package dev.sluice.engine.runner.testengine;

import dev.sluice.engine.Engine;
import dev.sluice.engine.TransformRequest;
import dev.sluice.engine.TransformRequestInput;
import dev.sluice.engine.TransformResponse;
import dev.sluice.engine.Watermark;
import dev.sluice.odf.OffsetInterval;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A small deterministic engine for transport tests (the real engine is DuckDB): inputs are text files, one record per
 * line. Queries:
 * <ul>
 *   <li>{@code grep TEXT}: the lines containing TEXT, written as {@code <offset>\t<line>} from {@code nextOffset} on;
 *       the checkpoint counts runs ({@code runs=N}) and names the build that wrote it</li>
 *   <li>{@code invalid: MSG} → InvalidQuery; {@code fail: MSG} → InternalError; {@code throw} → an exception;
 *       {@code oom} → an {@link OutOfMemoryError} (what a runtime reports as a function error);
 *       {@code lie} → Success with rows but no data file</li>
 * </ul>
 * The build is {@code lines/<system property sluice.test.lines.build, default 1>}, so one class path can pose as
 * several engine versions.
 */
public final class LinesEngine implements Engine {
    public static final String NAME = "lines";
    public static final String BUILD_PROPERTY = "sluice.test.lines.build";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String build() {
        return "lines/" + System.getProperty(BUILD_PROPERTY, "1");
    }

    @Override
    public TransformResponse transform(TransformRequest request) {
        String query = request.transform().outputQuery();
        if (query.startsWith("invalid:")) return new TransformResponse.InvalidQuery(query.substring(8).trim());
        if (query.startsWith("fail:")) return new TransformResponse.InternalError(query.substring(5).trim(), null);
        if (query.equals("throw")) throw new IllegalStateException("simulated engine crash");
        if (query.equals("oom")) throw new OutOfMemoryError("simulated out of memory");
        if (query.equals("lie")) return new TransformResponse.Success(new OffsetInterval(0, 0), null);
        if (!query.startsWith("grep ")) return new TransformResponse.InvalidQuery("lines engine understands 'grep TEXT', got: " + query);
        String needle = query.substring(5);
        try {
            List<String> out = new ArrayList<>();
            long offset = request.nextOffset();
            Instant watermark = null;
            for (TransformRequestInput input : request.queryInputs()) {
                for (Path file : input.dataPaths()) {
                    for (String line : Files.readAllLines(file)) {
                        if (line.contains(needle)) out.add((offset++) + "\t" + line);
                    }
                }
                for (Watermark w : input.explicitWatermarks()) {
                    if (watermark == null || w.eventTime().isAfter(watermark)) watermark = w.eventTime();
                }
            }
            long runs = 0;
            if (request.prevCheckpointPath() != null) {
                for (String line : Files.readAllLines(request.prevCheckpointPath())) {
                    if (line.startsWith("runs=")) runs = Long.parseLong(line.substring(5));
                }
            }
            Files.writeString(request.newCheckpointPath(), "runs=" + (runs + 1) + "\nbuild=" + build() + "\n");
            if (out.isEmpty()) return new TransformResponse.Success(null, watermark);
            Files.write(request.newDataPath(), out);
            return new TransformResponse.Success(new OffsetInterval(request.nextOffset(), offset - 1), watermark);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
