package dev.sluice.storage;

import dev.sluice.odf.DatasetId;
import dev.sluice.odf.MetadataBlock;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.OdfFormatException;
import dev.sluice.odf.chain.ChainState;
import dev.sluice.odf.chain.ChainValidator;
import dev.sluice.odf.codec.BlockCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * One dataset in an {@link ObjectStore}: reads its chain, commits blocks with compare-and-set on {@code refs/head}
 * (objects first, head last), and verifies it end to end. Thread-safe; caches the folded {@link ChainState} of the
 * last head it saw so a commit reads only blocks it has not seen.
 */
public final class Dataset {
    static final int DEFAULT_MAX_ATTEMPTS = 100;

    private final ObjectStore store;
    private final DatasetId id;
    private final String alias;
    private final Clock clock;
    private final List<CommitListener> listeners;
    private volatile ChainState cachedState;
    /** Writers sharing this handle (one repository per process) take turns instead of racing each other's CAS. */
    private final java.util.concurrent.locks.ReentrantLock commitLock = new java.util.concurrent.locks.ReentrantLock();

    Dataset(ObjectStore store, DatasetId id, String alias, Clock clock, List<CommitListener> listeners) {
        this.store = store;
        this.id = id;
        this.alias = alias;
        this.clock = clock;
        this.listeners = listeners;
    }

    public DatasetId id() {
        return id;
    }

    /** Alias as recorded in {@code info/alias} (e.g. {@code player-scores} or {@code kamu/player-scores}). */
    public String alias() {
        return alias;
    }

    public ObjectStore store() {
        return store;
    }

    public Optional<Multihash> head() {
        try {
            return store.get(DatasetLayout.head(id)).map(Dataset::parseRef);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Multihash parseRef(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        try {
            return Multihash.fromMultibase(text);
        } catch (OdfFormatException e) {
            throw new CorruptDatasetException("refs/head does not hold a hash: " + e.getMessage());
        }
    }

    /** Reads a block and checks that its bytes hash to its name. */
    public HashedBlock block(Multihash hash) {
        String key = DatasetLayout.block(id, hash);
        byte[] bytes;
        try {
            bytes = store.get(key).orElseThrow(() -> new CorruptDatasetException("missing block " + key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Multihash actual = Multihash.sha3(bytes);
        if (!actual.equals(hash)) throw new CorruptDatasetException("block " + key + " is corrupt: its bytes hash to " + actual);
        try {
            return new HashedBlock(hash, BlockCodec.decode(bytes), bytes);
        } catch (OdfFormatException e) {
            throw new CorruptDatasetException("block " + key + " cannot be decoded: " + e.getMessage());
        }
    }

    /** Blocks from {@code from} back to Seed, newest first, read lazily. */
    public Iterable<HashedBlock> blocksFrom(Multihash from) {
        return () -> new Iterator<>() {
            Multihash next = from;

            public boolean hasNext() {
                return next != null;
            }

            public HashedBlock next() {
                if (next == null) throw new NoSuchElementException();
                HashedBlock b = block(next);
                next = b.block().prevBlockHash();
                return b;
            }
        };
    }

    /** The chain newest first (empty if the dataset has no head). */
    public Iterable<HashedBlock> blocks() {
        return head().map(this::blocksFrom).orElse(List.of());
    }

    /** Folded state at the current head. */
    public ChainState state() {
        Multihash h = head().orElseThrow(() -> new DatasetNotFoundException(id.toDid()));
        return stateAt(h);
    }

    /** Folded state at {@code head}, reading only blocks newer than the cached state when possible. */
    public ChainState stateAt(Multihash head) {
        ChainState known = cachedState;
        if (known != null && known.head().equals(head)) return known;
        Deque<HashedBlock> newer = new ArrayDeque<>();
        Multihash cursor = head;
        ChainState base = null;
        while (cursor != null) {
            if (known != null && cursor.equals(known.head())) {
                base = known;
                break;
            }
            HashedBlock b = block(cursor);
            newer.push(b);
            if (known != null && b.block().sequenceNumber() <= known.sequenceNumber()) known = null; // diverged: refold from Seed
            cursor = b.block().prevBlockHash();
        }
        ChainState state = base;
        for (HashedBlock b : newer) state = ChainValidator.append(state, b.hash(), b.block());
        ChainState result = state;
        if (result != null) {
            ChainState current = cachedState;
            if (current == null || current.sequenceNumber() <= result.sequenceNumber()) cachedState = result;
        }
        return result;
    }

    /** Stores a data slice file under its physical hash (idempotent). */
    public void putData(Multihash physicalHash, Path file) {
        put(DatasetLayout.data(id, physicalHash), file);
    }

    /** Stores a checkpoint file under its physical hash (idempotent). */
    public void putCheckpoint(Multihash physicalHash, Path file) {
        put(DatasetLayout.checkpoint(id, physicalHash), file);
    }

    private void put(String key, Path file) {
        try {
            store.putIfAbsent(key, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public InputStream openData(Multihash physicalHash) throws IOException {
        return store.openStream(DatasetLayout.data(id, physicalHash));
    }

    public InputStream openCheckpoint(Multihash physicalHash) throws IOException {
        return store.openStream(DatasetLayout.checkpoint(id, physicalHash));
    }

    /** Commits one event built from the current state. */
    public CommitResult commit(MetadataEvent event) {
        return commit(state -> event);
    }

    public CommitResult commit(Function<ChainState, MetadataEvent> proposal) {
        return commit(proposal, DEFAULT_MAX_ATTEMPTS);
    }

    /**
     * The commit loop: read head → build the event from the folded state → validate → write the block (put-if-absent)
     * → compare-and-set {@code refs/head}. A lost race re-reads and rebuilds; validation errors are thrown at once.
     */
    public CommitResult commit(Function<ChainState, MetadataEvent> proposal, int maxAttempts) {
        return commitAll(List.of(), state -> List.of(proposal.apply(state)), maxAttempts).get(0);
    }

    /** A file stored with a commit ({@link #commitAll}): its object key and where it is now. */
    public record StagedFile(String key, Path file) {}

    /** A data slice to store with a commit, under its physical hash. */
    public StagedFile stagedData(Multihash physicalHash, Path file) {
        return new StagedFile(DatasetLayout.data(id, physicalHash), file);
    }

    /** A checkpoint to store with a commit, under its physical hash. */
    public StagedFile stagedCheckpoint(Multihash physicalHash, Path file) {
        return new StagedFile(DatasetLayout.checkpoint(id, physicalHash), file);
    }

    /**
     * Commits several events as consecutive blocks with one compare-and-set of the head, so readers see all of them
     * or none (e.g. a transform's SetDataSchema and the ExecuteTransform that writes data in it), after storing
     * {@code files} (put-if-absent, as {@link #putData}). Each event is validated against the state after the ones
     * before it; listeners are told of each block in order. Same loop as {@link #commit(Function, int)}; returns one
     * result per block.
     *
     * <p><b>Uploads stay outside the commit lock.</b> The files are content-addressed (named by their hash), so storing
     * them before the head moves is harmless: a commit that never lands leaves garbage, never corruption. They are
     * stored, side by side with a first attempt's blocks (each write made durable on its own: an fsync, a PUT, so
     * doing them together overlaps those waits), <em>before</em> the in-process commit lock is taken; under the lock
     * only the head's compare-and-set (and, should another writer have moved the head meanwhile, the later attempts'
     * block writes and swaps) happens. So another commit of this dataset in this process never queues behind a slice
     * upload. Whatever happens, no write is still running when this returns.
     */
    public List<CommitResult> commitAll(List<StagedFile> files, Function<ChainState, List<MetadataEvent>> proposal, int maxAttempts) {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
        if (files.isEmpty()) {
            commitLock.lock();
            try {
                return commitLoop(proposal, 1, maxAttempts);
            } finally {
                commitLock.unlock();
            }
        }
        Attempt first = prepare(proposal, 1); // a proposal that fails validation writes nothing, files included
        List<Future<?>> writes = new ArrayList<>();
        try {
            for (StagedFile f : files) writes.add(STORE_WRITES.submit(() -> put(f.key(), f.file())));
            for (int k = 0; k < first.encoded.size(); k++) {
                String key = DatasetLayout.block(id, first.results.get(k).newHead());
                byte[] bytes = first.encoded.get(k);
                writes.add(STORE_WRITES.submit(() -> {
                    store.putIfAbsent(key, bytes);
                    return null;
                }));
            }
            await(writes);
        } finally {
            awaitQuietly(writes); // the caller may delete the files once this returns
        }
        commitLock.lock();
        try {
            if (publish(first)) return first.results;
            if (maxAttempts == 1) throw new CommitConflictException(alias, 1);
            return commitLoop(proposal, 2, maxAttempts); // lost to a writer that moved the head during the uploads
        } finally {
            commitLock.unlock();
        }
    }

    /** Runs concurrent object writes of commits; daemon threads that end when idle. */
    private static final ExecutorService STORE_WRITES = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sluice-store-write");
        t.setDaemon(true);
        return t;
    });

    /** One attempt's blocks, built and validated on the head read with its version token. */
    private record Attempt(ObjectStore.Versioned ref, List<CommitResult> results, List<byte[]> encoded, ChainState next) {}

    /** Reads the head, folds the chain, builds and validates the proposed blocks (writes nothing). */
    private Attempt prepare(Function<ChainState, List<MetadataEvent>> proposal, int attempt) {
        ObjectStore.Versioned ref;
        try {
            ref = store.getVersioned(DatasetLayout.head(id)).orElseThrow(() -> new DatasetNotFoundException(id.toDid()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChainState state = stateAt(parseRef(ref.bytes()));
        List<MetadataEvent> events = proposal.apply(state);
        if (events.isEmpty()) throw new IllegalArgumentException("nothing to commit");
        List<CommitResult> results = new ArrayList<>();
        List<byte[]> encoded = new ArrayList<>();
        ChainState next = state;
        for (MetadataEvent event : events) {
            Instant now = clock.instant();
            Instant systemTime = now.isBefore(next.lastSystemTime()) ? next.lastSystemTime() : now;
            MetadataBlock block = new MetadataBlock(systemTime, next.head(), next.nextSequenceNumber(), event);
            byte[] bytes = BlockCodec.encode(block);
            Multihash hash = Multihash.sha3(bytes);
            results.add(new CommitResult(next.head(), hash, block, attempt));
            next = ChainValidator.append(next, hash, block);
            encoded.add(bytes);
        }
        return new Attempt(ref, results, encoded, next);
    }

    /** The head swap of a prepared attempt whose blocks are stored; listeners hear of each block. False: the head moved. */
    private boolean publish(Attempt a) {
        try {
            if (!store.compareAndSet(DatasetLayout.head(id), a.ref.version(), a.next.head().toMultibase().getBytes(StandardCharsets.UTF_8))) {
                return false;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cachedState = a.next;
        for (CommitResult result : a.results) {
            for (CommitListener l : listeners) l.committed(id, alias, result);
        }
        return true;
    }

    /** Attempts {@code from}..{@code maxAttempts} of the commit loop; called holding the commit lock. */
    private List<CommitResult> commitLoop(Function<ChainState, List<MetadataEvent>> proposal, int from, int maxAttempts) {
        for (int attempt = from; attempt <= maxAttempts; attempt++) {
            Attempt a = prepare(proposal, attempt);
            List<Future<?>> writes = new ArrayList<>();
            try {
                for (int k = 0; k < a.encoded.size() - 1; k++) {
                    String key = DatasetLayout.block(id, a.results.get(k).newHead());
                    byte[] bytes = a.encoded.get(k);
                    writes.add(STORE_WRITES.submit(() -> {
                        store.putIfAbsent(key, bytes);
                        return null;
                    }));
                }
                int last = a.encoded.size() - 1;
                store.putIfAbsent(DatasetLayout.block(id, a.results.get(last).newHead()), a.encoded.get(last));
                await(writes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                awaitQuietly(writes);
            }
            if (publish(a)) return a.results;
            if (attempt < maxAttempts) backoff(attempt);
        }
        throw new CommitConflictException(alias, maxAttempts);
    }

    /** Waits for every write; the first failure is rethrown as it was thrown. */
    private static void await(List<Future<?>> writes) {
        for (Future<?> f : writes) {
            try {
                f.get();
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof IOException io) throw new UncheckedIOException(io);
                if (c instanceof RuntimeException re) throw re;
                if (c instanceof Error err) throw err;
                throw new IllegalStateException(c);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("interrupted while storing a commit's objects", e);
            }
        }
    }

    /** Waits for every write to end, whatever its outcome (failures are reported by {@link #await}). */
    private static void awaitQuietly(List<Future<?>> writes) {
        boolean interrupted = false;
        for (Future<?> f : writes) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (ExecutionException e) {
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /**
     * Exponential backoff with full jitter after a lost race (as Iceberg's commit retries do), so that contending
     * writers spread out instead of colliding again in lockstep: 0..min(2^attempt, 1000) ms. The growing cap keeps
     * a writer that keeps losing from starving under sustained contention.
     */
    private static void backoff(int attempt) {
        long capMs = Math.min(1L << Math.min(attempt, 10), 1000);
        long nanos = java.util.concurrent.ThreadLocalRandom.current().nextLong(capMs * 1_000_000L + 1);
        java.util.concurrent.locks.LockSupport.parkNanos(nanos);
    }

    /**
     * A non-fast-forward head move: the chain is cut back to {@code base}, an ancestor of {@code expectedHead} (or that
     * head itself), and {@code events} are appended on top of it as new blocks — e.g. a derivative taken back to its
     * metadata so it can be recomputed. The new blocks are validated and written first; then the head is swapped
     * once, by compare-and-set from {@code expectedHead}, so the dataset is never seen half reset, and a concurrent
     * commit makes this fail with {@link CommitConflictException} having changed nothing. Blocks and data after
     * {@code base} stay in storage, unreferenced ({@code verify} lists them as garbage). Listeners get
     * {@link CommitListener#headReplaced} (not {@code committed}: this is not an append), as for compaction.
     *
     * @throws IllegalArgumentException {@code base} is not on the chain of {@code expectedHead}
     */
    public CommitResult resetTo(Multihash expectedHead, Multihash base, List<MetadataEvent> events) {
        commitLock.lock();
        try {
            String headKey = DatasetLayout.head(id);
            ObjectStore.Versioned ref;
            try {
                ref = store.getVersioned(headKey).orElseThrow(() -> new DatasetNotFoundException(id.toDid()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Multihash current = parseRef(ref.bytes());
            if (!current.equals(expectedHead)) throw new CommitConflictException(alias, 1);
            boolean onChain = false;
            for (HashedBlock b : blocksFrom(current)) {
                if (b.hash().equals(base)) {
                    onChain = true;
                    break;
                }
            }
            if (!onChain) throw new IllegalArgumentException("block " + base + " is not on the chain of " + alias + " at " + current);
            ChainState state = stateAt(base);
            List<byte[]> encoded = new ArrayList<>();
            List<Multihash> hashes = new ArrayList<>();
            MetadataBlock last = null;
            for (MetadataEvent event : events) {
                Instant now = clock.instant();
                Instant systemTime = now.isBefore(state.lastSystemTime()) ? state.lastSystemTime() : now;
                last = new MetadataBlock(systemTime, state.head(), state.nextSequenceNumber(), event);
                byte[] bytes = BlockCodec.encode(last);
                Multihash hash = Multihash.sha3(bytes);
                state = ChainValidator.append(state, hash, last);
                encoded.add(bytes);
                hashes.add(hash);
            }
            try {
                for (int i = 0; i < encoded.size(); i++) store.putIfAbsent(DatasetLayout.block(id, hashes.get(i)), encoded.get(i));
                if (!store.compareAndSet(headKey, ref.version(), state.head().toMultibase().getBytes(StandardCharsets.UTF_8))) {
                    throw new CommitConflictException(alias, 1);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            cachedState = state;
            for (CommitListener l : listeners) l.headReplaced(id, alias, current, state.head());
            return new CommitResult(current, state.head(), last != null ? last : block(base).block(), 1);
        } finally {
            commitLock.unlock();
        }
    }

    /** Newest-first list of all blocks (convenience for small chains and tests). */
    public List<HashedBlock> chain() {
        List<HashedBlock> out = new ArrayList<>();
        for (HashedBlock b : blocks()) out.add(b);
        return out;
    }

    @Override
    public String toString() {
        return alias + " (" + id + ")";
    }

    /**
     * Moves {@code refs/head} from {@code expectedHead} to {@code newHead}, which need not descend from it: the
     * non-fast-forward swap behind compaction (and resets), which rewrite the chain after a common prefix.
     *
     * <p>{@code newHead}'s chain must already be stored whole and is validated from Seed under the chain rules
     * (blocks hash to their names, links, sequence numbers, offsets, watermarks, ...); its Seed must be this
     * dataset's (same id, same kind). Data and checkpoint objects must have been written before (objects first, head
     * last). Then one compare-and-set from {@code expectedHead}: if the head is elsewhere, nothing changes and a
     * {@link HeadMovedException} (retryable) is thrown. Objects of the replaced blocks stay behind as garbage.
     * Listeners get {@link CommitListener#headReplaced}.
     *
     * @return the folded state at {@code newHead}
     * @throws HeadMovedException the head is not {@code expectedHead}
     * @throws dev.sluice.odf.chain.ChainValidationException {@code newHead}'s chain breaks a rule or belongs to another dataset
     * @throws CorruptDatasetException a block of {@code newHead}'s chain is missing or does not match its hash
     */
    public ChainState replaceHead(Multihash expectedHead, Multihash newHead) {
        java.util.Objects.requireNonNull(expectedHead, "expectedHead");
        java.util.Objects.requireNonNull(newHead, "newHead");
        String headKey = DatasetLayout.head(id);
        commitLock.lock();
        try {
            ObjectStore.Versioned ref = store.getVersioned(headKey).orElseThrow(() -> new DatasetNotFoundException(id.toDid()));
            Multihash current = parseRef(ref.bytes());
            if (!current.equals(expectedHead)) throw new HeadMovedException(alias, expectedHead, current);
            ChainState old = stateAt(expectedHead);
            ChainState next = stateAt(newHead); // folds (and so validates) from Seed unless a cached state is its ancestor
            if (!next.datasetId().equals(id) || next.kind() != old.kind()) {
                throw new dev.sluice.odf.chain.ChainValidationException(0, "the new chain starts with the Seed of "
                        + next.datasetId().toDid() + " (" + next.kind() + "), not of " + id.toDid() + " (" + old.kind() + ")");
            }
            if (newHead.equals(expectedHead)) return next;
            if (!store.compareAndSet(headKey, ref.version(), newHead.toMultibase().getBytes(StandardCharsets.UTF_8))) {
                throw new HeadMovedException(alias, expectedHead, head().orElse(null));
            }
            cachedState = next;
            for (CommitListener l : listeners) l.headReplaced(id, alias, expectedHead, newHead);
            return next;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            commitLock.unlock();
        }
    }
}
