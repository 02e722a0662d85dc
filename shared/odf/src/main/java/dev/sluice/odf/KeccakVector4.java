package dev.sluice.odf;

import static jdk.incubator.vector.VectorOperators.AND_NOT;
import static jdk.incubator.vector.VectorOperators.ROL;
import static jdk.incubator.vector.VectorOperators.XOR;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Keccak-f[1600] on four interleaved states at once with the (incubating) Vector API: 256-bit vectors, one 64-bit
 * Keccak lane of each state per vector element. Only loaded by {@link Sha3Lanes} when the JVM was started with
 * {@code --add-modules jdk.incubator.vector}. Generated from the same round structure as {@link Sha3_256#permute}.
 */
final class KeccakVector4 {
    private static final VectorSpecies<Long> S = LongVector.SPECIES_256;
    private static final LongVector[] RCV = new LongVector[Sha3_256.RC.length];

    static {
        for (int i = 0; i < RCV.length; i++) RCV[i] = LongVector.broadcast(S, Sha3_256.RC[i]);
    }

    private KeccakVector4() {}

    /** Permutes the four states in {@code st}: lane {@code i} of state {@code k} is {@code st[4 * i + k]}. */
    static void permute(long[] st) {
        LongVector a0 = LongVector.fromArray(S, st, 0);
        LongVector a1 = LongVector.fromArray(S, st, 4);
        LongVector a2 = LongVector.fromArray(S, st, 8);
        LongVector a3 = LongVector.fromArray(S, st, 12);
        LongVector a4 = LongVector.fromArray(S, st, 16);
        LongVector a5 = LongVector.fromArray(S, st, 20);
        LongVector a6 = LongVector.fromArray(S, st, 24);
        LongVector a7 = LongVector.fromArray(S, st, 28);
        LongVector a8 = LongVector.fromArray(S, st, 32);
        LongVector a9 = LongVector.fromArray(S, st, 36);
        LongVector a10 = LongVector.fromArray(S, st, 40);
        LongVector a11 = LongVector.fromArray(S, st, 44);
        LongVector a12 = LongVector.fromArray(S, st, 48);
        LongVector a13 = LongVector.fromArray(S, st, 52);
        LongVector a14 = LongVector.fromArray(S, st, 56);
        LongVector a15 = LongVector.fromArray(S, st, 60);
        LongVector a16 = LongVector.fromArray(S, st, 64);
        LongVector a17 = LongVector.fromArray(S, st, 68);
        LongVector a18 = LongVector.fromArray(S, st, 72);
        LongVector a19 = LongVector.fromArray(S, st, 76);
        LongVector a20 = LongVector.fromArray(S, st, 80);
        LongVector a21 = LongVector.fromArray(S, st, 84);
        LongVector a22 = LongVector.fromArray(S, st, 88);
        LongVector a23 = LongVector.fromArray(S, st, 92);
        LongVector a24 = LongVector.fromArray(S, st, 96);
        for (int round = 0; round < 24; round++) {
          LongVector c0 = a0.lanewise(XOR, a5).lanewise(XOR, a10).lanewise(XOR, a15).lanewise(XOR, a20);
          LongVector c1 = a1.lanewise(XOR, a6).lanewise(XOR, a11).lanewise(XOR, a16).lanewise(XOR, a21);
          LongVector c2 = a2.lanewise(XOR, a7).lanewise(XOR, a12).lanewise(XOR, a17).lanewise(XOR, a22);
          LongVector c3 = a3.lanewise(XOR, a8).lanewise(XOR, a13).lanewise(XOR, a18).lanewise(XOR, a23);
          LongVector c4 = a4.lanewise(XOR, a9).lanewise(XOR, a14).lanewise(XOR, a19).lanewise(XOR, a24);
          LongVector d0 = c4.lanewise(XOR, c1.lanewise(ROL, 1));
          LongVector d1 = c0.lanewise(XOR, c2.lanewise(ROL, 1));
          LongVector d2 = c1.lanewise(XOR, c3.lanewise(ROL, 1));
          LongVector d3 = c2.lanewise(XOR, c4.lanewise(ROL, 1));
          LongVector d4 = c3.lanewise(XOR, c0.lanewise(ROL, 1));
          LongVector b0 = a0.lanewise(XOR, d0);
          LongVector b16 = a5.lanewise(XOR, d0).lanewise(ROL, 36);
          LongVector b7 = a10.lanewise(XOR, d0).lanewise(ROL, 3);
          LongVector b23 = a15.lanewise(XOR, d0).lanewise(ROL, 41);
          LongVector b14 = a20.lanewise(XOR, d0).lanewise(ROL, 18);
          LongVector b10 = a1.lanewise(XOR, d1).lanewise(ROL, 1);
          LongVector b1 = a6.lanewise(XOR, d1).lanewise(ROL, 44);
          LongVector b17 = a11.lanewise(XOR, d1).lanewise(ROL, 10);
          LongVector b8 = a16.lanewise(XOR, d1).lanewise(ROL, 45);
          LongVector b24 = a21.lanewise(XOR, d1).lanewise(ROL, 2);
          LongVector b20 = a2.lanewise(XOR, d2).lanewise(ROL, 62);
          LongVector b11 = a7.lanewise(XOR, d2).lanewise(ROL, 6);
          LongVector b2 = a12.lanewise(XOR, d2).lanewise(ROL, 43);
          LongVector b18 = a17.lanewise(XOR, d2).lanewise(ROL, 15);
          LongVector b9 = a22.lanewise(XOR, d2).lanewise(ROL, 61);
          LongVector b5 = a3.lanewise(XOR, d3).lanewise(ROL, 28);
          LongVector b21 = a8.lanewise(XOR, d3).lanewise(ROL, 55);
          LongVector b12 = a13.lanewise(XOR, d3).lanewise(ROL, 25);
          LongVector b3 = a18.lanewise(XOR, d3).lanewise(ROL, 21);
          LongVector b19 = a23.lanewise(XOR, d3).lanewise(ROL, 56);
          LongVector b15 = a4.lanewise(XOR, d4).lanewise(ROL, 27);
          LongVector b6 = a9.lanewise(XOR, d4).lanewise(ROL, 20);
          LongVector b22 = a14.lanewise(XOR, d4).lanewise(ROL, 39);
          LongVector b13 = a19.lanewise(XOR, d4).lanewise(ROL, 8);
          LongVector b4 = a24.lanewise(XOR, d4).lanewise(ROL, 14);
          a0 = b0.lanewise(XOR, b2.lanewise(AND_NOT, b1));
          a1 = b1.lanewise(XOR, b3.lanewise(AND_NOT, b2));
          a2 = b2.lanewise(XOR, b4.lanewise(AND_NOT, b3));
          a3 = b3.lanewise(XOR, b0.lanewise(AND_NOT, b4));
          a4 = b4.lanewise(XOR, b1.lanewise(AND_NOT, b0));
          a5 = b5.lanewise(XOR, b7.lanewise(AND_NOT, b6));
          a6 = b6.lanewise(XOR, b8.lanewise(AND_NOT, b7));
          a7 = b7.lanewise(XOR, b9.lanewise(AND_NOT, b8));
          a8 = b8.lanewise(XOR, b5.lanewise(AND_NOT, b9));
          a9 = b9.lanewise(XOR, b6.lanewise(AND_NOT, b5));
          a10 = b10.lanewise(XOR, b12.lanewise(AND_NOT, b11));
          a11 = b11.lanewise(XOR, b13.lanewise(AND_NOT, b12));
          a12 = b12.lanewise(XOR, b14.lanewise(AND_NOT, b13));
          a13 = b13.lanewise(XOR, b10.lanewise(AND_NOT, b14));
          a14 = b14.lanewise(XOR, b11.lanewise(AND_NOT, b10));
          a15 = b15.lanewise(XOR, b17.lanewise(AND_NOT, b16));
          a16 = b16.lanewise(XOR, b18.lanewise(AND_NOT, b17));
          a17 = b17.lanewise(XOR, b19.lanewise(AND_NOT, b18));
          a18 = b18.lanewise(XOR, b15.lanewise(AND_NOT, b19));
          a19 = b19.lanewise(XOR, b16.lanewise(AND_NOT, b15));
          a20 = b20.lanewise(XOR, b22.lanewise(AND_NOT, b21));
          a21 = b21.lanewise(XOR, b23.lanewise(AND_NOT, b22));
          a22 = b22.lanewise(XOR, b24.lanewise(AND_NOT, b23));
          a23 = b23.lanewise(XOR, b20.lanewise(AND_NOT, b24));
          a24 = b24.lanewise(XOR, b21.lanewise(AND_NOT, b20));
          a0 = a0.lanewise(XOR, RCV[round]);
        }
        a0.intoArray(st, 0);
        a1.intoArray(st, 4);
        a2.intoArray(st, 8);
        a3.intoArray(st, 12);
        a4.intoArray(st, 16);
        a5.intoArray(st, 20);
        a6.intoArray(st, 24);
        a7.intoArray(st, 28);
        a8.intoArray(st, 32);
        a9.intoArray(st, 36);
        a10.intoArray(st, 40);
        a11.intoArray(st, 44);
        a12.intoArray(st, 48);
        a13.intoArray(st, 52);
        a14.intoArray(st, 56);
        a15.intoArray(st, 60);
        a16.intoArray(st, 64);
        a17.intoArray(st, 68);
        a18.intoArray(st, 72);
        a19.intoArray(st, 76);
        a20.intoArray(st, 80);
        a21.intoArray(st, 84);
        a22.intoArray(st, 88);
        a23.intoArray(st, 92);
        a24.intoArray(st, 96);

    }
}
