package dev.sluice.odf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Four independent SHA3-256 streams ("lanes") absorbed in lockstep, so that one Keccak-f[1600] over 256-bit vectors
 * advances all four at once: natively ({@link NativeKeccak}, JNI, ~5x the bytes per core of four scalar streams) when
 * the library is present, else with the Vector API ({@link KeccakVector4}, ~2.6x).
 * Each lane gives exactly {@code SHA3-256(bytes fed to it)}.
 *
 * <p>A permutation runs when every lane has a full 136-byte block waiting; a lane that runs ahead of the others
 * (more than {@value #MAX_PENDING} bytes waiting) goes on with whichever lanes have a block, so memory stays
 * bounded whatever the streams' lengths. Feed the lanes in small, interleaved pieces for the best lockstep.
 *
 * <p>{@link Permutation#AUTO} uses the vector permutation only once it is JIT-compiled: the Vector API is very slow
 * until C2 compiles it (seconds of CPU), which a short-lived process (CLI, cold function) must not pay. After this
 * process has hashed {@value #WARM_UP_AFTER_DEFAULT} bytes through lanes (system property
 * {@code sluice.sha3.vectorWarmUpBytes}), a low-priority daemon thread warms it up and checks it against the scalar
 * permutation; until then, and if the JVM lacks {@code --add-modules jdk.incubator.vector} or
 * {@code -Dsluice.sha3.vector=false} is set, lanes are permuted one by one with the scalar code of
 * {@link Multihash#newSha3()}. Not thread-safe.
 */
public final class Sha3Lanes {
    public static final int LANES = 4;
    private static final int RATE = 136;
    private static final int MAX_PENDING = 1 << 16;
    private static final long WARM_UP_AFTER_DEFAULT = 256L << 20;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Which Keccak-f[1600] implementation a {@link Sha3Lanes} uses. */
    public enum Permutation {
        /** The native one ({@link NativeKeccak}) when available, else the vector one when JIT-compiled, else scalar. */
        AUTO,
        /** Always the native one; for tests. */
        NATIVE,
        /** Always the scalar one, lane by lane. */
        SCALAR,
        /** Always the vector one (even before it is compiled); for tests. */
        VECTOR
    }

    private final Permutation permutation;
    private final boolean nativeLanes;
    private final int streams;
    // Streams 4g..4g+3 share state[g]: lane i of stream 4g+k at state[g][LANES * i + k].
    private final long[][] state;
    private final long[] saved = new long[25 * LANES];
    private final byte[][] pending;
    private final int[] consumed; // pending[k][consumed[k], length[k]) waits to be absorbed
    private final int[] length;
    private final int[] maxPending; // bytes a stream may hold waiting before it is absorbed without the others
    // Native pool: the streams of one call (at most eight), their state gathered into `gathered`.
    private static final int MAX_WIDTH = 8;
    private final int[] picked = new int[MAX_WIDTH];
    private final long[] gathered4 = new long[25 * 4];
    private final long[] gathered8 = new long[25 * 8];
    private final byte[][] nativeSource = new byte[MAX_WIDTH][];
    private final int[] nativeOffset = new int[MAX_WIDTH];
    private boolean finished;

    public Sha3Lanes() {
        this(Permutation.AUTO);
    }

    /** Four streams. */
    public Sha3Lanes(Permutation permutation) {
        this(LANES, permutation);
    }

    /**
     * {@code streams} independent streams (any number). With the native permutation every call absorbs the eight (or
     * four) streams that have the most data waiting, so streams of different speeds share the vector evenly; the Java
     * permutations take the streams in fixed groups of four.
     *
     * @throws UnsupportedOperationException for {@link Permutation#VECTOR} or {@link Permutation#NATIVE} when not present
     */
    public Sha3Lanes(int streams, Permutation permutation) {
        if (streams < 1) throw new IllegalArgumentException("streams must be >= 1");
        if (permutation == Permutation.VECTOR && !Vector.PRESENT) {
            throw new UnsupportedOperationException("SHA3 vector lanes need the JVM option --add-modules jdk.incubator.vector");
        }
        if (permutation == Permutation.NATIVE && !NativeKeccak.available()) {
            throw new UnsupportedOperationException("native SHA3 lanes not available (Linux x86-64 with AVX2, built with gcc)");
        }
        this.permutation = permutation;
        this.nativeLanes = permutation == Permutation.NATIVE || permutation == Permutation.AUTO && NativeKeccak.available();
        this.streams = streams;
        this.state = new long[(streams + LANES - 1) / LANES][25 * LANES];
        this.pending = new byte[streams][];
        this.consumed = new int[streams];
        this.length = new int[streams];
        this.maxPending = new int[streams];
        Arrays.fill(maxPending, MAX_PENDING);
        for (int k = 0; k < streams; k++) pending[k] = new byte[4 * RATE];
    }

    /**
     * Lets stream {@code lane} hold up to {@code bytes} waiting (instead of {@value #MAX_PENDING}) before it is
     * absorbed without the others: for a stream whose bytes come in bursts (a file's row groups) beside streams fed
     * evenly, so the burst rides along with them, a block per permutation, rather than taking permutations of its
     * own. That many bytes may stay buffered.
     */
    public void allowBacklog(int lane, int bytes) {
        java.util.Objects.checkIndex(lane, streams);
        if (bytes < MAX_PENDING) throw new IllegalArgumentException("backlog below " + MAX_PENDING + " bytes");
        maxPending[lane] = bytes;
    }

    /** Number of streams. */
    public int streams() {
        return streams;
    }

    /** Whether the native permutation is loaded and usable on this CPU. */
    public static boolean nativePresent() {
        return NativeKeccak.available();
    }

    /** Whether this JVM can use the vector permutation at all (module present and not disabled). */
    public static boolean vectorPresent() {
        return Vector.PRESENT;
    }

    /** Appends {@code b[off, off+len)} to stream {@code lane}. */
    public void update(int lane, byte[] b, int off, int len) {
        if (finished) throw new IllegalStateException("lanes already finished");
        java.util.Objects.checkIndex(lane, streams);
        if (len == 0) return;
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (pending[lane].length - length[lane] < len) makeRoom(lane, len);
        System.arraycopy(b, off, pending[lane], length[lane], len);
        length[lane] += len;
        if (permutation == Permutation.AUTO && !nativeLanes) Vector.countBytes(len);
        absorb(false);
    }

    /**
     * Direct writing, without a copy through a caller's buffer: makes room for {@code len} more bytes in stream
     * {@code lane} and returns the array to write them into, from {@link #appendPosition}; then call
     * {@link #appended} with the number written. The array is valid until the next call on this object.
     */
    public byte[] reserve(int lane, int len) {
        if (finished) throw new IllegalStateException("lanes already finished");
        java.util.Objects.checkIndex(lane, streams);
        if (len < 0) throw new IllegalArgumentException("len < 0");
        if (pending[lane].length - length[lane] < len) makeRoom(lane, len);
        return pending[lane];
    }

    /** Where the next byte of stream {@code lane} goes in the array {@link #reserve} returned. */
    public int appendPosition(int lane) {
        return length[lane];
    }

    /** Adds the {@code n} bytes written after {@link #reserve} to stream {@code lane}. */
    public void appended(int lane, int n) {
        if (finished) throw new IllegalStateException("lanes already finished");
        java.util.Objects.checkFromIndexSize(length[lane], n, pending[lane].length);
        if (n == 0) return;
        length[lane] += n;
        if (permutation == Permutation.AUTO && !nativeLanes) Vector.countBytes(n);
        absorb(false);
    }

    /** Finishes every stream: {@code result[k]} is the SHA3-256 of all bytes fed to stream {@code k}. */
    public byte[][] digests() {
        if (finished) throw new IllegalStateException("lanes already finished");
        absorb(true);
        for (int k = 0; k < streams; k++) { // pad10*1 with the SHA3 domain bits: the last block of every lane
            makeRoom(k, RATE);
            int n = length[k];
            Arrays.fill(pending[k], n, RATE, (byte) 0);
            pending[k][n] ^= 0x06;
            pending[k][RATE - 1] ^= (byte) 0x80;
            length[k] = RATE;
        }
        absorb(true);
        finished = true;
        byte[][] out = new byte[streams][32];
        for (int k = 0; k < streams; k++) {
            for (int i = 0; i < 4; i++) LONG.set(out[k], 8 * i, state[k / LANES][LANES * i + k % LANES]);
        }
        return out;
    }

    /** Absorbs full blocks: in lockstep while every lane has one; lanes too far ahead (or all, if draining) alone. */
    private void absorb(boolean drain) {
        if (nativeLanes) {
            absorbNative(drain);
            return;
        }
        for (int g = 0; g < state.length; g++) absorbGroup(g, drain);
    }

    /** {@link #absorb} for the streams of group {@code g} (4g..4g+3; the last group may have fewer). */
    private void absorbGroup(int g, boolean drain) {
        long[] st = state[g];
        int base = LANES * g;
        int all = (1 << Math.min(LANES, streams - base)) - 1;
        while (true) {
            int ready = 0;
            boolean pressed = drain;
            for (int k = 0; k < LANES && base + k < streams; k++) {
                int left = length[base + k] - consumed[base + k];
                if (left >= RATE) ready |= 1 << k;
                if (left > maxPending[base + k]) pressed = true;
            }
            if (ready == 0 || ready != all && !pressed) break;
            for (int k = 0; k < LANES; k++) {
                if ((ready & (1 << k)) == 0) continue;
                byte[] p = pending[base + k];
                int at = consumed[base + k];
                for (int i = 0; i < RATE / 8; i++) st[LANES * i + k] ^= (long) LONG.get(p, at + 8 * i);
                consumed[base + k] = at + RATE;
            }
            permute(st, ready);
        }
    }

    /** Zero blocks fed to lanes without a block of their own while the others go on (their state is restored). */
    private static final byte[] IDLE_BLOCKS = new byte[64 * RATE];

    /**
     * {@link #absorb} with the native permutation: while at least four streams have a block waiting (eight, if the
     * CPU takes eight at once; or, when a stream is far ahead or all are drained, at least one), absorbs into the
     * streams with the most blocks waiting as many blocks as each of them has; a call with fewer streams than its
     * width absorbs zero blocks into the missing ones and drops their result.
     */
    private void absorbNative(boolean drain) {
        int maxWidth = NativeKeccak.maxWidth();
        while (true) {
            int ready = 0;
            boolean pressed = drain;
            for (int k = 0; k < maxWidth; k++) picked[k] = -1;
            for (int s = 0; s < streams; s++) {
                int left = length[s] - consumed[s];
                if (left > maxPending[s]) pressed = true;
                if (left < RATE) continue;
                ready++;
                // insertion into the top maxWidth by data waiting
                int slot = maxWidth;
                while (slot > 0 && (picked[slot - 1] < 0 || left > length[picked[slot - 1]] - consumed[picked[slot - 1]])) slot--;
                if (slot < maxWidth) {
                    System.arraycopy(picked, slot, picked, slot + 1, maxWidth - 1 - slot);
                    picked[slot] = s;
                }
            }
            int width;
            if (ready >= 8 && maxWidth == 8) width = 8;
            // Eight at once and eight streams or more: wait for eight with a block (unless pressed), as a four-stream
            // call costs two thirds of an eight-stream one.
            else if (ready >= LANES && (maxWidth == LANES || streams < 8) || ready > 0 && pressed) width = LANES;
            else return;
            int active = Math.min(ready, width);
            if (active == 1 && NativeKeccak.singleAvailable()) { // one stream alone: the one-stream Keccak is faster
                absorbAlone(picked[0], drain);
                continue;
            }
            int blocks = Integer.MAX_VALUE;
            for (int k = 0; k < active; k++) blocks = Math.min(blocks, (length[picked[k]] - consumed[picked[k]]) / RATE);
            if (active < width) blocks = Math.min(blocks, IDLE_BLOCKS.length / RATE);
            long[] gathered = width == 8 ? gathered8 : gathered4;
            for (int k = 0; k < width; k++) {
                if (k < active) {
                    int s = picked[k];
                    long[] st = state[s / LANES];
                    for (int i = 0; i < 25; i++) gathered[width * i + k] = st[LANES * i + s % LANES];
                    nativeSource[k] = pending[s];
                    nativeOffset[k] = consumed[s];
                } else {
                    nativeSource[k] = IDLE_BLOCKS;
                    nativeOffset[k] = 0;
                }
            }
            NativeKeccak.absorb(width, gathered, nativeSource, nativeOffset, blocks);
            blocksByWidth[width] += (long) blocks * active;
            for (int k = 0; k < active; k++) {
                int s = picked[k];
                long[] st = state[s / LANES];
                for (int i = 0; i < 25; i++) st[LANES * i + s % LANES] = gathered[width * i + k];
                consumed[s] += blocks * RATE;
            }
        }
    }

    private final long[] alone = new long[25];
    // Blocks absorbed per call width with the native permutation (index 1: alone, 4, 8), for tests.
    private final long[] blocksByWidth = new long[9];

    /** Stream-blocks absorbed natively in calls of {@code width} streams (1: the one-stream Keccak, 4 or 8). */
    long blocksAbsorbed(int width) {
        return blocksByWidth[width];
    }

    /**
     * Absorbs stream {@code s}'s waiting blocks with the native one-stream Keccak: all of them when draining, else just
     * enough to bring it back within its backlog (the rest may still ride along with other streams).
     */
    private void absorbAlone(int s, boolean drain) {
        int left = length[s] - consumed[s];
        int blocks = drain ? left / RATE : Math.max(1, Math.min(left / RATE, (left - maxPending[s] + RATE - 1) / RATE));
        long[] st = state[s / LANES];
        for (int i = 0; i < 25; i++) alone[i] = st[LANES * i + s % LANES];
        NativeKeccak.absorb1(alone, pending[s], consumed[s], blocks);
        blocksByWidth[1] += blocks;
        for (int i = 0; i < 25; i++) st[LANES * i + s % LANES] = alone[i];
        consumed[s] += blocks * RATE;
    }

    /** Most streams the native permutation absorbs at once (8 with AVX-512, else 4); 4 without it. */
    public static int preferredStreams() {
        return NativeKeccak.available() ? NativeKeccak.maxWidth() : LANES;
    }

    /** Moves lane {@code k}'s waiting bytes to the front of its buffer (growing it) to make room for {@code len}. */
    private void makeRoom(int k, int len) {
        int c = consumed[k];
        int left = length[k] - c;
        byte[] p = pending[k];
        if (p.length - left < len) pending[k] = new byte[Math.max(left + len, 2 * p.length)];
        System.arraycopy(p, c, pending[k], 0, left);
        length[k] = left;
        consumed[k] = 0;
    }

    /** Permutes the lanes of {@code state} in {@code mask}, leaving the others as they are. */
    private void permute(long[] state, int mask) {
        int active = Integer.bitCount(mask);
        boolean vector = switch (permutation) {
            case SCALAR, NATIVE -> false; // NATIVE never gets here (absorbNative)
            case VECTOR -> true;
            case AUTO -> active >= 2 && Vector.warm; // one lane alone: the scalar code is faster
        };
        if (!vector) {
            for (int k = 0; k < LANES; k++) {
                if ((mask & (1 << k)) != 0) Sha3_256.permute(state, k, LANES);
            }
            return;
        }
        int all = (1 << LANES) - 1;
        if (mask != all) System.arraycopy(state, 0, saved, 0, state.length);
        KeccakVector4.permute(state);
        if (mask != all) {
            for (int k = 0; k < LANES; k++) {
                if ((mask & (1 << k)) != 0) continue;
                for (int i = 0; i < 25; i++) state[LANES * i + k] = saved[LANES * i + k];
            }
        }
    }

    /** Vector API presence and process-wide warm-up (see the class comment). */
    private static final class Vector {
        static final boolean PRESENT = !"false".equals(System.getProperty("sluice.sha3.vector"))
                && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        static final long WARM_UP_AFTER = Long.getLong("sluice.sha3.vectorWarmUpBytes", WARM_UP_AFTER_DEFAULT);
        /** Vector permutations faster than this are compiled (four scalar ones take ~1.2 µs here). */
        private static final long COMPILED_NANOS = 1_000;
        private static final long GIVE_UP_NANOS = 60_000_000_000L;
        private static final AtomicLong bytes = new AtomicLong();
        private static final AtomicBoolean started = new AtomicBoolean();
        static volatile boolean warm;

        static void countBytes(long n) {
            if (!PRESENT || warm || started.get()) return;
            if (bytes.addAndGet(n) >= WARM_UP_AFTER && started.compareAndSet(false, true)) {
                Thread t = new Thread(Vector::warmUp, "sha3-vector-warm-up");
                t.setDaemon(true);
                t.setPriority(Thread.MIN_PRIORITY);
                t.start();
            }
        }

        private static void warmUp() {
            try {
                long[] s = new long[25 * LANES];
                for (int i = 0; i < s.length; i++) s[i] = 0x9E3779B97F4A7C15L * (i + 1);
                long start = System.nanoTime();
                // Interpreted, a batch takes ~0.5 s; compiled ~0.1 ms, so a busy machine may need a few tries.
                for (int batch = 0; batch < 2_000 && System.nanoTime() - start < GIVE_UP_NANOS; batch++) {
                    long t0 = System.nanoTime();
                    for (int r = 0; r < 256; r++) KeccakVector4.permute(s);
                    if ((System.nanoTime() - t0) / 256 < COMPILED_NANOS) {
                        warm = agreesWithScalar(s);
                        return;
                    }
                }
            } catch (LinkageError | RuntimeException e) {
                // no vector permutation: stay scalar
            }
        }

        private static boolean agreesWithScalar(long[] s) {
            long[] v = s.clone();
            KeccakVector4.permute(v);
            for (int k = 0; k < LANES; k++) Sha3_256.permute(s, k, LANES);
            return Arrays.equals(v, s);
        }
    }
}
