package dev.sluice.odf;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * JNI entry to the native multi-stream Keccak ({@code src/main/c/sluice_keccak.c}): ~2 GB/s of SHA3 per core over
 * four streams (AVX-512VL) and ~3 GB/s over eight (AVX-512F) on this project's machines, against ~0.9 GB/s for
 * {@link KeccakVector4} and ~0.4 GB/s for one scalar stream. The library is built by the module's build on Linux x86-64 when a C compiler is present and ships in the
 * jar; it is copied to a temp file and loaded on first use. With AVX-512VL it also absorbs one stream alone
 * ({@link #absorb1}, for {@link Sha3_256}). When it is missing, cannot be loaded, the CPU has neither
 * AVX2 nor AVX-512VL, or {@code -Dsluice.sha3.native=false} is set, {@link #available()} is false and callers keep
 * the Java permutations. The library also holds the plain-C value packing of {@link NativeValuePacker} (any x86-64
 * CPU: {@link #LOADED}).
 */
final class NativeKeccak {
    private static final String RESOURCE = "native/linux-x86_64/libsluice_keccak.so";
    private static final int RATE = 136;
    /** Whether the library is loaded (its plain-C value packing works on any x86-64 CPU). */
    static final boolean LOADED = load();
    /** 3: AVX-512F and VL (four or eight streams per call), 1: AVX2 (four), 0: not available. */
    static final int LEVEL = LOADED ? cpuLevel() : 0;
    static final int AVX2 = 1;
    static final int AVX512 = 3;

    private NativeKeccak() {}

    static boolean available() {
        return LEVEL > 0;
    }

    /** Most streams one call can absorb: 8 with AVX-512, else 4. */
    static int maxWidth() {
        return LEVEL >= AVX512 ? 8 : 4;
    }

    /**
     * Absorbs {@code blocks} 136-byte blocks of {@code width} (4 or up to {@link #maxWidth()}) streams (stream k's
     * from {@code b[k][off[k]]}) into {@code state} (lane i of stream k at {@code [width * i + k]}), permuting after
     * each block.
     */
    static void absorb(int width, long[] state, byte[][] b, int[] off, int blocks) {
        absorb(LEVEL, width, state, b, off, blocks);
    }

    /** As {@link #absorb(int, long[], byte[][], int[], int)} with a given instruction set (at most {@link #LEVEL}). */
    static void absorb(int level, int width, long[] state, byte[][] b, int[] off, int blocks) {
        if (LEVEL == 0) throw new UnsupportedOperationException("native SHA3 lanes not available");
        if (level != AVX2 && level != AVX512 || level > LEVEL) {
            throw new IllegalArgumentException("instruction set level " + level + " not available");
        }
        if (width != 4 && (width != 8 || level < AVX512)) throw new IllegalArgumentException("width " + width);
        if (state.length != 25 * width) throw new IllegalArgumentException("state must hold " + width + " x 25 lanes");
        for (int k = 0; k < width; k++) Objects.checkFromIndexSize(off[k], Math.multiplyExact(blocks, RATE), b[k].length);
        if (blocks <= 0) return;
        if (!absorbNative(level, width, state, b, off, blocks)) throw new OutOfMemoryError("could not pin arrays for native SHA3");
    }

    /**
     * Whether {@link #absorb1} is usable: the one-stream Keccak needs AVX-512VL (~600 MB/s per core here, ~1.3x the Java
     * permutation); on AVX2 alone it is no faster than Java, so it is not offered there.
     */
    static boolean singleAvailable() {
        return LEVEL >= AVX512;
    }

    /** Blocks per JNI call: the arrays stay pinned (GC held off) for at most ~0.1 ms per call. */
    private static final int BLOCKS_PER_CALL = 512;

    /**
     * Absorbs {@code blocks} 136-byte blocks of {@code b} from {@code off} into the single stream {@code state} (25
     * lanes, as {@link Sha3_256} keeps them), permuting after each block.
     */
    static void absorb1(long[] state, byte[] b, int off, int blocks) {
        if (!singleAvailable()) throw new UnsupportedOperationException("native one-stream SHA3 not available");
        if (state.length != 25) throw new IllegalArgumentException("state must hold 25 lanes");
        if (blocks < 0) throw new IllegalArgumentException("blocks < 0");
        Objects.checkFromIndexSize(off, Math.multiplyExact(blocks, RATE), b.length);
        while (blocks > 0) {
            int n = Math.min(blocks, BLOCKS_PER_CALL);
            if (!absorb1Native(state, b, off, n)) throw new OutOfMemoryError("could not pin arrays for native SHA3");
            off += n * RATE;
            blocks -= n;
        }
    }

    private static boolean load() {
        if ("false".equals(System.getProperty("sluice.sha3.native"))) return false;
        if (!"Linux".equals(System.getProperty("os.name"))) return false;
        String arch = System.getProperty("os.arch");
        if (!"amd64".equals(arch) && !"x86_64".equals(arch)) return false;
        try (InputStream in = NativeKeccak.class.getResourceAsStream(RESOURCE)) {
            if (in == null) return false;
            // A private copy per process: a shared path could be replaced under a running JVM.
            Path file = Files.createTempFile("libsluice_keccak", ".so");
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                System.load(file.toAbsolutePath().toString());
            } finally {
                Files.deleteIfExists(file); // the mapping stays valid once loaded
            }
            return true;
        } catch (Exception | LinkageError e) {
            return false;
        }
    }

    private static native int cpuLevel();

    /**
     * Packs rows of a variable-width column into {@code dst[at, at + cap)}; see {@link NativeValuePacker}, which checks
     * the arguments. Returns the bytes written or a negative {@code PACK_} code of sluice_keccak.c.
     */
    static native int packVarWidth(long offsets, long data, long dataLen, long validity, int start, int count,
                                   byte[] dst, int at, int cap);

    /** Packs rows of a fixed-width column with nulls into {@code dst} from {@code at}; see {@link NativeValuePacker}. */
    static native int packFixedWidth(long data, long validity, int width, int start, int count, byte[] dst, int at);

    /** Packs rows of a boolean column into {@code dst} from {@code at}; see {@link NativeValuePacker}. */
    static native int packBits(long data, long validity, int start, int count, byte[] dst, int at);

    private static native boolean absorb1Native(long[] state, byte[] b, int off, int blocks);

    private static native boolean absorbNative(int level, int width, long[] state, byte[][] arrays, int[] offsets, int blocks);
}
