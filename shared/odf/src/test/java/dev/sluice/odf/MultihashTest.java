package dev.sluice.odf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MultihashTest {
    // Vectors from kamu-cli's multiformats tests (see ../shared/fixtures/README.md).
    static final String MULTIHASH = "f162008c3792b2a4deed1bd7ea2328fb5de5531eccf0fbfa04a7d800cdc267137c635";
    static final String MULTIHASH_B58 = "zW1a3CNT52HXiJNniLkWMeev3CPRy9QiNRMWGyTrVNg4hY8";
    static final String PREV = "f16209eb949bd8ff0bb1d827f11809aebc6bd0d5955c7f368469a913c70d196620272";

    @Test
    void sha3MatchesKamuVectors() {
        assertEquals(MULTIHASH, Multihash.sha3("multihash").toMultibase());
        assertEquals(PREV, Multihash.sha3("prev").toMultibase());
        assertEquals("7137c635", Multihash.sha3("multihash").shortForm());
    }

    @Test
    void base58AndUppercaseBase16ParseEqual() {
        Multihash h = Multihash.fromMultibase(MULTIHASH);
        assertEquals(MULTIHASH_B58, h.toBase58());
        assertEquals(h, Multihash.fromMultibase(MULTIHASH_B58));
        assertEquals(h, Multihash.fromMultibase("F" + MULTIHASH.substring(1).toUpperCase()));
        assertArrayEquals(h.toBytes(), Multihash.fromBytes(h.toBytes()).toBytes());
    }

    @Test
    void logicalHashCodeIsAMultiByteVarint() {
        Multihash h = new Multihash(Multihash.ARROW0_SHA3_256, new byte[32]);
        assertTrue(h.toMultibase().startsWith("f9680c00120"), h.toMultibase());
        assertEquals(h, Multihash.fromMultibase(h.toMultibase()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "f", "f1620", "f1620zz", "f16200", "x1620ab", "f1620" + "00", "z0OIl", "f1621aabb", "\u0000", "f1620\n"})
    void badHashStringsAreRejectedClearly(String bad) {
        OdfFormatException e = assertThrows(OdfFormatException.class, () -> Multihash.fromMultibase(bad));
        assertTrue(e.getMessage().contains("hash"), e.getMessage());
        assertTrue(e.getMessage().chars().noneMatch(c -> c < 0x20), "message has no control characters");
    }

    @Test
    void datasetIdsRoundTrip() {
        DatasetId id = DatasetId.generate();
        assertTrue(id.toDid().startsWith("did:odf:fed01"));
        assertEquals(8 + 5 + 64, id.toDid().length());
        assertEquals(id, DatasetId.parse(id.toDid()));
        assertEquals(id, DatasetId.parse(id.toMultibase()));
        assertEquals(id, DatasetId.fromBytes(id.toBytes()));
        DatasetId known = DatasetId.parse("did:odf:fed012126262ba49e1ba8392c26f7a39e1ba8d756c7469786d3365200c68402ff65dc");
        assertEquals("did:odf:fed012126262ba49e1ba8392c26f7a39e1ba8d756c7469786d3365200c68402ff65dc", known.toDid());
        assertThrows(OdfFormatException.class, () -> DatasetId.parse("did:odf:f1620aa"));
        assertThrows(OdfFormatException.class, () -> DatasetId.parse("did:odf:../etc"));
    }
}
