/*
 * Four or eight SHA3-256 streams absorbed in lockstep by one Keccak-f[1600] over 256- or 512-bit vectors (one 64-bit
 * Keccak lane of each stream per vector element): the native counterpart of dev.sluice.odf.KeccakVector4, called
 * through JNI by dev.sluice.odf.NativeKeccak. Builds of the same rounds chosen at run time from the CPU: eight streams
 * with AVX-512F, four with AVX-512VL (both with native 64-bit rotates and ternary logic for the five-way XOR and chi)
 * or with AVX2 (rotates as shift pairs). Lane i of stream k of a W-stream state is at state[W * i + k].
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

/*
 * The 24 rounds on the 25 local vectors a0..a24 of type VEC; XOR2, XOR5, ROL, CHI (a ^ (~b & c)) and SET1 are
 * defined before each use. Same round structure as dev.sluice.odf.Sha3_256#permute.
 */
#define KECCAK_ROUNDS(VEC)                                                                                          \
    for (int r = 0; r < 24; r++) {                                                                                  \
        VEC c0 = XOR5(a0, a5, a10, a15, a20), c1 = XOR5(a1, a6, a11, a16, a21);                                     \
        VEC c2 = XOR5(a2, a7, a12, a17, a22), c3 = XOR5(a3, a8, a13, a18, a23);                                     \
        VEC c4 = XOR5(a4, a9, a14, a19, a24);                                                                       \
        VEC d0 = XOR2(c4, ROL(c1, 1)), d1 = XOR2(c0, ROL(c2, 1)), d2 = XOR2(c1, ROL(c3, 1));                       \
        VEC d3 = XOR2(c2, ROL(c4, 1)), d4 = XOR2(c3, ROL(c0, 1));                                                   \
        VEC b0 = XOR2(a0, d0), b16 = ROL(XOR2(a5, d0), 36), b7 = ROL(XOR2(a10, d0), 3);                             \
        VEC b23 = ROL(XOR2(a15, d0), 41), b14 = ROL(XOR2(a20, d0), 18);                                             \
        VEC b10 = ROL(XOR2(a1, d1), 1), b1 = ROL(XOR2(a6, d1), 44), b17 = ROL(XOR2(a11, d1), 10);                   \
        VEC b8 = ROL(XOR2(a16, d1), 45), b24 = ROL(XOR2(a21, d1), 2);                                               \
        VEC b20 = ROL(XOR2(a2, d2), 62), b11 = ROL(XOR2(a7, d2), 6), b2 = ROL(XOR2(a12, d2), 43);                   \
        VEC b18 = ROL(XOR2(a17, d2), 15), b9 = ROL(XOR2(a22, d2), 61);                                              \
        VEC b5 = ROL(XOR2(a3, d3), 28), b21 = ROL(XOR2(a8, d3), 55), b12 = ROL(XOR2(a13, d3), 25);                  \
        VEC b3 = ROL(XOR2(a18, d3), 21), b19 = ROL(XOR2(a23, d3), 56);                                              \
        VEC b15 = ROL(XOR2(a4, d4), 27), b6 = ROL(XOR2(a9, d4), 20), b22 = ROL(XOR2(a14, d4), 39);                  \
        VEC b13 = ROL(XOR2(a19, d4), 8), b4 = ROL(XOR2(a24, d4), 14);                                               \
        a0 = CHI(b0, b1, b2); a1 = CHI(b1, b2, b3); a2 = CHI(b2, b3, b4); a3 = CHI(b3, b4, b0);                      \
        a4 = CHI(b4, b0, b1); a5 = CHI(b5, b6, b7); a6 = CHI(b6, b7, b8); a7 = CHI(b7, b8, b9);                      \
        a8 = CHI(b8, b9, b5); a9 = CHI(b9, b5, b6); a10 = CHI(b10, b11, b12); a11 = CHI(b11, b12, b13);              \
        a12 = CHI(b12, b13, b14); a13 = CHI(b13, b14, b10); a14 = CHI(b14, b10, b11);                               \
        a15 = CHI(b15, b16, b17); a16 = CHI(b16, b17, b18); a17 = CHI(b17, b18, b19);                               \
        a18 = CHI(b18, b19, b15); a19 = CHI(b19, b15, b16); a20 = CHI(b20, b21, b22);                               \
        a21 = CHI(b21, b22, b23); a22 = CHI(b22, b23, b24); a23 = CHI(b23, b24, b20);                               \
        a24 = CHI(b24, b20, b21);                                                                                   \
        a0 = XOR2(a0, SET1((long long) RC[r]));                                                                     \
    }

/* Loads a[0..24] into the locals a0..a24, and back. */
#define UNPACK(VEC)                                                                                                 \
    VEC a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5], a6 = a[6], a7 = a[7], a8 = a[8];          \
    VEC a9 = a[9], a10 = a[10], a11 = a[11], a12 = a[12], a13 = a[13], a14 = a[14], a15 = a[15], a16 = a[16];       \
    VEC a17 = a[17], a18 = a[18], a19 = a[19], a20 = a[20], a21 = a[21], a22 = a[22], a23 = a[23], a24 = a[24];
#define PACK()                                                                                                      \
    a[0] = a0; a[1] = a1; a[2] = a2; a[3] = a3; a[4] = a4; a[5] = a5; a[6] = a6; a[7] = a7; a[8] = a8;              \
    a[9] = a9; a[10] = a10; a[11] = a11; a[12] = a12; a[13] = a13; a[14] = a14; a[15] = a15; a[16] = a16;           \
    a[17] = a17; a[18] = a18; a[19] = a19; a[20] = a20; a[21] = a21; a[22] = a22; a[23] = a23; a[24] = a24;

static inline uint64_t load64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* Four streams, 256-bit vectors: state[4 * i + k] is lane i of stream k. */
#define ABSORB4_BODY                                                                                                \
    __m256i a[25];                                                                                                  \
    for (int i = 0; i < 25; i++) a[i] = _mm256_loadu_si256((const __m256i *) (state + 4 * i));                     \
    for (int blk = 0; blk < blocks; blk++) {                                                                        \
        for (int i = 0; i < RATE / 8; i++) {                                                                        \
            a[i] = XOR2(a[i], _mm256_set_epi64x((long long) load64(p[3] + 8 * i), (long long) load64(p[2] + 8 * i), \
                                                (long long) load64(p[1] + 8 * i), (long long) load64(p[0] + 8 * i)));\
        }                                                                                                           \
        for (int k = 0; k < 4; k++) p[k] += RATE;                                                                   \
        UNPACK(__m256i)                                                                                             \
        KECCAK_ROUNDS(__m256i)                                                                                      \
        PACK()                                                                                                      \
    }                                                                                                               \
    for (int i = 0; i < 25; i++) _mm256_storeu_si256((__m256i *) (state + 4 * i), a[i]);

#define XOR2(x, y) _mm256_xor_si256(x, y)
#define SET1(x) _mm256_set1_epi64x(x)
#define XOR5(a, b, c, d, e) _mm256_ternarylogic_epi64(_mm256_ternarylogic_epi64(a, b, c, 0x96), d, e, 0x96)
#define ROL(x, n) _mm256_rol_epi64(x, n)
#define CHI(a, b, c) _mm256_ternarylogic_epi64(a, b, c, 0xD2)
__attribute__((target("avx2,avx512f,avx512vl")))
static void absorb4_avx512(uint64_t *state, const uint8_t **p, int blocks) {
    ABSORB4_BODY
}
#undef XOR5
#undef ROL
#undef CHI

#define XOR5(a, b, c, d, e) XOR2(XOR2(XOR2(a, b), XOR2(c, d)), e)
#define ROL(x, n) _mm256_or_si256(_mm256_slli_epi64(x, n), _mm256_srli_epi64(x, 64 - (n)))
#define CHI(a, b, c) XOR2(a, _mm256_andnot_si256(b, c))
__attribute__((target("avx2")))
static void absorb4_avx2(uint64_t *state, const uint8_t **p, int blocks) {
    ABSORB4_BODY
}
#undef XOR2
#undef SET1
#undef XOR5
#undef ROL
#undef CHI

/* Eight streams, 512-bit vectors: state[8 * i + k] is lane i of stream k; the input lanes are gathered. */
#define XOR2(x, y) _mm512_xor_si512(x, y)
#define SET1(x) _mm512_set1_epi64(x)
#define XOR5(a, b, c, d, e) _mm512_ternarylogic_epi64(_mm512_ternarylogic_epi64(a, b, c, 0x96), d, e, 0x96)
#define ROL(x, n) _mm512_rol_epi64(x, n)
#define CHI(a, b, c) _mm512_ternarylogic_epi64(a, b, c, 0xD2)
__attribute__((target("avx512f")))
static void absorb8_avx512(uint64_t *state, const uint8_t **p, int blocks) {
    __m512i a[25];
    for (int i = 0; i < 25; i++) a[i] = _mm512_loadu_si512((const void *) (state + 8 * i));
    __m512i at = _mm512_set_epi64((long long) (uintptr_t) p[7], (long long) (uintptr_t) p[6],
                                  (long long) (uintptr_t) p[5], (long long) (uintptr_t) p[4],
                                  (long long) (uintptr_t) p[3], (long long) (uintptr_t) p[2],
                                  (long long) (uintptr_t) p[1], (long long) (uintptr_t) p[0]);
    const __m512i step = _mm512_set1_epi64(RATE);
    for (int blk = 0; blk < blocks; blk++) {
        for (int i = 0; i < RATE / 8; i++) {
            __m512i addr = _mm512_add_epi64(at, _mm512_set1_epi64(8 * i));
            a[i] = XOR2(a[i], _mm512_i64gather_epi64(addr, (const void *) 0, 1));
        }
        at = _mm512_add_epi64(at, step);
        UNPACK(__m512i)
        KECCAK_ROUNDS(__m512i)
        PACK()
    }
    for (int i = 0; i < 25; i++) _mm512_storeu_si512((void *) (state + 8 * i), a[i]);
}
#undef XOR2
#undef SET1
#undef XOR5
#undef ROL
#undef CHI

/* ---- one stream ------------------------------------------------------------------------------------------------
 * One SHA3-256 stream (dev.sluice.odf.Sha3_256, the Parquet physical hash): the same rounds with each lane alone in a
 * 128-bit register (AVX-512VL: ternary logic for the five-way XOR and chi, native rotates; 32 registers hold the
 * state without spills). Measured on this project's AMD EPYC (16 MB, one thread): ~600 MB/s, against ~540 MB/s for
 * one stream in the four-stream call and ~360 MB/s for plain 64-bit C (gcc -O3, fully unrolled, BMI andn/rorx) or
 * the same code on AVX2 (so those CPUs keep the Java permutation); rows in 512-bit registers with permutes for pi
 * (OpenSSL's avx512 layout) reached only ~450 MB/s here: a single state is bound by the permutes' latency.
 */
#define XOR2(x, y) _mm_xor_si128(x, y)
#define SET1(x) _mm_set1_epi64x(x)
#define XOR5(a, b, c, d, e) _mm_ternarylogic_epi64(_mm_ternarylogic_epi64(a, b, c, 0x96), d, e, 0x96)
#define ROL(x, n) _mm_rol_epi64(x, n)
#define CHI(a, b, c) _mm_ternarylogic_epi64(a, b, c, 0xD2)
__attribute__((target("avx2,avx512f,avx512vl")))
static void absorb1_avx512(uint64_t *state, const uint8_t *p, int blocks) {
    __m128i a[25];
    for (int i = 0; i < 25; i++) a[i] = _mm_cvtsi64_si128((long long) state[i]);
    for (int blk = 0; blk < blocks; blk++, p += RATE) {
        for (int i = 0; i < RATE / 8; i++) a[i] = XOR2(a[i], _mm_loadl_epi64((const __m128i *) (p + 8 * i)));
        UNPACK(__m128i)
        KECCAK_ROUNDS(__m128i)
        PACK()
    }
    for (int i = 0; i < 25; i++) state[i] = (uint64_t) _mm_cvtsi128_si64(a[i]);
}
#undef XOR2
#undef SET1
#undef XOR5
#undef ROL
#undef CHI

/* 3: AVX-512F and VL (8 and 4 streams), 1: AVX2 (4 streams), 0: neither (the Java code keeps its own). */
JNIEXPORT jint JNICALL Java_dev_sluice_odf_NativeKeccak_cpuLevel(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")) return 3;
    if (__builtin_cpu_supports("avx2")) return 1;
    return 0;
}

/* Pins n byte arrays; false (with an OutOfMemoryError pending) if one cannot be pinned. */
static jboolean pin(JNIEnv *env, jobjectArray arrays, jint n, jbyteArray *arr, jbyte **ptr) {
    jboolean ok = JNI_TRUE;
    for (int k = 0; k < n; k++) {
        arr[k] = (jbyteArray) (*env)->GetObjectArrayElement(env, arrays, k);
        ptr[k] = NULL;
    }
    for (int k = 0; k < n && ok; k++) {
        ptr[k] = (*env)->GetPrimitiveArrayCritical(env, arr[k], NULL);
        if (!ptr[k]) ok = JNI_FALSE;
    }
    return ok;
}

static void unpin(JNIEnv *env, jint n, jbyteArray *arr, jbyte **ptr) {
    for (int k = n - 1; k >= 0; k--) {
        if (ptr[k]) (*env)->ReleasePrimitiveArrayCritical(env, arr[k], ptr[k], JNI_ABORT); /* only read */
    }
}

/*
 * Absorbs `blocks` full 136-byte blocks of each of `width` (4 or 8) streams (stream k's bytes from arrays[k] at
 * offsets[k]) into state (25 * width longs, lane i of stream k at [width * i + k]). The caller (Java) has checked
 * every bound and that the CPU supports the width at `level`. Returns false (state unchanged) when an array could
 * not be pinned.
 */
JNIEXPORT jboolean JNICALL Java_dev_sluice_odf_NativeKeccak_absorbNative(JNIEnv *env, jclass cls, jint level, jint width,
                                                                   jlongArray state, jobjectArray arrays,
                                                                   jintArray offsets, jint blocks) {
    (void) cls;
    jbyteArray arr[8];
    jbyte *ptr[8];
    jint off[8];
    if (width != 4 && width != 8) return JNI_FALSE;
    (*env)->GetIntArrayRegion(env, offsets, 0, width, off);
    jboolean ok = pin(env, arrays, width, arr, ptr);
    jlong *s = ok ? (*env)->GetPrimitiveArrayCritical(env, state, NULL) : NULL;
    if (ok && s) {
        const uint8_t *p[8];
        for (int k = 0; k < width; k++) p[k] = (const uint8_t *) ptr[k] + off[k];
        if (width == 8) absorb8_avx512((uint64_t *) s, p, blocks);
        else if (level >= 3) absorb4_avx512((uint64_t *) s, p, blocks);
        else absorb4_avx2((uint64_t *) s, p, blocks);
    } else {
        ok = JNI_FALSE;
    }
    if (s) (*env)->ReleasePrimitiveArrayCritical(env, state, s, ok ? 0 : JNI_ABORT);
    unpin(env, width, arr, ptr);
    return ok;
}

/* ---- arrow0 value packing ----------------------------------------------------------------------------------------
 * Rows of an Arrow column (off-heap buffers at plain addresses) written as the arrow0 logical hash's byte stream, for
 * dev.sluice.odf.NativeValuePacker: one call per few thousand rows replaces per-value Java copies. Plain C (no vector
 * code). Arrow offsets are in the host's byte order (little-endian wherever Arrow Java runs); the hash's lengths are
 * little-endian by definition.
 */
#define PACK_DST_FULL (-1)
#define PACK_BAD_OFFSETS (-2)
#define PACK_NOT_PINNED (-3)

static inline void store_le64(uint8_t *p, uint64_t v) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(p, &v, 8); /* gcc does not merge the byte stores below into one */
#else
    for (int k = 0; k < 8; k++) p[k] = (uint8_t) (v >> (8 * k));
#endif
}

/* Row i's validity bit; no bitmap (NULL) means no nulls. */
static inline int is_valid(const uint8_t *validity, int64_t i) {
    return !validity || (validity[i >> 3] >> (i & 7)) & 1;
}

/*
 * Copies a value of len bytes from src to dst. Most values are short: when both buffers have room for it, a short
 * value is copied as one or two fixed 16-byte moves (inlined; the bytes past the value are overwritten by the next one
 * or lie past what the caller appends), sparing a libc call per value.
 */
static inline void copy_value(uint8_t *dst, const uint8_t *dst_end, const uint8_t *src, const uint8_t *src_end,
                              int64_t len) {
    if (len <= 32 && dst_end - dst >= 32 && src_end - src >= 32) {
        memcpy(dst, src, 16);
        if (len > 16) memcpy(dst + 16, src + 16, 16);
    } else if (len > 0) { /* an empty data buffer may be at address 0 */
        memcpy(dst, src, (size_t) len);
    }
}

/*
 * Variable width (int32 offsets): per value its length (u64) and bytes, a null one 0x00 byte, into dst[0, cap).
 * Returns the bytes written, PACK_DST_FULL, or PACK_BAD_OFFSETS if a value's offsets are decreasing or outside
 * [0, data_len] (the Java side only checked the offsets buffer's size).
 */
static int64_t pack_var_width(const uint8_t *offsets, const uint8_t *data, int64_t data_len, const uint8_t *validity,
                              int64_t start, int32_t count, uint8_t *dst, int64_t cap) {
    uint8_t *p = dst, *end = dst + cap;
    int32_t s;
    memcpy(&s, offsets + 4 * start, 4);
    for (int32_t k = 0; k < count; k++) {
        int32_t e;
        memcpy(&e, offsets + 4 * (start + k + 1), 4);
        if (!is_valid(validity, start + k)) {
            if (p == end) return PACK_DST_FULL;
            *p++ = 0;
        } else {
            if (s < 0 || e < s || e > data_len) return PACK_BAD_OFFSETS;
            int64_t len = (int64_t) e - s;
            if (end - p < 8 + len) return PACK_DST_FULL;
            store_le64(p, (uint64_t) len);
            copy_value(p + 8, end, data + s, data + data_len, len);
            p += 8 + len;
        }
        s = e;
    }
    return p - dst;
}

/*
 * Fixed width with nulls: per value its `width` bytes, a null one 0x00 byte (the caller made room for count * width
 * bytes). Eight valid rows in a row (a 0xFF bitmap byte) are copied at once. always_inline: the calls below with a
 * constant width become fixed-size moves.
 */
static inline __attribute__((always_inline)) int64_t pack_fixed_width(const uint8_t *data, const uint8_t *validity,
                                                                      int32_t width, int64_t start, int32_t count,
                                                                      uint8_t *dst) {
    uint8_t *p = dst;
    for (int64_t i = start, end = start + count; i < end;) {
        if ((i & 7) == 0 && end - i >= 8 && (!validity || validity[i >> 3] == 0xFF)) {
            memcpy(p, data + i * width, (size_t) (8 * width));
            p += 8 * width;
            i += 8;
        } else {
            if (is_valid(validity, i)) {
                memcpy(p, data + i * width, (size_t) width);
                p += width;
            } else {
                *p++ = 0;
            }
            i++;
        }
    }
    return p - dst;
}

static int64_t pack_fixed_width_any(const uint8_t *data, const uint8_t *validity, int32_t width, int64_t start,
                                    int32_t count, uint8_t *dst) {
    switch (width) {
        case 1: return pack_fixed_width(data, validity, 1, start, count, dst);
        case 2: return pack_fixed_width(data, validity, 2, start, count, dst);
        case 4: return pack_fixed_width(data, validity, 4, start, count, dst);
        case 8: return pack_fixed_width(data, validity, 8, start, count, dst);
        case 16: return pack_fixed_width(data, validity, 16, start, count, dst);
        default: return pack_fixed_width(data, validity, width, start, count, dst);
    }
}

/* Booleans: per value 1 (false) or 2 (true), a null 0x00; one byte each (the caller made room for count). */
static int64_t pack_bits(const uint8_t *data, const uint8_t *validity, int64_t start, int32_t count, uint8_t *dst) {
    for (int32_t k = 0; k < count; k++) {
        int64_t i = start + k;
        dst[k] = is_valid(validity, i) ? (uint8_t) (((data[i >> 3] >> (i & 7)) & 1) + 1) : 0;
    }
    return count;
}

/* Pins dst, returns `call` packing into `out` (dst from at), unpins; the bytes written or a PACK_ error. */
#define WITH_PINNED_DST(env, dst, at, call)                                                                         \
    do {                                                                                                            \
        uint8_t *base = (*(env))->GetPrimitiveArrayCritical((env), (dst), NULL);                                    \
        if (!base) return PACK_NOT_PINNED;                                                                          \
        uint8_t *out = base + (at);                                                                                 \
        int64_t n = (call);                                                                                         \
        (*(env))->ReleasePrimitiveArrayCritical((env), (dst), base, n < 0 ? JNI_ABORT : 0);                         \
        return (jint) n;                                                                                            \
    } while (0)

/* The caller (Java) checked start, count, the offsets' and validity's sizes and that dst[at, at + cap) exists. */
JNIEXPORT jint JNICALL Java_dev_sluice_odf_NativeKeccak_packVarWidth(JNIEnv *env, jclass cls, jlong offsets, jlong data,
                                                                     jlong data_len, jlong validity, jint start,
                                                                     jint count, jbyteArray dst, jint at, jint cap) {
    (void) cls;
    WITH_PINNED_DST(env, dst, at,
                    pack_var_width((const uint8_t *) (uintptr_t) offsets, (const uint8_t *) (uintptr_t) data, data_len,
                                   (const uint8_t *) (uintptr_t) validity, start, count, out, cap));
}

/* The caller (Java) checked start, count, the buffers' sizes and that dst has room for count * width bytes from at. */
JNIEXPORT jint JNICALL Java_dev_sluice_odf_NativeKeccak_packFixedWidth(JNIEnv *env, jclass cls, jlong data,
                                                                       jlong validity, jint width, jint start,
                                                                       jint count, jbyteArray dst, jint at) {
    (void) cls;
    WITH_PINNED_DST(env, dst, at,
                    pack_fixed_width_any((const uint8_t *) (uintptr_t) data, (const uint8_t *) (uintptr_t) validity,
                                         width, start, count, out));
}

/* The caller (Java) checked start, count, the buffers' sizes and that dst has room for count bytes from at. */
JNIEXPORT jint JNICALL Java_dev_sluice_odf_NativeKeccak_packBits(JNIEnv *env, jclass cls, jlong data, jlong validity,
                                                                 jint start, jint count, jbyteArray dst, jint at) {
    (void) cls;
    WITH_PINNED_DST(env, dst, at,
                    pack_bits((const uint8_t *) (uintptr_t) data, (const uint8_t *) (uintptr_t) validity, start, count,
                              out));
}

/* ---- one stream: JNI ---------------------------------------------------------------------------------------------
 * Absorbs `blocks` full 136-byte blocks of b from off into state (25 longs), permuting after each. The caller (Java)
 * checked the bounds and that the CPU has AVX-512VL (cpuLevel 3). Returns false (state unchanged) when an array could
 * not be pinned.
 */
JNIEXPORT jboolean JNICALL Java_dev_sluice_odf_NativeKeccak_absorb1Native(JNIEnv *env, jclass cls, jlongArray state,
                                                                        jbyteArray b, jint off, jint blocks) {
    (void) cls;
    jbyte *p = (*env)->GetPrimitiveArrayCritical(env, b, NULL);
    if (!p) return JNI_FALSE;
    jlong *s = (*env)->GetPrimitiveArrayCritical(env, state, NULL);
    if (s) {
        absorb1_avx512((uint64_t *) s, (const uint8_t *) p + off, blocks);
        (*env)->ReleasePrimitiveArrayCritical(env, state, s, 0);
    }
    (*env)->ReleasePrimitiveArrayCritical(env, b, p, JNI_ABORT); /* only read */
    return s ? JNI_TRUE : JNI_FALSE;
}
