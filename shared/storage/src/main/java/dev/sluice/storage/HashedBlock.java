package dev.sluice.storage;

import dev.sluice.odf.MetadataBlock;
import dev.sluice.odf.Multihash;

/** A block with its hash (= object name) and the exact stored bytes it was decoded from. */
public record HashedBlock(Multihash hash, MetadataBlock block, byte[] bytes) {}
