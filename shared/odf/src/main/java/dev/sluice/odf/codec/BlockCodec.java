package dev.sluice.odf.codec;

import dev.sluice.odf.MetadataBlock;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.OdfFormatException;

/**
 * Binary ODF metadata blocks, byte-for-byte as kamu-cli writes them: a FlatBuffers
 * {@code Manifest{kind = 0x400000, version = 3, content = <finished MetadataBlock buffer>}}.
 *
 * <p>The block hash is SHA3-256 over the exact stored bytes ({@link #hash}); FlatBuffers output is not
 * canonical, so blocks received from elsewhere must be stored and hashed as received, never re-encoded.
 */
public final class BlockCodec {
    /** Manifest versions this reader accepts: 2 (unaligned Timestamp structs) and 3 (current). */
    public static final int MIN_READ_VERSION = 2;

    private BlockCodec() {}

    /** Encodes a block into the manifest bytes kamu would store for it. */
    public static byte[] encode(MetadataBlock block) {
        byte[] inner = BlockWriter.encodeBlock(block);
        return BlockWriter.encodeManifest(MetadataBlock.MANIFEST_KIND, MetadataBlock.MANIFEST_VERSION, inner);
    }

    /**
     * Decodes manifest bytes (versions 2 and 3). Any malformed input, including random or truncated bytes,
     * fails with {@link OdfFormatException}.
     */
    public static MetadataBlock decode(byte[] bytes) {
        if (bytes == null) throw new OdfFormatException("no metadata block bytes");
        try {
            BlockReader.Manifest m = BlockReader.readManifest(bytes);
            if (m.kind() != MetadataBlock.MANIFEST_KIND) {
                throw new OdfFormatException(String.format(
                        "not a metadata block: manifest kind 0x%x, expected 0x%x", m.kind(), MetadataBlock.MANIFEST_KIND));
            }
            if (m.version() < MIN_READ_VERSION || m.version() > MetadataBlock.MANIFEST_VERSION) {
                throw new OdfFormatException("unsupported metadata block manifest version " + m.version()
                        + " (supported: " + MIN_READ_VERSION + ".." + MetadataBlock.MANIFEST_VERSION + ")");
            }
            if (m.content() == null) throw new OdfFormatException("metadata block manifest has no content");
            return BlockReader.readBlock(m.content());
        } catch (OdfFormatException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // Defensive: the reader validates offsets, but no other exception type may escape on bad input.
            throw new OdfFormatException("malformed metadata block: " + e, e);
        }
    }

    /** Block hash: sha3-256 multihash over the exact stored bytes. */
    public static Multihash hash(byte[] storedBytes) {
        return Multihash.sha3(storedBytes);
    }
}
