package dev.sluice.transform;

import dev.sluice.data.OdfArrow;
import dev.sluice.data.SliceWriter;
import dev.sluice.engine.TransformRequestInput;
import dev.sluice.engine.Watermark;
import dev.sluice.ingest.SliceFiles;
import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DataSlice;
import dev.sluice.odf.DatasetVocabulary;
import dev.sluice.odf.ExecuteTransformInput;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.HashedBlock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a transform step needs from its inputs' chains: the blocks of a range, the slices and watermarks in it, the
 * slices before it, the schema and vocabulary at a position. Folded facts are cached by block hash (a chain prefix
 * never changes), so following an input block by block reads each block once.
 */
final class InputChains {
    /** An input's blocks {@code (prev, next]} for one step, and where it stood before. */
    record Range(Dataset ds, String queryAlias, Multihash prev, Multihash next, Long prevOffset, List<HashedBlock> blocks) {
        /** The block the input stands at after the step. */
        Multihash position() {
            return next != null ? next : prev;
        }

        List<DataSlice> slices() {
            List<DataSlice> out = new ArrayList<>();
            for (HashedBlock b : blocks) {
                DataSlice d = dataOf(b);
                if (d != null) out.add(d);
            }
            return out;
        }

        ExecuteTransformInput executeInput() {
            List<DataSlice> s = slices();
            Long newOffset = s.isEmpty() ? null : s.get(s.size() - 1).offsetInterval().end();
            return new ExecuteTransformInput(ds.id(), prev, next, prevOffset, newOffset);
        }
    }

    /** Facts of a chain up to a block: a persistent list of its slices, its schema, watermark and vocabulary. */
    record Facts(SliceNode slices, DataSchema schema, Instant watermark, Instant watermarkSystemTime, DatasetVocabulary vocab) {
        static final Facts EMPTY = new Facts(null, null, null, null, DatasetVocabulary.DEFAULT);

        Facts then(HashedBlock b) {
            MetadataEvent e = b.block().event();
            SliceNode s = slices;
            DataSlice d = dataOf(b);
            if (d != null) s = new SliceNode(d.physicalHash(), s);
            DataSchema sch = e instanceof MetadataEvent.SetDataSchema x && x.schema() != null ? x.schema() : schema;
            DatasetVocabulary v = e instanceof MetadataEvent.SetVocab x ? DatasetVocabulary.of(x) : vocab;
            Instant wm = watermark, wmAt = watermarkSystemTime;
            Instant bw = watermarkOf(b);
            if (bw != null) {
                wm = bw;
                wmAt = b.block().systemTime();
            }
            return new Facts(s, sch, wm, wmAt, v);
        }
    }

    record SliceNode(Multihash hash, SliceNode prev) {
        List<Multihash> toList() {
            List<Multihash> out = new ArrayList<>();
            for (SliceNode n = this; n != null; n = n.prev) out.add(n.hash);
            Collections.reverse(out);
            return out;
        }
    }

    private final SliceFiles sliceFiles;
    private final Path schemaDir;
    private final Map<Multihash, Facts> facts = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Multihash, Facts> eldest) {
            return size() > 8192;
        }
    });

    InputChains(Path scratchDir) {
        this.sliceFiles = new SliceFiles(scratchDir.resolve("slice-cache"));
        this.schemaDir = scratchDir.resolve("schemas");
    }

    static DataSlice dataOf(HashedBlock b) {
        MetadataEvent e = b.block().event();
        if (e instanceof MetadataEvent.AddData a) return a.newData();
        if (e instanceof MetadataEvent.ExecuteTransform x) return x.newData();
        return null;
    }

    static Instant watermarkOf(HashedBlock b) {
        MetadataEvent e = b.block().event();
        if (e instanceof MetadataEvent.AddData a) return a.newWatermark();
        if (e instanceof MetadataEvent.ExecuteTransform x) return x.newWatermark();
        return null;
    }

    /**
     * Blocks after {@code after} up to {@code upTo}, oldest first ({@code after} null: from Seed); null if {@code after}
     * is not on the chain of {@code upTo} (the history was rewritten).
     */
    static List<HashedBlock> between(Dataset ds, Multihash after, Multihash upTo) {
        Deque<HashedBlock> out = new ArrayDeque<>();
        for (HashedBlock b : ds.blocksFrom(upTo)) {
            if (b.hash().equals(after)) return new ArrayList<>(out);
            out.push(b);
        }
        return after == null ? new ArrayList<>(out) : null;
    }

    /** Facts of {@code ds} at {@code block} (null: before Seed). */
    Facts factsAt(Dataset ds, Multihash block) {
        if (block == null) return Facts.EMPTY;
        Facts known = facts.get(block);
        if (known != null) return known;
        Deque<HashedBlock> newer = new ArrayDeque<>();
        Facts base = Facts.EMPTY;
        for (HashedBlock b : ds.blocksFrom(block)) {
            Facts f = facts.get(b.hash());
            if (f != null) {
                base = f;
                break;
            }
            newer.push(b);
        }
        Facts f = base;
        for (HashedBlock b : newer) {
            f = f.then(b);
            facts.put(b.hash(), f);
        }
        return f;
    }

    /** How an input's view is typed in a step: its schema and the vocabulary that names its system columns. */
    record View(DataSchema schema, DatasetVocabulary vocab) {}

    /**
     * The input's view at {@code position}: its schema and vocabulary there; before its first schema, those at its
     * first SetDataSchema (a chain prefix never changes, so this is reproducible); null if it has no schema at all.
     */
    View viewFor(Dataset ds, Multihash position, Multihash head) {
        Facts f = factsAt(ds, position);
        if (f.schema() != null) return new View(f.schema(), f.vocab());
        for (HashedBlock b : between(ds, position, head)) {
            if (b.block().event() instanceof MetadataEvent.SetDataSchema x && x.schema() != null) {
                Facts at = factsAt(ds, b.hash());
                return new View(at.schema(), at.vocab());
            }
        }
        return null;
    }

    /**
     * The engine's view of one input for a step. {@code withPrior}: also the slices consumed before the range (for
     * engines that recompute over the whole history).
     */
    TransformRequestInput requestInput(Range r, View view, boolean withPrior) throws IOException {
        Facts before = factsAt(r.ds(), r.prev());
        List<Path> data = new ArrayList<>();
        OffsetInterval interval = null;
        for (DataSlice d : r.slices()) {
            data.add(sliceFiles.local(r.ds(), d.physicalHash()).toAbsolutePath());
            interval = interval == null ? d.offsetInterval() : new OffsetInterval(interval.start(), d.offsetInterval().end());
        }
        List<Watermark> wms = new ArrayList<>();
        for (HashedBlock b : r.blocks()) {
            Instant w = watermarkOf(b);
            if (w != null) wms.add(new Watermark(b.block().systemTime(), w));
        }
        // Nothing new from this input in the step: its watermark as it stood, so the engine can take min over inputs.
        if (wms.isEmpty() && before.watermark() != null) wms.add(new Watermark(before.watermarkSystemTime(), before.watermark()));
        List<Path> prior = new ArrayList<>();
        if (withPrior && before.slices() != null) {
            for (Multihash h : before.slices().toList()) prior.add(sliceFiles.local(r.ds(), h).toAbsolutePath());
        }
        return new TransformRequestInput(r.ds().id(), r.ds().alias(), r.queryAlias(), view.vocab(), interval, data,
                schemaFile(view.schema(), view.vocab()), wms, prior);
    }

    /** An empty slice with the input's schema (its view's columns while it has no data), written once per schema. */
    Path schemaFile(DataSchema schema, DatasetVocabulary vocab) throws IOException {
        String key = Multihash.sha3((schema.toString() + "|" + vocab).getBytes(StandardCharsets.UTF_8)).toMultibase();
        Path file = schemaDir.resolve(key + ".parquet");
        if (Files.isRegularFile(file)) return file.toAbsolutePath();
        Files.createDirectories(schemaDir);
        Path tmp = schemaDir.resolve(".tmp-" + UUID.randomUUID());
        try (SliceWriter w = SliceWriter.open(tmp, OdfArrow.toArrow(schema), SliceWriter.options().systemColumnsIncluded().vocabulary(vocab))) {
            w.finish();
        } catch (IllegalArgumentException e) {
            Files.deleteIfExists(tmp);
            throw new InvalidTransformException("an input's schema does not start with the system columns " + vocab + ": " + e.getMessage());
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return file.toAbsolutePath();
    }

    /** A derivative's own checkpoint as a local file in {@code dir}, checked against its hash. */
    static Path checkpointFile(Dataset ds, Multihash hash, Path dir) {
        if (hash == null) return null;
        Path f = dir.resolve("prev.checkpoint");
        var md = Multihash.newSha3();
        try (var in = ds.openCheckpoint(hash); var out = new java.security.DigestOutputStream(Files.newOutputStream(f), md)) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Multihash actual = new Multihash(Multihash.SHA3_256, md.digest());
        if (!actual.equals(hash)) throw new EngineFailedException("checkpoint " + hash + " of " + ds.alias() + " is corrupt: its bytes hash to " + actual);
        return f;
    }
}
