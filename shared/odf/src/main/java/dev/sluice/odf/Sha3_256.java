package dev.sluice.odf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.MessageDigest;

/**
 * SHA3-256 (FIPS 202) as a {@link MessageDigest}. Hand-unrolled Keccak-f[1600] with the state in locals and
 * little-endian lane loads through a {@link VarHandle}: hashing slice bytes and values is a large share of ingest
 * time, and this runs ~1.6x the JDK's implementation (and faster than BouncyCastle's) on the same data. With the
 * native library on an AVX-512VL CPU ({@link NativeKeccak#absorb1}), the whole blocks of updates of at least
 * {@link #NATIVE_MIN} bytes are absorbed natively into the same state (~1.3x again); short updates and the tail stay in
 * Java. {@code -Dsluice.sha3.native=false} keeps everything in Java.
 */
final class Sha3_256 extends MessageDigest implements Cloneable {
    private static final int RATE = 136; // bytes absorbed per permutation for a 256-bit output
    private static final VarHandle LANE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final long[] RC = {
        0x0000000000000001L, 0x0000000000008082L, 0x800000000000808aL, 0x8000000080008000L,
        0x000000000000808bL, 0x0000000080000001L, 0x8000000080008081L, 0x8000000000008009L,
        0x000000000000008aL, 0x0000000000000088L, 0x0000000080008009L, 0x000000008000000aL,
        0x000000008000808bL, 0x800000000000008bL, 0x8000000000008089L, 0x8000000000008003L,
        0x8000000000008002L, 0x8000000000000080L, 0x000000000000800aL, 0x800000008000000aL,
        0x8000000080008081L, 0x8000000000008080L, 0x0000000080000001L, 0x8000000080008008L,
    };

    /**
     * Whole blocks of updates this long go native (a block costs ~300 ns in Java, ~230 natively, a call ~60 ns). Set
     * above a metadata block's usual size: loading the library costs ~30 ms, which a function's cold start should not
     * pay for the block hashes it checks (a few hundred bytes each) — only file hashing, which needs the speed, loads it.
     */
    static final int NATIVE_MIN = 4096;

    /** Initialised on the first update of at least {@link #NATIVE_MIN} bytes, not with this class. */
    private static final class Native {
        static final boolean AVAILABLE = NativeKeccak.singleAvailable();
    }

    private long[] s = new long[25];
    private byte[] buf = new byte[RATE];
    private int bufLen;

    Sha3_256() {
        super("SHA3-256");
    }

    @Override
    protected int engineGetDigestLength() {
        return 32;
    }

    @Override
    protected void engineUpdate(byte input) {
        buf[bufLen++] = input;
        if (bufLen == RATE) {
            absorb(buf, 0);
            bufLen = 0;
        }
    }

    @Override
    protected void engineUpdate(byte[] input, int off, int len) {
        if (bufLen > 0) {
            int n = Math.min(len, RATE - bufLen);
            System.arraycopy(input, off, buf, bufLen, n);
            bufLen += n;
            off += n;
            len -= n;
            if (bufLen < RATE) return;
            absorb(buf, 0);
            bufLen = 0;
        }
        if (len >= NATIVE_MIN && Native.AVAILABLE) {
            int blocks = len / RATE;
            NativeKeccak.absorb1(s, input, off, blocks);
            off += blocks * RATE;
            len -= blocks * RATE;
        }
        while (len >= RATE) {
            absorb(input, off);
            off += RATE;
            len -= RATE;
        }
        System.arraycopy(input, off, buf, 0, len);
        bufLen = len;
    }

    @Override
    protected byte[] engineDigest() {
        java.util.Arrays.fill(buf, bufLen, RATE, (byte) 0);
        buf[bufLen] ^= 0x06; // SHA3 domain separation + pad10*1
        buf[RATE - 1] ^= (byte) 0x80;
        absorb(buf, 0);
        byte[] out = new byte[32];
        for (int i = 0; i < 4; i++) LANE.set(out, i * 8, s[i]);
        engineReset();
        return out;
    }

    @Override
    protected void engineReset() {
        java.util.Arrays.fill(s, 0L);
        bufLen = 0;
    }

    @Override
    public Object clone() throws CloneNotSupportedException {
        Sha3_256 c = (Sha3_256) super.clone();
        c.s = s.clone();
        c.buf = buf.clone();
        return c;
    }

    private void absorb(byte[] b, int off) {
        long[] s = this.s;
        for (int i = 0; i < RATE / 8; i++) s[i] ^= (long) LANE.get(b, off + 8 * i);
        permute(s, 0, 1);
    }

    /** Keccak-f[1600] on the 25 lanes {@code s[base + stride * i]} (stride > 1: one of several interleaved states). */
    static void permute(long[] s, int base, int stride) {
        long a0 = s[base + stride * 0];
        long a1 = s[base + stride * 1];
        long a2 = s[base + stride * 2];
        long a3 = s[base + stride * 3];
        long a4 = s[base + stride * 4];
        long a5 = s[base + stride * 5];
        long a6 = s[base + stride * 6];
        long a7 = s[base + stride * 7];
        long a8 = s[base + stride * 8];
        long a9 = s[base + stride * 9];
        long a10 = s[base + stride * 10];
        long a11 = s[base + stride * 11];
        long a12 = s[base + stride * 12];
        long a13 = s[base + stride * 13];
        long a14 = s[base + stride * 14];
        long a15 = s[base + stride * 15];
        long a16 = s[base + stride * 16];
        long a17 = s[base + stride * 17];
        long a18 = s[base + stride * 18];
        long a19 = s[base + stride * 19];
        long a20 = s[base + stride * 20];
        long a21 = s[base + stride * 21];
        long a22 = s[base + stride * 22];
        long a23 = s[base + stride * 23];
        long a24 = s[base + stride * 24];
        for (int round = 0; round < 24; round++) {
            long c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20;
            long c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21;
            long c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22;
            long c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23;
            long c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24;
            long d0 = c4 ^ Long.rotateLeft(c1, 1);
            long d1 = c0 ^ Long.rotateLeft(c2, 1);
            long d2 = c1 ^ Long.rotateLeft(c3, 1);
            long d3 = c2 ^ Long.rotateLeft(c4, 1);
            long d4 = c3 ^ Long.rotateLeft(c0, 1);
            long b0 = (a0 ^ d0);
            long b16 = Long.rotateLeft(a5 ^ d0, 36);
            long b7 = Long.rotateLeft(a10 ^ d0, 3);
            long b23 = Long.rotateLeft(a15 ^ d0, 41);
            long b14 = Long.rotateLeft(a20 ^ d0, 18);
            long b10 = Long.rotateLeft(a1 ^ d1, 1);
            long b1 = Long.rotateLeft(a6 ^ d1, 44);
            long b17 = Long.rotateLeft(a11 ^ d1, 10);
            long b8 = Long.rotateLeft(a16 ^ d1, 45);
            long b24 = Long.rotateLeft(a21 ^ d1, 2);
            long b20 = Long.rotateLeft(a2 ^ d2, 62);
            long b11 = Long.rotateLeft(a7 ^ d2, 6);
            long b2 = Long.rotateLeft(a12 ^ d2, 43);
            long b18 = Long.rotateLeft(a17 ^ d2, 15);
            long b9 = Long.rotateLeft(a22 ^ d2, 61);
            long b5 = Long.rotateLeft(a3 ^ d3, 28);
            long b21 = Long.rotateLeft(a8 ^ d3, 55);
            long b12 = Long.rotateLeft(a13 ^ d3, 25);
            long b3 = Long.rotateLeft(a18 ^ d3, 21);
            long b19 = Long.rotateLeft(a23 ^ d3, 56);
            long b15 = Long.rotateLeft(a4 ^ d4, 27);
            long b6 = Long.rotateLeft(a9 ^ d4, 20);
            long b22 = Long.rotateLeft(a14 ^ d4, 39);
            long b13 = Long.rotateLeft(a19 ^ d4, 8);
            long b4 = Long.rotateLeft(a24 ^ d4, 14);
            a0 = b0 ^ (~b1 & b2);
            a1 = b1 ^ (~b2 & b3);
            a2 = b2 ^ (~b3 & b4);
            a3 = b3 ^ (~b4 & b0);
            a4 = b4 ^ (~b0 & b1);
            a5 = b5 ^ (~b6 & b7);
            a6 = b6 ^ (~b7 & b8);
            a7 = b7 ^ (~b8 & b9);
            a8 = b8 ^ (~b9 & b5);
            a9 = b9 ^ (~b5 & b6);
            a10 = b10 ^ (~b11 & b12);
            a11 = b11 ^ (~b12 & b13);
            a12 = b12 ^ (~b13 & b14);
            a13 = b13 ^ (~b14 & b10);
            a14 = b14 ^ (~b10 & b11);
            a15 = b15 ^ (~b16 & b17);
            a16 = b16 ^ (~b17 & b18);
            a17 = b17 ^ (~b18 & b19);
            a18 = b18 ^ (~b19 & b15);
            a19 = b19 ^ (~b15 & b16);
            a20 = b20 ^ (~b21 & b22);
            a21 = b21 ^ (~b22 & b23);
            a22 = b22 ^ (~b23 & b24);
            a23 = b23 ^ (~b24 & b20);
            a24 = b24 ^ (~b20 & b21);
            a0 ^= RC[round];
        }
        s[base + stride * 0] = a0;
        s[base + stride * 1] = a1;
        s[base + stride * 2] = a2;
        s[base + stride * 3] = a3;
        s[base + stride * 4] = a4;
        s[base + stride * 5] = a5;
        s[base + stride * 6] = a6;
        s[base + stride * 7] = a7;
        s[base + stride * 8] = a8;
        s[base + stride * 9] = a9;
        s[base + stride * 10] = a10;
        s[base + stride * 11] = a11;
        s[base + stride * 12] = a12;
        s[base + stride * 13] = a13;
        s[base + stride * 14] = a14;
        s[base + stride * 15] = a15;
        s[base + stride * 16] = a16;
        s[base + stride * 17] = a17;
        s[base + stride * 18] = a18;
        s[base + stride * 19] = a19;
        s[base + stride * 20] = a20;
        s[base + stride * 21] = a21;
        s[base + stride * 22] = a22;
        s[base + stride * 23] = a23;
        s[base + stride * 24] = a24;
    }
}
