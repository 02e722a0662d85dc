package dev.sluice.odf;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;

/**
 * A dataset identity {@code did:odf:fed01<ed25519 public key hex>}. Binary form (Seed, ExecuteTransformInput,
 * oracle CBOR) is the 34 bytes {@code ed 01 <key>}; the storage folder name is the multibase part.
 */
public final class DatasetId implements Comparable<DatasetId> {
    public static final String PREFIX = "did:odf:";
    private static final byte[] ED25519_PUB = {(byte) 0xed, 0x01};

    private final byte[] publicKey;

    private DatasetId(byte[] publicKey) {
        if (publicKey.length != 32) throw new OdfFormatException("ed25519 public key must be 32 bytes, got " + publicKey.length);
        this.publicKey = publicKey.clone();
    }

    public static DatasetId ofPublicKey(byte[] key) {
        return new DatasetId(key);
    }

    /** New identity from a fresh ed25519 key pair (the private key is not kept here). */
    public static DatasetId generate() {
        return ofKeyPair(newKeyPair());
    }

    public static KeyPair newKeyPair() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 not available", e);
        }
    }

    public static DatasetId ofKeyPair(KeyPair kp) {
        byte[] x509 = kp.getPublic().getEncoded(); // SubjectPublicKeyInfo: 12-byte header + 32-byte key
        return new DatasetId(Arrays.copyOfRange(x509, x509.length - 32, x509.length));
    }

    public static DatasetId fromBytes(byte[] bytes) {
        if (bytes.length != 34 || bytes[0] != ED25519_PUB[0] || bytes[1] != ED25519_PUB[1]) {
            throw new OdfFormatException("dataset id bytes must be 34 bytes starting with ed01 (ed25519-pub)");
        }
        return new DatasetId(Arrays.copyOfRange(bytes, 2, 34));
    }

    /** Parses {@code did:odf:<multibase>} or the bare multibase folder name. */
    public static DatasetId parse(String text) {
        if (text == null) throw new OdfFormatException("missing dataset id");
        String s = text.strip();
        String mb = s.startsWith(PREFIX) ? s.substring(PREFIX.length()) : s;
        try {
            return fromBytes(Multibase.decode(mb));
        } catch (OdfFormatException e) {
            throw new OdfFormatException("invalid dataset id " + Multibase.shorten(s) + ": " + e.getMessage());
        }
    }

    public static boolean looksLikeId(String text) {
        return text != null && text.startsWith(PREFIX);
    }

    public byte[] toBytes() {
        byte[] out = new byte[34];
        out[0] = ED25519_PUB[0];
        out[1] = ED25519_PUB[1];
        System.arraycopy(publicKey, 0, out, 2, 32);
        return out;
    }

    /** Multibase (base16) part, used as the dataset's folder name. */
    public String toMultibase() {
        return Multibase.encodeBase16(toBytes());
    }

    public String toDid() {
        return PREFIX + toMultibase();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatasetId d && Arrays.equals(d.publicKey, publicKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }

    @Override
    public int compareTo(DatasetId o) {
        return toDid().compareTo(o.toDid());
    }

    @Override
    public String toString() {
        return toDid();
    }
}
