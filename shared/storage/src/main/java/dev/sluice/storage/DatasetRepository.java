package dev.sluice.storage;

import dev.sluice.odf.DatasetAlias;
import dev.sluice.odf.DatasetId;
import dev.sluice.odf.DatasetKind;
import dev.sluice.odf.DatasetSnapshot;
import dev.sluice.odf.MetadataBlock;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.OdfFormatException;
import dev.sluice.odf.Transform;
import dev.sluice.odf.TransformInput;
import dev.sluice.odf.chain.ChainState;
import dev.sluice.odf.chain.ChainValidator;
import dev.sluice.odf.codec.BlockCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * All datasets of one storage root ({@code <root>/<did multibase>/…}). Creates datasets from snapshots, resolves
 * aliases and ids, and hands out {@link Dataset} handles (cached, so their folded chain state is reused).
 */
public final class DatasetRepository {
    private final ObjectStore store;
    private final Clock clock;
    /** kamu's single-tenant account: {@code <it>/name} and bare {@code name} mean the same dataset; null = none. */
    private final String defaultAccount;
    private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<DatasetId, Dataset> handles = new ConcurrentHashMap<>();
    /**
     * Alias (lower case, default account dropped) → id, learnt from listings. An id's alias object is written once
     * at creation and never changes, so a hit needs only one check that the dataset still exists (its head), instead
     * of listing every dataset on every request.
     */
    private final ConcurrentHashMap<String, DatasetId> idsByAlias = new ConcurrentHashMap<>();

    public DatasetRepository(ObjectStore store, Clock clock) {
        this(store, clock, null);
    }

    /**
     * @param defaultAccount the single account of a single-tenant workspace or node (kamu's {@code kamu}): an alias
     *                       naming it matches datasets stored under the bare name and vice versa; null for none
     */
    public DatasetRepository(ObjectStore store, Clock clock, String defaultAccount) {
        this.store = store;
        this.clock = clock;
        this.defaultAccount = defaultAccount == null ? null : DatasetAlias.validateAccountName(defaultAccount);
    }

    public DatasetRepository(ObjectStore store) {
        this(store, Clock.systemUTC());
    }

    public ObjectStore store() {
        return store;
    }

    public void addListener(CommitListener listener) {
        listeners.add(listener);
    }

    /** One listed dataset. */
    public record Entry(DatasetId id, String alias) {}

    /** Datasets that have a head (a folder without {@code refs/head} is a partial creation and is skipped). */
    public List<Entry> list() {
        try {
            List<Entry> out = new ArrayList<>();
            for (String child : store.listChildren("")) {
                String name = child.endsWith("/") ? child.substring(0, child.length() - 1) : child;
                DatasetId id;
                try {
                    id = DatasetId.parse(name);
                } catch (OdfFormatException e) {
                    continue; // not a dataset folder
                }
                if (!store.exists(DatasetLayout.head(id))) continue;
                out.add(new Entry(id, readAlias(id)));
            }
            out.sort((a, b) -> a.alias().compareToIgnoreCase(b.alias()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readAlias(DatasetId id) throws IOException {
        return store.get(DatasetLayout.alias(id)).map(b -> new String(b, StandardCharsets.UTF_8).strip()).orElse(id.toDid());
    }

    /**
     * Finds by {@code did:odf:…} or alias (case-insensitive, as ODF names are). With a default account,
     * {@code <account>/name} and {@code name} are the same alias.
     */
    public Optional<Dataset> find(String ref) {
        if (DatasetId.looksLikeId(ref)) {
            DatasetId id = DatasetId.parse(ref);
            try {
                if (!store.exists(DatasetLayout.head(id))) return Optional.empty();
                return Optional.of(handle(id, readAlias(id)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        DatasetAlias wanted = withoutDefaultAccount(DatasetAlias.parse(ref));
        String key = wanted.normalized();
        DatasetId known = idsByAlias.get(key);
        try {
            if (known != null) {
                Dataset h = handles.get(known);
                if (store.exists(DatasetLayout.head(known))) return Optional.of(h != null ? h : handle(known, readAlias(known)));
                idsByAlias.remove(key, known); // deleted since: list again
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Optional<Dataset> found = Optional.empty();
        for (Entry e : list()) {
            DatasetAlias alias = withoutDefaultAccount(DatasetAlias.parse(e.alias()));
            idsByAlias.put(alias.normalized(), e.id());
            if (found.isEmpty() && alias.sameAs(wanted)) found = Optional.of(handle(e.id(), e.alias()));
        }
        return found;
    }

    private DatasetAlias withoutDefaultAccount(DatasetAlias a) {
        return a.hasAccount() && a.account().equalsIgnoreCase(defaultAccount) ? new DatasetAlias(null, a.name()) : a;
    }

    public Dataset get(String ref) {
        return find(ref).orElseThrow(() -> new DatasetNotFoundException(ref));
    }

    private Dataset handle(DatasetId id, String alias) {
        return handles.computeIfAbsent(id, k -> new Dataset(store, k, alias, clock, listeners));
    }

    /** Inputs of a snapshot's SetTransform that name no existing dataset. */
    public List<String> unresolvedInputs(DatasetSnapshot snapshot) {
        List<String> missing = new ArrayList<>();
        for (MetadataEvent e : snapshot.metadata()) {
            if (e instanceof MetadataEvent.SetTransform st) {
                for (TransformInput in : st.inputs()) {
                    if (find(in.datasetRef()).isEmpty()) missing.add(in.datasetRef());
                }
            }
        }
        return missing;
    }

    /**
     * Turns a snapshot's events into the form stored in a chain: SetTransform inputs resolved to dataset ids (alias
     * defaults to the referenced name) and the SQL {@code query} shorthand turned into {@code queries}.
     */
    public List<MetadataEvent> resolve(DatasetSnapshot snapshot) {
        List<MetadataEvent> out = new ArrayList<>();
        for (MetadataEvent e : snapshot.metadata()) {
            if (e instanceof MetadataEvent.Seed) throw new OdfFormatException("a DatasetSnapshot must not contain a Seed event");
            if (e instanceof MetadataEvent.SetTransform st) {
                List<TransformInput> inputs = new ArrayList<>();
                for (TransformInput in : st.inputs()) {
                    Dataset input = find(in.datasetRef())
                            .orElseThrow(() -> new DatasetNotFoundException(in.datasetRef() + " (input of " + snapshot.name() + ")"));
                    String alias = in.alias() != null ? in.alias() : DatasetAlias.parse(in.datasetRef()).name();
                    inputs.add(new TransformInput(input.id().toDid(), alias));
                }
                Transform t = st.transform() instanceof Transform.Sql sql ? sql.normalized() : st.transform();
                e = new MetadataEvent.SetTransform(inputs, t);
            }
            out.add(e);
        }
        return out;
    }

    public Dataset create(DatasetSnapshot snapshot) {
        return create(DatasetAlias.parse(snapshot.name()), snapshot.kind(), resolve(snapshot));
    }

    /**
     * As {@link #create(DatasetSnapshot)} with a given identity instead of a new one (whose ed25519 key pair costs a
     * cold process ~130 JCA classes): for a throwaway dataset, e.g. a warm-up's.
     */
    public Dataset create(DatasetId id, DatasetSnapshot snapshot) {
        return create(id, DatasetAlias.parse(snapshot.name()), snapshot.kind(), resolve(snapshot));
    }

    /**
     * Creates a dataset atomically: Seed and the given events are validated as a chain, all blocks are written, and
     * only then {@code refs/head} is created (compare-and-set from absent), then {@code info/alias}. Listeners then
     * get {@link CommitListener#created}.
     */
    public Dataset create(DatasetAlias alias, DatasetKind kind, List<MetadataEvent> events) {
        return create(DatasetId.generate(), alias, kind, events);
    }

    private Dataset create(DatasetId id, DatasetAlias alias, DatasetKind kind, List<MetadataEvent> events) {
        if (kind == null) throw new OdfFormatException("dataset kind is required (Root or Derivative)");
        if (find(alias.toString()).isPresent()) throw new DatasetAlreadyExistsException(alias.toString());
        List<MetadataEvent> all = new ArrayList<>();
        all.add(new MetadataEvent.Seed(id, kind));
        all.addAll(events);
        Instant now = clock.instant();
        ChainState state = null;
        Multihash prev = null;
        List<byte[]> encoded = new ArrayList<>();
        List<Multihash> hashes = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            MetadataBlock block = new MetadataBlock(now, prev, i, all.get(i));
            byte[] bytes = BlockCodec.encode(block);
            Multihash hash = Multihash.sha3(bytes);
            state = ChainValidator.append(state, hash, block);
            encoded.add(bytes);
            hashes.add(hash);
            prev = hash;
        }
        try {
            for (int i = 0; i < encoded.size(); i++) store.putIfAbsent(DatasetLayout.block(id, hashes.get(i)), encoded.get(i));
            store.putIfAbsent(DatasetLayout.alias(id), alias.toString().getBytes(StandardCharsets.UTF_8));
            if (!store.compareAndSet(DatasetLayout.head(id), null, prev.toMultibase().getBytes(StandardCharsets.UTF_8))) {
                throw new DatasetAlreadyExistsException(id.toDid());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Dataset ds = handle(id, alias.toString());
        for (CommitListener l : listeners) l.created(id, alias.toString(), state);
        return ds;
    }

    /** Deletes a dataset: {@code refs/head} first (it stops existing), then every object. */
    public void delete(Dataset dataset) {
        try {
            store.delete(DatasetLayout.head(dataset.id()));
            for (String key : store.list(DatasetLayout.root(dataset.id()))) store.delete(key);
            handles.remove(dataset.id());
            idsByAlias.values().remove(dataset.id());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
