package dev.sluice.cli;

import dev.sluice.odf.MetadataBlock;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.codec.BlockCodec;
import dev.sluice.storage.HashedBlock;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A dataset's blocks on a node, newest first, fetched lazily through the simple transfer protocol ({@code refs/head},
 * then {@code blocks/{hash}} back to the Seed). Every block is checked to hash to the name it was asked for.
 */
final class NodeChain implements Iterable<HashedBlock> {
    private final NodeClient client;
    private final String path;

    NodeChain(NodeClient client, String dataset) {
        this.client = client;
        this.path = NodeClient.datasetPath(dataset);
    }

    @Override
    public Iterator<HashedBlock> iterator() {
        Multihash head = Multihash.fromMultibase(new String(client.bytes(path + "/refs/head"), StandardCharsets.UTF_8).strip());
        return new Iterator<>() {
            Multihash next = head;

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public HashedBlock next() {
                if (next == null) throw new NoSuchElementException();
                byte[] bytes = client.bytes(path + "/blocks/" + next.toMultibase());
                if (!BlockCodec.hash(bytes).equals(next)) {
                    throw new IllegalStateException("block " + next.toMultibase() + " from the node does not hash to its name");
                }
                MetadataBlock block = BlockCodec.decode(bytes);
                HashedBlock b = new HashedBlock(next, block, bytes);
                next = block.prevBlockHash();
                return b;
            }
        };
    }
}
