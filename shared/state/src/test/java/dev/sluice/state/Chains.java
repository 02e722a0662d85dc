package dev.sluice.state;

import dev.sluice.odf.DataField;
import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DataSlice;
import dev.sluice.odf.DataType;
import dev.sluice.odf.DatasetAlias;
import dev.sluice.odf.DatasetKind;
import dev.sluice.odf.MergeStrategy;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.odf.ReadStep;
import dev.sluice.odf.Transform;
import dev.sluice.odf.TransformInput;
import dev.sluice.odf.chain.ChainState;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Test chains: roots with a push source and AddData commits (metadata only), derivatives with SetTransform. */
final class Chains {
    private Chains() {}

    static final DataSchema SCHEMA = new DataSchema(List.of(
            new DataField("match_time", new DataType.Timestamp(null, null), null),
            new DataField("score", new DataType.Int64(), null)), null);

    static Dataset createRoot(DatasetRepository repo, String name) {
        var read = new ReadStep.NdJson(SCHEMA, null, null, null, null);
        return repo.create(DatasetAlias.parse(name), DatasetKind.Root, List.of(
                new MetadataEvent.AddPushSource("default", read, null, new MergeStrategy.Append()),
                new MetadataEvent.SetVocab(null, null, null, "match_time")));
    }

    static Dataset createDerivative(DatasetRepository repo, String name, Dataset... inputs) {
        List<TransformInput> in = new ArrayList<>();
        for (Dataset d : inputs) in.add(new TransformInput(d.id().toDid(), d.alias().replace('/', '-')));
        return repo.create(DatasetAlias.parse(name), DatasetKind.Derivative, List.of(
                new MetadataEvent.SetTransform(in, new Transform.Sql("datafusion", null, "SELECT 1", null, null).normalized())));
    }

    /** AddData of {@code rows} records built from the state handed over by the commit loop (retry-safe). */
    static Function<ChainState, MetadataEvent> addData(String tag, int rows) {
        Multihash physical = Multihash.sha3("physical " + tag);
        Multihash logical = new Multihash(Multihash.ARROW0_SHA3_256, Multihash.sha3("logical " + tag).digest());
        return state -> {
            long start = state.nextOffset();
            Instant wm = Instant.parse("2020-01-01T00:00:00Z").plusSeconds(start);
            return new MetadataEvent.AddData(null, state.lastOffset(),
                    new DataSlice(logical, physical, new OffsetInterval(start, start + rows - 1), 100 + rows),
                    null, wm, null, null);
        };
    }

    static MetadataEvent info(String text) {
        return new MetadataEvent.SetInfo(text, List.of("k"));
    }
}
