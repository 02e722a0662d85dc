package dev.sluice.odf.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.DataField;
import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DataSlice;
import dev.sluice.odf.DataType;
import dev.sluice.odf.DatasetId;
import dev.sluice.odf.DatasetKind;
import dev.sluice.odf.ExecuteTransformInput;
import dev.sluice.odf.MergeStrategy;
import dev.sluice.odf.MetadataBlock;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.odf.ReadStep;
import dev.sluice.odf.Transform;
import dev.sluice.odf.TransformInput;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainValidatorTest {
    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    /** Appends events to a chain, using fake block hashes (the validator never decodes). */
    static final class Chain {
        ChainState state;
        int n;

        Chain(DatasetKind kind) {
            state = ChainValidator.append(null, h(0), new MetadataBlock(T0, null, 0, new MetadataEvent.Seed(DatasetId.generate(), kind)));
        }

        ChainState add(MetadataEvent e) {
            return add(e, T0.plusSeconds(n + 1));
        }

        ChainState add(MetadataEvent e, Instant time) {
            n++;
            state = ChainValidator.append(state, h(n), new MetadataBlock(time, state.head(), state.nextSequenceNumber(), e));
            return state;
        }
    }

    static Multihash h(int i) {
        return Multihash.sha3("block " + i);
    }

    static DataSlice slice(long start, long end) {
        return new DataSlice(new Multihash(Multihash.ARROW0_SHA3_256, Multihash.sha3("l" + start).digest()), Multihash.sha3("p" + start),
                new OffsetInterval(start, end), 100);
    }

    static MetadataEvent.AddData addData(Long prevOffset, long start, long end, Instant wm) {
        return new MetadataEvent.AddData(null, prevOffset, slice(start, end), null, wm, null, null);
    }

    static MetadataEvent.AddPushSource push() {
        return new MetadataEvent.AddPushSource("default", new ReadStep.NdJson(null, List.of("a BIGINT"), null, null, null), null, new MergeStrategy.Append());
    }

    @Test
    void validRootChainFoldsState() {
        Chain c = new Chain(DatasetKind.Root);
        c.add(push());
        c.add(addData(null, 0, 9, T0));
        ChainState s = c.add(addData(9L, 10, 19, T0.plusSeconds(5)));
        assertEquals(3, s.sequenceNumber());
        assertEquals(19L, s.lastOffset());
        assertEquals(20, s.nextOffset());
        assertEquals(T0.plusSeconds(5), s.watermark());
        assertEquals(List.of("default"), s.pushSourceNames());
    }

    @Test
    void firstBlockMustBeSeed() {
        var e = assertThrows(ChainValidationException.class,
                () -> ChainValidator.append(null, h(0), new MetadataBlock(T0, null, 0, new MetadataEvent.SetInfo("x", null))));
        assertTrue(e.getMessage().contains("first block must be Seed"));
    }

    @Test
    void linksSequenceAndTimeAreChecked() {
        Chain c = new Chain(DatasetKind.Root);
        ChainState s = c.state;
        assertThrows(ChainValidationException.class, () -> ChainValidator.append(s, h(9), new MetadataBlock(T0, s.head(), 2, push())), "gap");
        assertThrows(ChainValidationException.class, () -> ChainValidator.append(s, h(9), new MetadataBlock(T0, h(77), 1, push())), "bad link");
        assertThrows(ChainValidationException.class, () -> ChainValidator.append(s, h(9), new MetadataBlock(T0.minusSeconds(1), s.head(), 1, push())), "time");
        assertThrows(ChainValidationException.class,
                () -> ChainValidator.append(s, h(9), new MetadataBlock(T0, s.head(), 1, new MetadataEvent.Seed(DatasetId.generate(), DatasetKind.Root))), "second seed");
    }

    @Test
    void offsetsWatermarksAndNoOpsAreChecked() {
        Chain c = new Chain(DatasetKind.Root);
        c.add(push());
        c.add(addData(null, 0, 9, T0.plusSeconds(10)));
        assertThrows(ChainValidationException.class, () -> c.add(addData(9L, 11, 19, T0.plusSeconds(10))), "offset gap");
        assertThrows(ChainValidationException.class, () -> c.add(addData(8L, 10, 19, T0.plusSeconds(10))), "wrong prevOffset");
        assertThrows(ChainValidationException.class, () -> c.add(addData(9L, 10, 19, T0)), "watermark backwards");
        assertThrows(ChainValidationException.class, () -> c.add(addData(9L, 10, 19, null)), "watermark unset");
        assertThrows(ChainValidationException.class,
                () -> c.add(new MetadataEvent.AddData(null, 9L, null, null, T0.plusSeconds(10), null, null)), "no-op");
        assertThrows(ChainValidationException.class, () -> c.add(addData(9L, 10, 19, T0.plusSeconds(11)), T0), "system time backwards");
    }

    @Test
    void rootAndDerivativeEventsAreSeparated() {
        Chain root = new Chain(DatasetKind.Root);
        DatasetId input = DatasetId.generate();
        var tr = new MetadataEvent.SetTransform(List.of(new TransformInput(input.toDid(), "in")),
                new Transform.Sql("datafusion", null, null, List.of(new Transform.SqlQueryStep(null, "select * from in")), null));
        assertThrows(ChainValidationException.class, () -> root.add(tr));

        Chain der = new Chain(DatasetKind.Derivative);
        assertThrows(ChainValidationException.class, () -> der.add(addData(null, 0, 1, T0)), "AddData on derivative");
        assertThrows(ChainValidationException.class, () -> der.add(push()), "push source on derivative");
        var exec = new MetadataEvent.ExecuteTransform(List.of(new ExecuteTransformInput(input, null, h(5), null, 9L)), null, null, slice(0, 3), null, T0);
        assertThrows(ChainValidationException.class, () -> der.add(exec), "ExecuteTransform before SetTransform");
        der.add(tr);
        ChainState s = der.add(exec);
        assertEquals(3L, s.lastOffset());
        var unresolved = new MetadataEvent.SetTransform(List.of(new TransformInput("player-scores", "p")), tr.transform());
        assertThrows(ChainValidationException.class, () -> der.add(unresolved), "inputs must be ids");
        var wrongInput = new MetadataEvent.ExecuteTransform(List.of(new ExecuteTransformInput(DatasetId.generate(), null, h(6), 9L, 10L)), null, 3L, null, null, T0);
        assertThrows(ChainValidationException.class, () -> der.add(wrongInput), "unknown input");
    }

    @Test
    void schemaEvolutionIsAdditiveOnly() {
        Chain c = new Chain(DatasetKind.Root);
        var a = new DataField("a", new DataType.Int64(), null);
        var b = new DataField("b", new DataType.String(), null);
        c.add(new MetadataEvent.SetDataSchema(null, new DataSchema(List.of(a), null)));
        c.add(new MetadataEvent.SetDataSchema(null, new DataSchema(List.of(a, b), null)));
        assertThrows(ChainValidationException.class, () -> c.add(new MetadataEvent.SetDataSchema(null, new DataSchema(List.of(b), null))));
        assertThrows(ChainValidationException.class,
                () -> c.add(new MetadataEvent.SetDataSchema(null, new DataSchema(List.of(new DataField("a", new DataType.Int32(), null), b), null))));
    }

    @Test
    void disablingUnknownSourcesFails() {
        Chain c = new Chain(DatasetKind.Root);
        assertThrows(ChainValidationException.class, () -> c.add(new MetadataEvent.DisablePushSource("nope")));
        assertThrows(ChainValidationException.class, () -> c.add(new MetadataEvent.DisablePollingSource()));
        c.add(push());
        assertTrue(c.add(new MetadataEvent.DisablePushSource("default")).pushSources().isEmpty());
    }
}
