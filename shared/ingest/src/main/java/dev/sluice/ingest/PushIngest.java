package dev.sluice.ingest;

import dev.sluice.data.read.RecordReaders;
import dev.sluice.odf.ExtraAttributes;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.ReadStep;
import dev.sluice.odf.chain.ChainState;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.HashedBlock;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Push ingest as a library call: the body goes through {@link IngestPipeline} (read with the push source's read step
 * or the given media type → merge by the source's strategy → one Parquet slice → SetDataSchema when the schema first
 * appears or grows, then AddData), retried on a new head when another writer commits first.
 *
 * <p>An idempotency key is recorded in the AddData block's extra attributes, so the log itself says whether a key
 * was committed: the same key twice commits once.
 */
public final class PushIngest {
    /** Extra attribute holding the idempotency key of the push that produced an AddData block. */
    public static final String IDEMPOTENCY_KEY_ATTRIBUTE = "sluice.dev/idempotencyKey";
    /** How far back the chain is searched for an idempotency key (the index makes this a lookup later). */
    static final int IDEMPOTENCY_WINDOW_BLOCKS = 10_000;

    private final Path scratchDir;
    private final Clock clock;
    private final Preprocessor preprocessor;
    private final IngestPipeline pipeline;

    public PushIngest(Path scratchDir, Clock clock, Preprocessor preprocessor) {
        this.scratchDir = scratchDir;
        this.clock = clock;
        this.preprocessor = preprocessor;
        this.pipeline = new IngestPipeline(scratchDir, clock, preprocessor);
    }

    public PushIngest(Path scratchDir, Clock clock) {
        this(scratchDir, clock, null);
    }

    public PushIngest(Path scratchDir) {
        this(scratchDir, Clock.systemUTC());
    }

    /** The same ingest with a preprocess engine for sources that have a {@code preprocess} query. */
    public PushIngest withPreprocessor(Preprocessor p) {
        return new PushIngest(scratchDir, clock, p);
    }

    /**
     * @param sourceName    push source; null when the dataset has exactly one
     * @param mediaType     format of the body (e.g. {@code text/csv}); null = the source's own read step
     * @param idempotencyKey null, or a key that makes a retried push commit once
     */
    public IngestResult ingest(Dataset ds, String sourceName, String mediaType, IngestSource body, String idempotencyKey) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 256 || idempotencyKey.chars().anyMatch(c -> c < 0x20))) {
            throw new IngestException("idempotency key must be 1–256 printable characters");
        }
        ExtraAttributes extra = idempotencyKey == null ? null : new ExtraAttributes(Map.of(IDEMPOTENCY_KEY_ATTRIBUTE, idempotencyKey));
        return pipeline.run(ds, body, state -> {
            if (idempotencyKey != null) {
                IngestResult dup = findCommitted(ds, state, idempotencyKey);
                if (dup != null) return IngestPipeline.Decision.done(dup);
            }
            MetadataEvent.AddPushSource source = pickSource(ds, state, sourceName);
            ReadStep step = mediaType == null ? source.read() : RecordReaders.forMediaType(source.read(), mediaType);
            return IngestPipeline.Decision.ingest(new IngestPipeline.Plan("push source '" + source.sourceName() + "'", step,
                    source.preprocess(), source.merge(), null, null, extra));
        });
    }

    private static MetadataEvent.AddPushSource pickSource(Dataset ds, ChainState state, String name) {
        Map<String, MetadataEvent.AddPushSource> sources = state.pushSources();
        if (sources.isEmpty()) throw new IngestException("dataset " + ds.alias() + " has no push source");
        if (name == null) {
            if (sources.size() == 1) return sources.values().iterator().next();
            throw new IngestException("dataset " + ds.alias() + " has several push sources " + sources.keySet() + "; name one with sourceName");
        }
        MetadataEvent.AddPushSource s = sources.get(name);
        if (s == null) throw new IngestException("dataset " + ds.alias() + " has no push source '" + name + "' (it has " + sources.keySet() + ")");
        return s;
    }

    private static IngestResult findCommitted(Dataset ds, ChainState state, String key) {
        int seen = 0;
        for (HashedBlock b : ds.blocksFrom(state.head())) {
            if (++seen > IDEMPOTENCY_WINDOW_BLOCKS) break;
            if (b.block().event() instanceof MetadataEvent.AddData a && a.extra() != null
                    && Objects.equals(a.extra().entries().get(IDEMPOTENCY_KEY_ATTRIBUTE), key)) {
                long rows = a.newData() == null ? 0 : a.newData().offsetInterval().end() - a.newData().offsetInterval().start() + 1;
                return new IngestResult(state.head(), state.head(), 0, rows, a.newData() == null ? null : a.newData().offsetInterval(), true, 0);
            }
        }
        return null;
    }
}
