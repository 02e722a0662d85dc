package dev.sluice.storage;

import dev.sluice.odf.Checkpoint;
import dev.sluice.odf.DataSlice;
import dev.sluice.odf.MetadataBlock;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.OdfFormatException;
import dev.sluice.odf.chain.ChainState;
import dev.sluice.odf.chain.ChainValidationException;
import dev.sluice.odf.chain.ChainValidator;
import dev.sluice.odf.codec.BlockCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * End-to-end verification of one dataset: head → every block (bytes hash to their name, decodable, linked,
 * chain rules), every data and checkpoint object (present, physical hash and size match), and optional deep data
 * checks. Unreferenced objects are reported as garbage, not corruption.
 */
public final class DatasetVerifier {
    private final DataVerifier dataVerifier;

    public DatasetVerifier() {
        this(null);
    }

    public DatasetVerifier(DataVerifier dataVerifier) {
        this.dataVerifier = dataVerifier;
    }

    public VerifyReport verify(Dataset ds) throws IOException {
        ObjectStore store = ds.store();
        List<String> problems = new ArrayList<>();
        Set<String> referenced = new HashSet<>();
        String headKey = DatasetLayout.head(ds.id());
        referenced.add(headKey);
        referenced.add(DatasetLayout.alias(ds.id()));
        Optional<byte[]> headBytes = store.get(headKey);
        Deque<Object[]> chain = new ArrayDeque<>(); // {hash, block}, oldest first after the walk
        int dataObjects = 0;
        int checkpoints = 0;
        if (headBytes.isEmpty()) {
            problems.add(headKey + ": missing");
        } else {
            Multihash cursor = null;
            try {
                cursor = Dataset.parseRef(headBytes.get());
            } catch (CorruptDatasetException e) {
                problems.add(headKey + ": " + e.getMessage());
            }
            Set<Multihash> seen = new HashSet<>();
            while (cursor != null && problems.isEmpty()) {
                String key = DatasetLayout.block(ds.id(), cursor);
                if (!seen.add(cursor)) {
                    problems.add(key + ": chain loops back to this block");
                    break;
                }
                referenced.add(key);
                Optional<byte[]> bytes = store.get(key);
                if (bytes.isEmpty()) {
                    problems.add(key + ": missing (referenced by " + (chain.isEmpty() ? "refs/head" : "the next block") + ")");
                    break;
                }
                Multihash actual = Multihash.sha3(bytes.get());
                if (!actual.equals(cursor)) {
                    problems.add(key + ": content does not match its hash (bytes hash to " + actual + ")");
                    break;
                }
                MetadataBlock block;
                try {
                    block = BlockCodec.decode(bytes.get());
                } catch (OdfFormatException e) {
                    problems.add(key + ": cannot be decoded: " + e.getMessage());
                    break;
                }
                chain.push(new Object[] {cursor, block});
                cursor = block.prevBlockHash();
            }
        }
        int blocks = chain.size();
        if (problems.isEmpty()) {
            ChainState state = null;
            for (Object[] hb : chain) {
                Multihash hash = (Multihash) hb[0];
                MetadataBlock block = (MetadataBlock) hb[1];
                try {
                    state = ChainValidator.append(state, hash, block);
                } catch (ChainValidationException e) {
                    problems.add(DatasetLayout.block(ds.id(), hash) + ": " + e.getMessage());
                    break;
                }
            }
        }
        // Objects are checked newest first so the first problem named is the newest bad object on the path from head.
        List<Object[]> newestFirst = new ArrayList<>(chain);
        java.util.Collections.reverse(newestFirst);
        for (Object[] hb : newestFirst) {
            MetadataEvent e = ((MetadataBlock) hb[1]).event();
            DataSlice data = null;
            Checkpoint cp = null;
            if (e instanceof MetadataEvent.AddData a) {
                data = a.newData();
                cp = a.newCheckpoint();
            } else if (e instanceof MetadataEvent.ExecuteTransform x) {
                data = x.newData();
                cp = x.newCheckpoint();
            }
            if (data != null) {
                dataObjects++;
                String key = DatasetLayout.data(ds.id(), data.physicalHash());
                referenced.add(key);
                checkObject(store, key, data.physicalHash(), data.size(), problems);
                if (dataVerifier != null && problems.isEmpty()) {
                    try (InputStream in = store.openStream(key)) {
                        String p = dataVerifier.check(data, in);
                        if (p != null) problems.add(key + ": " + p);
                    } catch (Exception ex) {
                        problems.add(key + ": " + ex.getMessage());
                    }
                }
            }
            if (cp != null) {
                checkpoints++;
                String key = DatasetLayout.checkpoint(ds.id(), cp.physicalHash());
                if (referenced.add(key)) checkObject(store, key, cp.physicalHash(), cp.size(), problems);
            }
        }
        List<String> garbage = new ArrayList<>();
        for (String key : store.list(DatasetLayout.root(ds.id()))) {
            if (!referenced.contains(key)) garbage.add(key);
        }
        return new VerifyReport(ds.alias(), blocks, dataObjects, checkpoints, problems, garbage);
    }

    private static void checkObject(ObjectStore store, String key, Multihash expected, long size, List<String> problems) throws IOException {
        try (InputStream in = store.openStream(key)) {
            CountingHash ch = CountingHash.of(in);
            if (!ch.hash().equals(expected)) problems.add(key + ": content does not match its hash (bytes hash to " + ch.hash() + ")");
            else if (ch.size() != size) problems.add(key + ": size " + ch.size() + " differs from the recorded " + size);
        } catch (NoSuchFileException e) {
            problems.add(key + ": missing");
        }
    }

    private record CountingHash(Multihash hash, long size) {
        static CountingHash of(InputStream in) throws IOException {
            var md = Multihash.newSha3();
            byte[] buf = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
                total += n;
            }
            return new CountingHash(new Multihash(Multihash.SHA3_256, md.digest()), total);
        }
    }
}
