package dev.sluice.odf;

import java.util.List;

/** Preparation of fetched data before reading; permits order = FlatBuffers union order. */
public sealed interface PrepStep {
    default String kind() {
        return getClass().getSimpleName();
    }

    record Decompress(CompressionFormat format, String subPath) implements PrepStep {}

    record Pipe(List<String> command) implements PrepStep {}
}
