package dev.sluice.storage;

import dev.sluice.odf.DatasetId;
import dev.sluice.odf.MetadataBlock;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.OdfFormatException;
import dev.sluice.odf.codec.BlockCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Questions about chains that may have been rewritten ({@link Dataset#replaceHead}: compaction, reset). A derivative
 * remembers the input blocks it consumed; when an input's chain was rewritten those blocks are no longer on it — a
 * breaking change the transform coordinator answers with reset-and-recompute.
 */
public final class ChainRewrites {
    private ChainRewrites() {}

    /**
     * Where a chain's blocks are by sequence number (e.g. the DynamoDB block index). Answers only for the given
     * head: an index that is behind, ahead, or on another chain returns empty and the chain is walked instead.
     */
    @FunctionalInterface
    public interface SequenceIndex {
        /** Hash of the block with sequence number {@code seq} on the chain ending at {@code head}, if known. */
        Optional<Multihash> hashAt(DatasetId id, Multihash head, long seq);
    }

    /** Whether {@code block} is on {@code ds}'s current chain (walks back from the head; see the other overload). */
    public static boolean containsBlock(Dataset ds, Multihash block) {
        return containsBlock(ds, block, null);
    }

    /**
     * Whether {@code block} is on {@code ds}'s current chain. The block's own object tells its sequence number N (no
     * object: not on the chain, e.g. collected after a rewrite); then the chain's block N is looked up in
     * {@code index} when it answers for the current head, else found by walking back from the head, stopping at N:
     * cost O(1) with the index, O(head − N) block reads without.
     *
     * @param index null, or a sequence-number index consulted first
     */
    public static boolean containsBlock(Dataset ds, Multihash block, SequenceIndex index) {
        Optional<Multihash> head = ds.head();
        if (head.isEmpty()) return false;
        if (head.get().equals(block)) return true;
        Optional<MetadataBlock> target = readIfPresent(ds, block);
        if (target.isEmpty()) return false;
        long seq = target.get().sequenceNumber();
        if (index != null) {
            Optional<Multihash> indexed = index.hashAt(ds.id(), head.get(), seq);
            if (indexed.isPresent()) return indexed.get().equals(block);
        }
        for (HashedBlock b : ds.blocksFrom(head.get())) {
            long s = b.block().sequenceNumber();
            if (s == seq) return b.hash().equals(block);
            if (s < seq) return false; // the chain is shorter than the block's position
        }
        return false;
    }

    private static Optional<MetadataBlock> readIfPresent(Dataset ds, Multihash hash) {
        String key = DatasetLayout.block(ds.id(), hash);
        Optional<byte[]> bytes;
        try {
            bytes = ds.store().get(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.isEmpty()) return Optional.empty();
        Multihash actual = Multihash.sha3(bytes.get());
        if (!actual.equals(hash)) throw new CorruptDatasetException("block " + key + " is corrupt: its bytes hash to " + actual);
        try {
            return Optional.of(BlockCodec.decode(bytes.get()));
        } catch (OdfFormatException e) {
            throw new CorruptDatasetException("block " + key + " cannot be decoded: " + e.getMessage());
        }
    }
}
