package dev.sluice.odf.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.odf.MetadataBlock;
import dev.sluice.odf.OdfFormatException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Malformed input must only ever produce OdfFormatException (or a successful decode). */
class RobustnessTest {
    /** Decodes; a success must re-encode without error. Anything but OdfFormatException fails the test. */
    static void decodeSafely(byte[] bytes, String what) {
        try {
            MetadataBlock b = BlockCodec.decode(bytes);
            BlockCodec.encode(b);
        } catch (OdfFormatException expected) {
            // fine
        } catch (Throwable t) {
            fail(what + ": " + t, t);
        }
    }

    static final List<byte[]> VALID = Corpus.blocks().stream().map(BlockCodec::encode).toList();

    @Test
    void nullAndEmpty() {
        assertThrows(OdfFormatException.class, () -> BlockCodec.decode(null));
        assertThrows(OdfFormatException.class, () -> BlockCodec.decode(new byte[0]));
        assertThrows(OdfFormatException.class, () -> BlockCodec.decode(new byte[3]));
    }

    @Test
    void everyTruncationFails() {
        for (byte[] valid : VALID) {
            for (int len = 0; len < valid.length; len++) {
                byte[] cut = Arrays.copyOf(valid, len);
                decodeSafely(cut, "truncated to " + len);
            }
        }
    }

    @Test
    void randomBytes() {
        Random rnd = new Random(42);
        for (int i = 0; i < 5000; i++) {
            byte[] b = new byte[rnd.nextInt(600)];
            rnd.nextBytes(b);
            decodeSafely(b, "random #" + i);
        }
    }

    /** Random content inside a well-formed manifest, so the inner block reader gets the garbage. */
    @Test
    void randomContentInValidManifest() {
        Random rnd = new Random(7);
        for (int i = 0; i < 5000; i++) {
            byte[] inner = new byte[rnd.nextInt(400)];
            rnd.nextBytes(inner);
            if (inner.length >= 4 && rnd.nextBoolean()) {
                // Point the root offset somewhere plausible to get past the first check more often.
                int root = 4 * rnd.nextInt(Math.max(1, inner.length / 4));
                inner[0] = (byte) root;
                inner[1] = (byte) (root >> 8);
                inner[2] = 0;
                inner[3] = 0;
            }
            decodeSafely(BlockWriter.encodeManifest(MetadataBlock.MANIFEST_KIND, 3, inner), "random content #" + i);
        }
    }

    @Test
    void singleByteMutationsOfValidBlocks() {
        Random rnd = new Random(1);
        for (byte[] valid : VALID) {
            for (int pos = 0; pos < valid.length; pos++) {
                for (int k = 0; k < 3; k++) {
                    byte[] m = valid.clone();
                    m[pos] = (byte) (k == 0 ? m[pos] ^ 0x80 : k == 1 ? m[pos] + 1 : rnd.nextInt(256));
                    decodeSafely(m, "mutation at " + pos);
                }
            }
        }
    }

    /** Offsets aliasing one another (a vector whose elements all point at the same table) stay bounded. */
    @Test
    void aliasedOffsetsAreBounded() {
        byte[] valid = BlockCodec.encode(Corpus.blocks().get(0));
        for (int shift = 1; shift < 12; shift++) {
            byte[] m = valid.clone();
            for (int i = 0; i + 4 <= m.length; i += 4 * shift) {
                m[i] = 4;
                m[i + 1] = 0;
                m[i + 2] = 0;
                m[i + 3] = 0;
            }
            decodeSafely(m, "aliased " + shift);
        }
    }

    /** Nesting is capped (like the Rust verifier's depth limit), so deep or cyclic types cannot overflow the stack. */
    @Test
    void deepNestingIsRejectedNotOverflowed() {
        assertArrayEquals(BlockCodec.encode(nestedOptions(40)), BlockCodec.encode(BlockCodec.decode(BlockCodec.encode(nestedOptions(40)))));
        assertThrows(OdfFormatException.class, () -> BlockCodec.decode(BlockCodec.encode(nestedOptions(200))));
    }

    static MetadataBlock nestedOptions(int depth) {
        dev.sluice.odf.DataType t = new dev.sluice.odf.DataType.Int8();
        for (int i = 0; i < depth; i++) t = new dev.sluice.odf.DataType.Option(t);
        var schema = new dev.sluice.odf.DataSchema(List.of(new dev.sluice.odf.DataField("x", t, null)), null);
        return new MetadataBlock(Corpus.T, Corpus.H1, 1, new dev.sluice.odf.MetadataEvent.SetDataSchema(null, schema));
    }

    @Test
    void validBlocksStillDecode() {
        for (byte[] v : VALID) assertArrayEquals(v, BlockCodec.encode(BlockCodec.decode(v)));
    }
}
