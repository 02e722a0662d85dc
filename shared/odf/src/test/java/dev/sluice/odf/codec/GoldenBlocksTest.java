package dev.sluice.odf.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.CompressionFormat;
import dev.sluice.odf.DataField;
import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DataSlice;
import dev.sluice.odf.DataType;
import dev.sluice.odf.EventTimeSource;
import dev.sluice.odf.ExtraAttributes;
import dev.sluice.odf.FetchStep;
import dev.sluice.odf.MergeStrategy;
import dev.sluice.odf.MetadataBlock;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.odf.PrepStep;
import dev.sluice.odf.ReadStep;
import dev.sluice.odf.SourceCaching;
import dev.sluice.odf.SourceOrdering;
import dev.sluice.odf.Transform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Block hashes that kamu-cli's own serializer produces (fixtures/golden/blocks and fixtures/README.md). */
class GoldenBlocksTest {
    static final Instant T2020 = Instant.parse("2020-01-01T12:00:00Z");
    static final Multihash PREV = Multihash.sha3("prev");

    /** Expected hash from the first-line comment of a golden YAML file. */
    static String expectedHash(String file) throws IOException {
        Path p = Fixtures.fixtures().resolve("golden/blocks").resolve(file);
        String first = Files.readAllLines(p, StandardCharsets.UTF_8).get(0);
        Matcher m = Pattern.compile("expected block hash: (f1620[0-9a-f]{64})").matcher(first);
        assertTrue(m.find(), "no hash in " + first);
        return m.group(1);
    }

    static void assertHash(String expected, MetadataBlock block) {
        byte[] bytes = BlockCodec.encode(block);
        assertEquals(expected, BlockCodec.hash(bytes).toMultibase());
        assertEquals(block, BlockCodec.decode(bytes));
    }

    @Test
    void sha3OfPrevMatchesReadme() {
        assertEquals("f16209eb949bd8ff0bb1d827f11809aebc6bd0d5955c7f368469a913c70d196620272", PREV.toMultibase());
    }

    @Test
    void setInfoFoo() throws IOException {
        MetadataBlock b = new MetadataBlock(
                Instant.parse("2050-01-01T12:00:00Z"), null, 0, new MetadataEvent.SetInfo("foo", null));
        byte[] bytes = BlockCodec.encode(b);
        assertEquals(120, bytes.length);
        assertHash(expectedHash("set-info-foo.yaml"), b);
    }

    @Test
    void addDataEmpty() throws IOException {
        MetadataBlock b = new MetadataBlock(T2020, PREV, 117,
                new MetadataEvent.AddData(null, null, null, null, null, null, null));
        assertHash(expectedHash("add-data-empty.yaml"), b);
    }

    @Test
    void addDataFull() throws IOException {
        MetadataBlock b = new MetadataBlock(T2020, PREV, 117, new MetadataEvent.AddData(
                PREV,
                9L,
                new DataSlice(
                        Multihash.fromMultibase("f16208aa0c7713491425f3815c269391bd101995919065e784e66e01433d47cfc6a61"),
                        Multihash.fromMultibase("f16201970ee21101d110c448f2b72aec873f9be2b4e5403a5fdf88e18ca4430d8b1cb"),
                        new OffsetInterval(10, 99),
                        100),
                null,
                T2020,
                null,
                null));
        assertHash(expectedHash("add-data-full.yaml"), b);
    }

    static MetadataEvent.SetPollingSource pollingSource(ReadStep read) {
        return new MetadataEvent.SetPollingSource(
                new FetchStep.FilesGlob("./*.csv", new EventTimeSource.FromMetadata(), new SourceCaching.Forever(), SourceOrdering.ByName),
                List.of(new PrepStep.Decompress(CompressionFormat.Gzip, null)),
                read,
                new Transform.Sql("spark", "1.0.0", "SELECT * FROM input", null, null),
                new MergeStrategy.Ledger(List.of("a")));
    }

    @Test
    void setPollingSourceWithDdlSchema() {
        MetadataBlock b = new MetadataBlock(T2020, PREV, 117,
                pollingSource(new ReadStep.GeoJson(null, List.of("a: INT", "b: INT"))));
        assertHash("f1620eb61498b7362d334131a8486a5ce4cc2638d7c1aa3e4da82a19cf834a77df718", b);
    }

    @Test
    void setPollingSourceWithDataSchema() {
        DataSchema schema = new DataSchema(List.of(
                new DataField("a", new DataType.Int32(), null),
                new DataField("b", new DataType.Int32(), null)), null);
        MetadataBlock b = new MetadataBlock(T2020, PREV, 117, pollingSource(new ReadStep.GeoJson(schema, null)));
        assertHash("f1620f96c90e9e9700819ba05d87f66b200a18a08404706ac62cde6d68bc350e73861", b);
    }
}
