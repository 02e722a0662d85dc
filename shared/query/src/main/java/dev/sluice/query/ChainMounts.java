package dev.sluice.query;

import dev.sluice.odf.DataSchema;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.HashedBlock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a dataset looks like as of one block: its data slices in offset order and its schema. A chain up to a given
 * block never changes (blocks are content-addressed), so results are cached by block hash, and a newer head is folded
 * incrementally from the nearest cached ancestor — a query at an unchanged head reads only {@code refs/head}.
 */
final class ChainMounts {
    /** @param schemaVersions number of SetDataSchema events so far (more than one ⇒ slices may differ in columns) */
    record Mount(List<Multihash> slices, DataSchema schema, int schemaVersions) {}

    private final Map<Multihash, Mount> cache;

    ChainMounts(int maxEntries) {
        this.cache = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Multihash, Mount> eldest) {
                return size() > maxEntries;
            }
        });
    }

    Mount at(Dataset ds, Multihash block) {
        Mount known = cache.get(block);
        if (known != null) return known;
        Deque<HashedBlock> newer = new ArrayDeque<>();
        Mount base = null;
        for (Multihash cursor = block; cursor != null; ) {
            base = cache.get(cursor);
            if (base != null) break;
            HashedBlock b = ds.block(cursor);
            newer.push(b);
            cursor = b.block().prevBlockHash();
        }
        List<Multihash> slices = base == null ? new ArrayList<>() : new ArrayList<>(base.slices());
        DataSchema schema = base == null ? null : base.schema();
        int versions = base == null ? 0 : base.schemaVersions();
        for (HashedBlock b : newer) { // oldest first
            MetadataEvent e = b.block().event();
            if (e instanceof MetadataEvent.AddData a && a.newData() != null) slices.add(a.newData().physicalHash());
            else if (e instanceof MetadataEvent.ExecuteTransform t && t.newData() != null) slices.add(t.newData().physicalHash());
            else if (e instanceof MetadataEvent.SetDataSchema s) {
                // Legacy blocks carry only raw Arrow bytes; the chain fold decodes them.
                schema = s.schema() != null ? s.schema() : ds.stateAt(b.hash()).schema();
                versions++;
            }
        }
        Mount m = new Mount(List.copyOf(slices), schema, versions);
        cache.put(block, m);
        return m;
    }
}
