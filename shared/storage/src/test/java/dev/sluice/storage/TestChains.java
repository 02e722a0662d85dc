package dev.sluice.storage;

import dev.sluice.odf.DataSlice;
import dev.sluice.odf.DatasetAlias;
import dev.sluice.odf.DatasetKind;
import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DataField;
import dev.sluice.odf.DataType;
import dev.sluice.odf.MergeStrategy;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.odf.ReadStep;
import dev.sluice.odf.chain.ChainState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/** Builders for test chains: a root dataset with a push source, and AddData commits with real data objects. */
final class TestChains {
    private TestChains() {}

    static Dataset createRoot(DatasetRepository repo, String name) {
        var schema = new DataSchema(List.of(
                new DataField("match_time", new DataType.Timestamp(null, null), null),
                new DataField("score", new DataType.Int64(), null)), null);
        var read = new ReadStep.NdJson(schema, null, null, null, null);
        return repo.create(DatasetAlias.parse(name), DatasetKind.Root, List.of(
                new MetadataEvent.AddPushSource("default", read, null, new MergeStrategy.Append()),
                new MetadataEvent.SetVocab(null, null, null, "match_time")));
    }

    /**
     * A proposal that appends {@code rows} records: the data object (unique content per tag) is stored first, and the
     * offsets come from the state the commit loop hands over, so retries after a lost race stay consistent.
     */
    static Function<ChainState, MetadataEvent> addData(Dataset ds, Path scratch, String tag, int rows) {
        byte[] content = ("data of " + tag).getBytes(StandardCharsets.UTF_8);
        Multihash physical = Multihash.sha3(content);
        try {
            Path f = scratch.resolve(physical.toMultibase());
            if (!Files.exists(f)) Files.write(f, content);
            ds.putData(physical, f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Multihash logical = new Multihash(Multihash.ARROW0_SHA3_256, Multihash.sha3("logical " + tag).digest());
        return state -> {
            long start = state.nextOffset();
            Instant wm = Instant.parse("2020-01-01T00:00:00Z").plusSeconds(start);
            return new MetadataEvent.AddData(null, state.lastOffset(),
                    new DataSlice(logical, physical, new OffsetInterval(start, start + rows - 1), content.length),
                    null, wm, null, null);
        };
    }
}
