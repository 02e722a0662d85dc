package dev.sluice.odf.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.DataType;
import dev.sluice.odf.MetadataBlock;
import dev.sluice.odf.MetadataEvent;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoundTripTest {
    @Test
    void everyCorpusBlockRoundTrips() {
        for (MetadataBlock b : Corpus.blocks()) {
            byte[] bytes = BlockCodec.encode(b);
            MetadataBlock decoded = BlockCodec.decode(bytes);
            assertEquals(b, decoded, () -> "model round trip of " + b);
            assertArrayEquals(bytes, BlockCodec.encode(decoded), () -> "byte round trip of " + b);
        }
    }

    @Test
    void executeTransformExtraIsAnAppendedFieldThatLeavesKamuBytesAlone() {
        var in = java.util.List.of(new dev.sluice.odf.ExecuteTransformInput(Corpus.id(6), Corpus.H1, Corpus.H2, 0L, 10L));
        var plain = new MetadataBlock(Corpus.T, Corpus.H1, 3, new dev.sluice.odf.MetadataEvent.ExecuteTransform(in, null, null, null, null, Corpus.T));
        var withNullExtra = new MetadataBlock(Corpus.T, Corpus.H1, 3,
                new dev.sluice.odf.MetadataEvent.ExecuteTransform(in, null, null, null, null, Corpus.T, null));
        assertArrayEquals(BlockCodec.encode(plain), BlockCodec.encode(withNullExtra));
        var extra = new dev.sluice.odf.ExtraAttributes(java.util.Map.of("sluice.dev/engine", "duckdb"));
        var tagged = new MetadataBlock(Corpus.T, Corpus.H1, 3,
                new dev.sluice.odf.MetadataEvent.ExecuteTransform(in, null, null, null, null, Corpus.T, extra));
        byte[] bytes = BlockCodec.encode(tagged);
        assertTrue(bytes.length > BlockCodec.encode(plain).length);
        assertEquals(extra, ((dev.sluice.odf.MetadataEvent.ExecuteTransform) BlockCodec.decode(bytes).event()).extra());
    }

    @Test
    void corpusCoversEveryEventAndDataType() {
        Set<Integer> eventTags = new HashSet<>();
        for (MetadataBlock b : Corpus.blocks()) eventTags.add(b.event().unionTag());
        for (int tag = 1; tag <= 13; tag++) assertTrue(eventTags.contains(tag), "event tag " + tag);

        Set<Integer> typeTags = new HashSet<>();
        collect(new DataType.Struct(Corpus.allTypeFields()), typeTags);
        for (int tag = 1; tag <= 24; tag++) assertTrue(typeTags.contains(tag), "data type tag " + tag);
    }

    private static void collect(DataType t, Set<Integer> tags) {
        tags.add(DataTypeTags.tagOf(t));
        if (t instanceof DataType.Struct s) s.fields().forEach(f -> collect(f.type(), tags));
        if (t instanceof DataType.List l) collect(l.itemType(), tags);
        if (t instanceof DataType.Map m) {
            collect(m.keyType(), tags);
            collect(m.valueType(), tags);
        }
        if (t instanceof DataType.Option o) collect(o.inner(), tags);
    }

    /** prevOffset = 0 must be written (Rust push_slot_always) and read back as 0, not as absent. */
    @Test
    void optionalScalarZeroIsPresent() {
        MetadataEvent.AddData absent = new MetadataEvent.AddData(null, null, null, null, null, null, null);
        MetadataEvent.AddData zero = new MetadataEvent.AddData(null, 0L, null, null, null, null, null);
        byte[] a = BlockCodec.encode(new MetadataBlock(Corpus.T, Corpus.H1, 1, absent));
        byte[] z = BlockCodec.encode(new MetadataBlock(Corpus.T, Corpus.H1, 1, zero));
        assertTrue(z.length > a.length, "prevOffset 0 must occupy a field");
        assertEquals(0L, ((MetadataEvent.AddData) BlockCodec.decode(z).event()).prevOffset());
        assertEquals(null, ((MetadataEvent.AddData) BlockCodec.decode(a).event()).prevOffset());
    }

    /** The ExtraAttributes string inside an AddData block is exactly serde_json's text. */
    @Test
    void addDataExtraAttributesJsonIsGoldenText() {
        String golden = "{\"opendatafabric.org/linkedObjects\":{\"numObjectsNaive\":10,\"sizeNaive\":100}}";
        MetadataBlock b = new MetadataBlock(Corpus.T, Corpus.H1, 5,
                new MetadataEvent.AddData(null, null, null, null, null, null, Corpus.linkedObjects()));
        byte[] bytes = BlockCodec.encode(b);
        // A FlatBuffers string: u32 length (LE), UTF-8 bytes, NUL terminator.
        byte[] text = golden.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] expected = new byte[4 + text.length + 1];
        expected[0] = (byte) text.length;
        System.arraycopy(text, 0, expected, 4, text.length);
        assertTrue(indexOf(bytes, expected) >= 0, "golden JSON string not found in block bytes");
        assertEquals(Corpus.linkedObjects(), ((MetadataEvent.AddData) BlockCodec.decode(bytes).event()).extra());
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
