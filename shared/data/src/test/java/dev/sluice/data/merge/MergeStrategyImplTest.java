package dev.sluice.data.merge;

import static dev.sluice.data.merge.Tables.row;
import static dev.sluice.data.merge.Tables.schema;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.DatasetVocabulary;
import dev.sluice.odf.MergeStrategy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergeStrategyImplTest {
    private final BufferAllocator alloc = new RootAllocator();

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        alloc.close();
    }

    private List<List<Object>> merge(MergeStrategy s, PreviousData prev, Schema schema, List<List<Object>> rows) throws Exception {
        try (VectorSchemaRoot in = Tables.batch(schema, alloc, rows);
             MergeResult r = MergeStrategyImpl.of(s, alloc).merge(prev, schema, List.of(in))) {
            List<List<Object>> out = new ArrayList<>();
            for (VectorSchemaRoot b : r.batches()) out.addAll(Tables.rows(b));
            return out;
        }
    }

    /** kamu's projection example: the state is the latest row per key unless retracted; -C/+C history honoured. */
    @Test
    void snapshotProjectsAHandWrittenChangelog() throws Exception {
        Schema ledger = schema("offset:int64", "op:int32", "city:string", "population:int64");
        try (VectorSchemaRoot prev = Tables.batch(ledger, alloc, List.of(
                row(0, 0, "a", 1000), row(1, 0, "b", 2000), row(2, 0, "c", 3000),
                row(3, 2, "b", 2000), row(4, 3, "b", 2500),
                row(5, 2, "a", 1000), row(6, 3, "a", 1500), row(7, 1, "a", 1500)))) {
            Schema cities = schema("city:string", "population:int64");
            var out = merge(new MergeStrategy.Snapshot(List.of("city"), null), PreviousData.ofBatches(List.of(prev)), cities,
                    List.of(row("c", 3000), row("b", 2500), row("a", 1)));
            assertEquals(List.of(row("+A", "a", 1L)), out);
            out = merge(new MergeStrategy.Snapshot(List.of("city"), null), PreviousData.ofBatches(List.of(prev)), cities, List.of());
            assertEquals(List.of(row("-R", "b", 2500L), row("-R", "c", 3000L)), out);
        }
    }

    /** A long correction history over few keys: the state table is compacted many times on the way. */
    @Test
    void longHistoryOfCorrectionsProjectsToTheLatestValues() throws Exception {
        Schema ledger = schema("offset:int64", "op:int32", "city:string", "population:int64");
        List<List<Object>> rows = new ArrayList<>();
        long[] pop = new long[10];
        for (int k = 0; k < 10; k++) rows.add(row(rows.size(), 0, "k" + k, 0));
        for (int i = 1; i <= 3 * BaseMerge.COMPACT_MIN_ROWS; i++) {
            int k = i % 10;
            rows.add(row(rows.size(), 2, "k" + k, pop[k]));
            pop[k] = i;
            rows.add(row(rows.size(), 3, "k" + k, pop[k]));
        }
        rows.add(row(rows.size(), 1, "k9", pop[9])); // k9 retracted at the end
        List<VectorSchemaRoot> prev = new ArrayList<>();
        try {
            for (int from = 0; from < rows.size(); from += 1000) {
                prev.add(Tables.batch(ledger, alloc, rows.subList(from, Math.min(rows.size(), from + 1000))));
            }
            Schema cities = schema("city:string", "population:int64");
            List<List<Object>> snapshot = new ArrayList<>();
            for (int k = 0; k < 9; k++) snapshot.add(row("k" + k, k == 3 ? -1 : pop[k]));
            var out = merge(new MergeStrategy.Snapshot(List.of("city"), null), PreviousData.ofBatches(prev), cities, snapshot);
            assertEquals(List.of(row("-C", "k3", pop[3]), row("+C", "k3", -1L)), out);
        } finally {
            prev.forEach(VectorSchemaRoot::close);
        }
    }

    private static final Schema STORED = schema("offset:int64", "op:int32", "city:string", "population:int64");

    /** Rows (offset i, +A, "k" + i, i) for i below {@code rows}, 4096 a batch, each batch freed after the call. */
    private void streamHistory(int rows, PreviousData.BatchConsumer c) throws java.io.IOException {
        for (int from = 0; from < rows; from += 4096) {
            List<List<Object>> batch = new ArrayList<>();
            for (int i = from; i < Math.min(rows, from + 4096); i++) batch.add(row(i, 0, "k" + i, i));
            try (VectorSchemaRoot b = Tables.batch(STORED, alloc, batch)) {
                c.accept(b);
            }
        }
    }

    /**
     * Ledger against a long history streamed one batch at a time (each freed before the next): the input's keys that
     * occur anywhere in it are struck, the rest kept once in input order, across several output batches.
     */
    @Test
    void ledgerStreamsALongHistoryPastTheInput() throws Exception {
        int history = 500_000;
        int[] batches = {0};
        PreviousData previous = c -> streamHistory(history, b -> {
            c.accept(b);
            batches[0]++;
        });
        List<List<Object>> input = new ArrayList<>();
        List<List<Object>> expected = new ArrayList<>();
        for (int j = 0; j < 20_000; j++) {
            if (j % 7 == 0) {
                input.add(row("k" + (j * 25), -j)); // in the history (first, middle and last keys among them)
            } else {
                input.add(row("n" + j, j));
                expected.add(row("+A", "n" + j, (long) j));
            }
        }
        input.add(row("k" + (history - 1), 0));
        input.add(row("n1", 999)); // a repeat in the input: the first occurrence wins
        var out = merge(new MergeStrategy.Ledger(List.of("city")), previous, schema("city:string", "population:int64"), input);
        assertEquals(expected, out);
        assertEquals((history + 4095) / 4096, batches[0]);
    }

    /** UpsertStream loads the previous state of the input's keys only, from a history streamed a batch at a time. */
    @Test
    void upsertStreamAgainstALongHistory() throws Exception {
        int history = 100_000;
        PreviousData previous = c -> {
            streamHistory(history, c);
            try (VectorSchemaRoot b = Tables.batch(STORED, alloc, List.of(row(history, 1, "k5", 5),
                    row(history + 1, 2, "k7", 7), row(history + 2, 3, "k7", 70)))) {
                c.accept(b);
            }
        };
        var out = merge(new MergeStrategy.UpsertStream(List.of("city")), previous,
                schema("op:int32", "city:string", "population:int64"), List.of(
                        row(0, "k1", 1),          // same values: nothing
                        row(0, "k2", 22),         // changed: -C/+C
                        row(1, "k3", 0),          // delete of a live key: -R with the old values
                        row(1, "zz", 0),          // delete of an unknown key: nothing
                        row(0, "k5", 55),         // retracted earlier: +A
                        row(3, "k7", 70),         // as corrected earlier: nothing
                        row(0, "new", 1),
                        row(0, "k99999", 1)));
        assertEquals(List.of(row("-C", "k2", 2L), row("+C", "k2", 22L), row("-R", "k3", 3L), row("+A", "k5", 55L),
                row("-C", "k99999", 99999L), row("+C", "k99999", 1L), row("+A", "new", 1L)), out);
    }

    @Test
    void outputIsSortedByKeyValueNotByText() throws Exception {
        Schema s = schema("id:int64", "v:string");
        var out = merge(new MergeStrategy.Snapshot(List.of("id"), null), PreviousData.none(), s,
                List.of(row(100, "x"), row(9, "x"), row(-3, "x"), row(10, "x")));
        assertEquals(List.of(-3L, 9L, 10L, 100L), out.stream().map(r -> r.get(1)).toList());
    }

    @Test
    void resultSchemaIsOpThenNormalisedDataColumns() throws Exception {
        Schema s = schema("t:timestamp_us", "k:string");
        try (VectorSchemaRoot in = Tables.batch(s, alloc, List.of(row("2000-01-01", "a")));
             MergeResult r = MergeStrategyImpl.of(new MergeStrategy.Append(), alloc).merge(PreviousData.none(), s, List.of(in))) {
            assertEquals("op", r.schema().getFields().get(0).getName());
            assertEquals(new ArrowType.Int(32, true), r.schema().getFields().get(0).getType());
            assertEquals(Columns.TS_MS_UTC, r.schema().getFields().get(1).getType());
            assertEquals(1, r.count(Op.APPEND));
        }
    }

    @Test
    void customVocabularyNamesTheOpColumn() throws Exception {
        DatasetVocabulary v = new DatasetVocabulary("off", "operation", "sys", "evt");
        Schema s = schema("operation:int32", "k:string");
        try (VectorSchemaRoot in = Tables.batch(s, alloc, List.of(row(0, "a")));
             MergeResult r = MergeStrategyImpl.of(new MergeStrategy.ChangelogStream(List.of("k")), v, alloc)
                     .merge(PreviousData.none(), s, List.of(in))) {
            assertEquals("operation", r.schema().getFields().get(0).getName());
            assertEquals(1, r.rowCount());
        }
    }

    @Test
    void strategyConfigurationErrors() {
        assertThrows(IllegalArgumentException.class, () -> MergeStrategyImpl.of(new MergeStrategy.Ledger(List.of()), alloc));
        assertThrows(IllegalArgumentException.class, () -> MergeStrategyImpl.of(new MergeStrategy.Snapshot(List.of("a", "a"), null), alloc));
        Schema s = schema("city:string", "population:int64");
        MergeException e = assertThrows(MergeException.class, () -> merge(
                new MergeStrategy.Snapshot(List.of("city"), List.of("pop", "area")), PreviousData.none(), s, List.of()));
        assertTrue(e.getMessage().contains("compare column(s) [pop, area] not found in the new data"), e.getMessage());
    }

    @Test
    void batchNotMatchingTheDeclaredSchemaIsRejected() {
        Schema declared = schema("city:string", "population:int64");
        MergeException e = assertThrows(MergeException.class, () -> {
            try (VectorSchemaRoot in = Tables.batch(schema("city:string", "population:int32"), alloc, List.of(row("a", 1)))) {
                MergeStrategyImpl.of(new MergeStrategy.Append(), alloc).merge(PreviousData.none(), declared, List.of(in)).close();
            }
        });
        assertTrue(e.getMessage().contains("differs from the declared input schema"), e.getMessage());
    }

    /**
     * Thousands of rows over several pushes, previous data spread over slices and output over several batches,
     * checked against a model: a map of the live state, and a changelog that replays to it.
     */
    @Test
    void snapshotAtScaleMatchesAModel() throws Exception {
        Schema s = schema("id:int64", "name:string", "score:float64");
        PushPipeline ds = new PushPipeline(dir, alloc, new MergeStrategy.Snapshot(List.of("id"), null), "event_time");
        Random rnd = new Random(42);
        Map<Long, List<Object>> state = new HashMap<>();
        for (int push = 0; push < 4; push++) {
            Map<Long, List<Object>> next = new TreeMap<>();
            for (long id = 0; id < 12_000; id++) {
                if (rnd.nextInt(10) == 0) continue; // absent in this version
                List<Object> old = state.get(id);
                boolean keep = old != null && rnd.nextInt(3) != 0;
                next.put(id, keep ? old : row(id, rnd.nextInt(20) == 0 ? null : "n" + rnd.nextInt(50),
                        rnd.nextInt(20) == 0 ? null : (double) rnd.nextInt(4)));
            }
            List<List<Object>> rows = new ArrayList<>(next.values());
            // input in a few unevenly sized batches, reversed so the output sort has work to do
            java.util.Collections.reverse(rows);
            List<List<List<Object>>> batches = List.of(rows.subList(0, 5000), rows.subList(5000, 5001), rows.subList(5001, rows.size()));
            PushPipeline.Output out = ds.push(s, batches);

            // replay the output onto the old state: must give the new one; check ops and ordering rules on the way
            Map<Long, List<Object>> replay = new HashMap<>(state);
            long lastKey = Long.MIN_VALUE;
            for (int i = 0; i < out.rows().size(); i++) {
                List<Object> r = out.rows().get(i);
                long id = (Long) r.get(1);
                List<Object> data = r.subList(1, r.size());
                assertTrue(id > lastKey || (id == lastKey && r.get(0).equals("+C")), "sorted by key at " + i);
                lastKey = id;
                switch ((String) r.get(0)) {
                    case "+A" -> assertEquals(null, replay.put(id, data));
                    case "-R" -> assertEquals(data, replay.remove(id));
                    case "-C" -> {
                        assertEquals(data, replay.get(id));
                        List<Object> to = out.rows().get(i + 1);
                        assertEquals("+C", to.get(0));
                        assertEquals(id, to.get(1));
                        assertTrue(!data.equals(to.subList(1, to.size())), "a correction changes something");
                    }
                    case "+C" -> replay.put(id, data);
                    default -> throw new AssertionError(r);
                }
            }
            assertEquals(next, new TreeMap<>(replay));
            state = next;
        }
    }
}
