package dev.sluice.odf.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.flatbuffers.FlatBufferBuilder;
import dev.sluice.odf.MetadataBlock;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.OdfFormatException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ManifestTest {
    static final Instant TIME = Instant.parse("2024-02-29T23:59:58.123456789Z");

    /**
     * A SetInfo block laid out like the pre-0.265 kamu writer (manifest v2): the Timestamp struct placed at a
     * non-4-aligned position. Built by hand: the struct is written with 1-byte alignment after a 1-byte field.
     */
    static byte[] unalignedV2Block() {
        FlatBufferBuilder fb = new FlatBufferBuilder(256);
        int desc = fb.createString("old");
        fb.startTable(0);
        int info = fb.endTable();
        fb.startTable(2);
        fb.addOffset(0, desc, 0);
        int setInfo = fb.endTable();
        fb.startTable(5);
        fb.addOffset(4, setInfo, 0);
        fb.addLong(2, 7, 0);
        fb.addByte(3, (byte) 8, 0);
        // Timestamp written back to front without alignment.
        fb.prep(1, 16);
        fb.putInt(TIME.getNano());
        fb.putInt((23 * 60 + 59) * 60 + 58);
        fb.pad(2);
        fb.putShort((short) 60);
        fb.putInt(2024);
        int ts = fb.offset();
        fb.addStruct(0, ts, 0);
        int root = fb.endTable();
        fb.finish(root);
        byte[] inner = fb.sizedByteArray();
        int structPos = inner.length - ts;
        assertNotEquals(0, structPos % 4, "test setup: struct should be unaligned");
        assertTrue(info > 0);
        return BlockWriter.encodeManifest(MetadataBlock.MANIFEST_KIND, 2, inner);
    }

    @Test
    void readsVersion2WithUnalignedTimestamp() {
        MetadataBlock b = BlockCodec.decode(unalignedV2Block());
        assertEquals(new MetadataBlock(TIME, null, 7, new MetadataEvent.SetInfo("old", null)), b);
    }

    @Test
    void rejectsOtherVersionsAndKinds() {
        byte[] inner = BlockWriter.encodeBlock(new MetadataBlock(TIME, null, 0, new MetadataEvent.SetInfo("x", null)));
        for (int v : new int[] {0, 1, 4, 99, -3}) {
            OdfFormatException e = assertThrows(OdfFormatException.class,
                    () -> BlockCodec.decode(BlockWriter.encodeManifest(MetadataBlock.MANIFEST_KIND, v, inner)));
            assertTrue(e.getMessage().contains("version " + v), e.getMessage());
        }
        OdfFormatException e = assertThrows(OdfFormatException.class,
                () -> BlockCodec.decode(BlockWriter.encodeManifest(0x400001, 3, inner)));
        assertTrue(e.getMessage().contains("0x400001"), e.getMessage());
        assertEquals("x", ((MetadataEvent.SetInfo) BlockCodec.decode(BlockWriter.encodeManifest(MetadataBlock.MANIFEST_KIND, 3, inner)).event()).description());
    }

    @Test
    void hashIsSha3OfStoredBytes() {
        byte[] bytes = BlockCodec.encode(new MetadataBlock(TIME, null, 0, new MetadataEvent.SetInfo("x", null)));
        assertEquals(dev.sluice.odf.Multihash.sha3(bytes), BlockCodec.hash(bytes));
        assertTrue(BlockCodec.hash(bytes).toMultibase().startsWith("f1620"));
    }
}
