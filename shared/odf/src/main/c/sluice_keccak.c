/*
 * Four SHA3-256 streams absorbed in lockstep by one Keccak-f[1600] over 256-bit vectors (one 64-bit Keccak lane of
 * each stream per vector element): the native counterpart of dev.sluice.odf.KeccakVector4, called through JNI by
 * dev.sluice.odf.NativeKeccak. Two builds of the same rounds, chosen at run time from the CPU: AVX-512VL (native
 * 64-bit rotates, and ternary logic for the five-way XOR and chi) and AVX2 (rotates as shift pairs).
 * The state layout is Sha3Lanes': lane i of stream k at state[4 * i + k].
 */
#include <jni.h>
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

static const uint64_t RC[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

#define RATE 136

/* One absorb loop per instruction set; XOR2, XOR5, ROL and CHI (a ^ (~b & c)) are defined before each use. */
#define KECCAK_ABSORB_BODY                                                                                          \
    __m256i a[25];                                                                                                  \
    for (int i = 0; i < 25; i++) a[i] = _mm256_loadu_si256((const __m256i *) (state + 4 * i));                     \
    for (int blk = 0; blk < blocks; blk++) {                                                                        \
        for (int i = 0; i < RATE / 8; i++) {                                                                        \
            uint64_t v0, v1, v2, v3;                                                                                \
            memcpy(&v0, p0 + 8 * i, 8); memcpy(&v1, p1 + 8 * i, 8);                                                 \
            memcpy(&v2, p2 + 8 * i, 8); memcpy(&v3, p3 + 8 * i, 8);                                                 \
            a[i] = XOR2(a[i], _mm256_set_epi64x((long long) v3, (long long) v2, (long long) v1, (long long) v0));   \
        }                                                                                                           \
        p0 += RATE; p1 += RATE; p2 += RATE; p3 += RATE;                                                             \
        __m256i a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5], a6 = a[6], a7 = a[7], a8 = a[8];   \
        __m256i a9 = a[9], a10 = a[10], a11 = a[11], a12 = a[12], a13 = a[13], a14 = a[14], a15 = a[15];           \
        __m256i a16 = a[16], a17 = a[17], a18 = a[18], a19 = a[19], a20 = a[20], a21 = a[21], a22 = a[22];         \
        __m256i a23 = a[23], a24 = a[24];                                                                           \
        for (int r = 0; r < 24; r++) {                                                                              \
            __m256i c0 = XOR5(a0, a5, a10, a15, a20), c1 = XOR5(a1, a6, a11, a16, a21);                             \
            __m256i c2 = XOR5(a2, a7, a12, a17, a22), c3 = XOR5(a3, a8, a13, a18, a23);                             \
            __m256i c4 = XOR5(a4, a9, a14, a19, a24);                                                               \
            __m256i d0 = XOR2(c4, ROL(c1, 1)), d1 = XOR2(c0, ROL(c2, 1)), d2 = XOR2(c1, ROL(c3, 1));               \
            __m256i d3 = XOR2(c2, ROL(c4, 1)), d4 = XOR2(c3, ROL(c0, 1));                                           \
            __m256i b0 = XOR2(a0, d0), b16 = ROL(XOR2(a5, d0), 36), b7 = ROL(XOR2(a10, d0), 3);                     \
            __m256i b23 = ROL(XOR2(a15, d0), 41), b14 = ROL(XOR2(a20, d0), 18);                                     \
            __m256i b10 = ROL(XOR2(a1, d1), 1), b1 = ROL(XOR2(a6, d1), 44), b17 = ROL(XOR2(a11, d1), 10);           \
            __m256i b8 = ROL(XOR2(a16, d1), 45), b24 = ROL(XOR2(a21, d1), 2);                                       \
            __m256i b20 = ROL(XOR2(a2, d2), 62), b11 = ROL(XOR2(a7, d2), 6), b2 = ROL(XOR2(a12, d2), 43);           \
            __m256i b18 = ROL(XOR2(a17, d2), 15), b9 = ROL(XOR2(a22, d2), 61);                                      \
            __m256i b5 = ROL(XOR2(a3, d3), 28), b21 = ROL(XOR2(a8, d3), 55), b12 = ROL(XOR2(a13, d3), 25);          \
            __m256i b3 = ROL(XOR2(a18, d3), 21), b19 = ROL(XOR2(a23, d3), 56);                                      \
            __m256i b15 = ROL(XOR2(a4, d4), 27), b6 = ROL(XOR2(a9, d4), 20), b22 = ROL(XOR2(a14, d4), 39);          \
            __m256i b13 = ROL(XOR2(a19, d4), 8), b4 = ROL(XOR2(a24, d4), 14);                                       \
            a0 = CHI(b0, b1, b2); a1 = CHI(b1, b2, b3); a2 = CHI(b2, b3, b4); a3 = CHI(b3, b4, b0);                  \
            a4 = CHI(b4, b0, b1); a5 = CHI(b5, b6, b7); a6 = CHI(b6, b7, b8); a7 = CHI(b7, b8, b9);                  \
            a8 = CHI(b8, b9, b5); a9 = CHI(b9, b5, b6); a10 = CHI(b10, b11, b12); a11 = CHI(b11, b12, b13);          \
            a12 = CHI(b12, b13, b14); a13 = CHI(b13, b14, b10); a14 = CHI(b14, b10, b11);                           \
            a15 = CHI(b15, b16, b17); a16 = CHI(b16, b17, b18); a17 = CHI(b17, b18, b19);                           \
            a18 = CHI(b18, b19, b15); a19 = CHI(b19, b15, b16); a20 = CHI(b20, b21, b22);                           \
            a21 = CHI(b21, b22, b23); a22 = CHI(b22, b23, b24); a23 = CHI(b23, b24, b20);                           \
            a24 = CHI(b24, b20, b21);                                                                               \
            a0 = XOR2(a0, _mm256_set1_epi64x((long long) RC[r]));                                                   \
        }                                                                                                           \
        a[0] = a0; a[1] = a1; a[2] = a2; a[3] = a3; a[4] = a4; a[5] = a5; a[6] = a6; a[7] = a7; a[8] = a8;          \
        a[9] = a9; a[10] = a10; a[11] = a11; a[12] = a12; a[13] = a13; a[14] = a14; a[15] = a15; a[16] = a16;       \
        a[17] = a17; a[18] = a18; a[19] = a19; a[20] = a20; a[21] = a21; a[22] = a22; a[23] = a23; a[24] = a24;     \
    }                                                                                                               \
    for (int i = 0; i < 25; i++) _mm256_storeu_si256((__m256i *) (state + 4 * i), a[i]);

#define XOR2(x, y) _mm256_xor_si256(x, y)
#define XOR5(a, b, c, d, e) _mm256_ternarylogic_epi64(_mm256_ternarylogic_epi64(a, b, c, 0x96), d, e, 0x96)
#define ROL(x, n) _mm256_rol_epi64(x, n)
#define CHI(a, b, c) _mm256_ternarylogic_epi64(a, b, c, 0xD2)
__attribute__((target("avx2,avx512f,avx512vl")))
static void absorb4_avx512(uint64_t *state, const uint8_t *p0, const uint8_t *p1, const uint8_t *p2,
                           const uint8_t *p3, int blocks) {
    KECCAK_ABSORB_BODY
}
#undef XOR5
#undef ROL
#undef CHI

#define XOR5(a, b, c, d, e) XOR2(XOR2(XOR2(a, b), XOR2(c, d)), e)
#define ROL(x, n) _mm256_or_si256(_mm256_slli_epi64(x, n), _mm256_srli_epi64(x, 64 - (n)))
#define CHI(a, b, c) XOR2(a, _mm256_andnot_si256(b, c))
__attribute__((target("avx2")))
static void absorb4_avx2(uint64_t *state, const uint8_t *p0, const uint8_t *p1, const uint8_t *p2,
                         const uint8_t *p3, int blocks) {
    KECCAK_ABSORB_BODY
}

/* 2: AVX-512VL, 1: AVX2, 0: neither (the Java code then keeps its own permutation). */
JNIEXPORT jint JNICALL Java_dev_sluice_odf_NativeKeccak_cpuLevel(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")) return 2;
    if (__builtin_cpu_supports("avx2")) return 1;
    return 0;
}

/*
 * Absorbs `blocks` full 136-byte blocks of each of four streams (stream k's bytes from p_k[o_k]) into state (100
 * longs). The caller (Java) has checked every bound; the arrays are pinned only for the duration of the call.
 * Returns false (state unchanged) when an array could not be pinned.
 */
JNIEXPORT jboolean JNICALL Java_dev_sluice_odf_NativeKeccak_absorb4(JNIEnv *env, jclass cls, jint level, jlongArray state,
                                                                jbyteArray b0, jint o0, jbyteArray b1, jint o1,
                                                                jbyteArray b2, jint o2, jbyteArray b3, jint o3,
                                                                jint blocks) {
    (void) cls;
    jlong *s = (*env)->GetPrimitiveArrayCritical(env, state, NULL);
    jbyte *p0 = (*env)->GetPrimitiveArrayCritical(env, b0, NULL);
    jbyte *p1 = (*env)->GetPrimitiveArrayCritical(env, b1, NULL);
    jbyte *p2 = (*env)->GetPrimitiveArrayCritical(env, b2, NULL);
    jbyte *p3 = (*env)->GetPrimitiveArrayCritical(env, b3, NULL);
    jboolean ok = s && p0 && p1 && p2 && p3; /* else an OutOfMemoryError is pending */
    if (ok) {
        if (level == 2) {
            absorb4_avx512((uint64_t *) s, (uint8_t *) p0 + o0, (uint8_t *) p1 + o1, (uint8_t *) p2 + o2,
                           (uint8_t *) p3 + o3, blocks);
        } else {
            absorb4_avx2((uint64_t *) s, (uint8_t *) p0 + o0, (uint8_t *) p1 + o1, (uint8_t *) p2 + o2,
                         (uint8_t *) p3 + o3, blocks);
        }
    }
    /* Mode JNI_ABORT for the inputs: they were only read. */
    if (p3) (*env)->ReleasePrimitiveArrayCritical(env, b3, p3, JNI_ABORT);
    if (p2) (*env)->ReleasePrimitiveArrayCritical(env, b2, p2, JNI_ABORT);
    if (p1) (*env)->ReleasePrimitiveArrayCritical(env, b1, p1, JNI_ABORT);
    if (p0) (*env)->ReleasePrimitiveArrayCritical(env, b0, p0, JNI_ABORT);
    if (s) (*env)->ReleasePrimitiveArrayCritical(env, state, s, ok ? 0 : JNI_ABORT);
    return ok;
}
