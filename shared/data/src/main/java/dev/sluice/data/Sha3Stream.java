package dev.sluice.data;

import java.security.MessageDigest;

/** A SHA3-256 over the bytes fed to it, in order: what {@link DigestingOutputFile} hashes a file's bytes into. */
interface Sha3Stream {
    void update(byte[] b, int off, int len);

    /** The digest of everything fed; once. */
    byte[] digest();

    /** Over a {@link MessageDigest} (e.g. {@code Multihash.newSha3()}). */
    static Sha3Stream of(MessageDigest md) {
        return new Sha3Stream() {
            @Override
            public void update(byte[] b, int off, int len) {
                md.update(b, off, len);
            }

            @Override
            public byte[] digest() {
                return md.digest();
            }
        };
    }
}
