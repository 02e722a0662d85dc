package dev.sluice.data;

/** Benchmark access to package-private slice writer options. */
public final class SliceWriterProbe {
    private SliceWriterProbe() {}

    /** The options without hashing: what a slice costs to write when hashes are free. */
    public static SliceWriter.Options withoutHashes(SliceWriter.Options o) {
        return o.withoutHashes();
    }
}
