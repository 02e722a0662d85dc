package dev.sluice.data.merge;

import static dev.sluice.data.merge.Tables.row;
import static dev.sluice.data.merge.Tables.schema;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.MergeStrategy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Push sequences per merge strategy, each push's input given as small tables and its exact expected output
 * (op label, then data values). Every push runs the full path: slices so far → SliceReader → merge → SliceWriter.
 */
class MergeScenariosTest {
    @TempDir
    Path dir;

    /** Separates input batches inside {@link #in}. */
    static final Object BREAK = new Object();

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void pushSequence(Scenario sc) throws Exception {
        try (BufferAllocator alloc = new RootAllocator()) {
            PushPipeline ds = new PushPipeline(dir, alloc, sc.strategy, sc.eventTimeColumn);
            for (int p = 0; p < sc.pushes.size(); p++) {
                Push push = sc.pushes.get(p);
                Schema s = push.schema != null ? push.schema : sc.schema;
                String what = sc.name + ", push " + (p + 1);
                if (push.error != null) {
                    MergeException e = assertThrows(MergeException.class, () -> ds.push(s, push.input), what);
                    assertTrue(e.getMessage().contains(push.error), what + ": message was: " + e.getMessage());
                } else {
                    PushPipeline.Output out = ds.push(s, push.input);
                    assertEquals(Tables.expected(out.data(), push.expected), out.rows(), what);
                }
            }
        } // closing the allocator also proves nothing leaked
    }

    static Stream<Scenario> scenarios() {
        Schema cities = schema("city:string", "population:int64");
        Schema scores = schema("match_time:timestamp", "match_id:int64", "player_id:string", "score:int64");
        Schema changelog = schema("op:int32", "city:string", "population:int64");
        return Stream.of(
                // ---- Append ----
                new Scenario("append: every row +A, duplicates kept", new MergeStrategy.Append(), cities)
                        .push(in(row("A", 1), row("B", 2), BREAK, row("A", 1)),
                                row("+A", "A", 1), row("+A", "B", 2), row("+A", "A", 1))
                        .push(in(row("A", 1)), row("+A", "A", 1))
                        .push(in()),

                // ---- Ledger ----
                new Scenario("ledger: player-scores pushed twice with overlap", new MergeStrategy.Ledger(List.of("match_id", "player_id")), scores)
                        .eventTime("match_time")
                        .push(in(row("2000-01-01", 1, "Alice", 100), row("2000-01-01", 1, "Bob", 80), BREAK,
                                        row("2000-01-02", 2, "Alice", 70), row("2000-01-02", 2, "Charlie", 90)),
                                row("+A", "2000-01-01", 1, "Alice", 100), row("+A", "2000-01-01", 1, "Bob", 80),
                                row("+A", "2000-01-02", 2, "Alice", 70), row("+A", "2000-01-02", 2, "Charlie", 90))
                        .push(in(row("2000-01-02", 2, "Alice", 70), row("2000-01-02", 2, "Charlie", 90),
                                        row("2000-01-03", 3, "Bob", 60), BREAK, row("2000-01-03", 3, "Charlie", 110)),
                                row("+A", "2000-01-03", 3, "Bob", 60), row("+A", "2000-01-03", 3, "Charlie", 110))
                        // the same export again: nothing new
                        .push(in(row("2000-01-03", 3, "Bob", 60), row("2000-01-03", 3, "Charlie", 110))),
                new Scenario("ledger: dedupe by key only, first occurrence in the input wins", new MergeStrategy.Ledger(List.of("match_id", "player_id")), scores)
                        .eventTime("match_time")
                        .push(in(row("2000-01-01", 1, "Alice", 100)), row("+A", "2000-01-01", 1, "Alice", 100))
                        .push(in(row("2000-01-05", 1, "Alice", 999), row("2000-01-04", 4, "Alice", 1), BREAK,
                                        row("2000-01-04", 4, "Alice", 2), row("2000-01-04", 4, "Bob", 3)),
                                row("+A", "2000-01-04", 4, "Alice", 1), row("+A", "2000-01-04", 4, "Bob", 3)),
                new Scenario("ledger: µs timestamps are normalised to the stored ms", new MergeStrategy.Ledger(List.of("match_time")), scores)
                        .eventTime("match_time")
                        .push(in(row("2000-01-01", 1, "Alice", 100)), row("+A", "2000-01-01", 1, "Alice", 100))
                        .push(schema("match_time:timestamp_us", "match_id:int64", "player_id:string", "score:int64"),
                                in(row("2000-01-01", 1, "Alice", 100), row("2000-01-02", 2, "Bob", 1)),
                                row("+A", "2000-01-02", 2, "Bob", 1)),
                new Scenario("ledger: bad input", new MergeStrategy.Ledger(List.of("match_id", "player_id")), scores)
                        .eventTime("match_time")
                        .push(in(row("2000-01-01", 1, "Alice", 100)), row("+A", "2000-01-01", 1, "Alice", 100))
                        .fails(in(row("2000-01-01", 2, "Bob", 1), BREAK, row("2000-01-01", 3, null, 1)),
                                "null in primary key column 'player_id' at row 1 of the new data")
                        .fails(schema("match_time:timestamp", "match_id:int32", "player_id:string", "score:int64"),
                                in(row("2000-01-01", 1, "Alice", 100)),
                                "column 'match_id' is Int(64, true) in the existing data but Int(32, true) in the new data")
                        .fails(schema("match_time:timestamp", "player:string", "score:int64"), in(),
                                "primary key column(s) [match_id, player_id] not found in the new data"),

                // ---- Snapshot ----
                new Scenario("snapshot: cities over several versions", new MergeStrategy.Snapshot(List.of("city"), null), cities)
                        // output sorted by key whatever the input order
                        .push(in(row("C", 300), row("A", 100), BREAK, row("B", 200)),
                                row("+A", "A", 100), row("+A", "B", 200), row("+A", "C", 300))
                        // B changed, C gone, D new
                        .push(in(row("D", 400), row("B", 250), BREAK, row("A", 100)),
                                row("-C", "B", 200), row("+C", "B", 250), row("-R", "C", 300), row("+A", "D", 400))
                        // C re-appears after its retraction
                        .push(in(row("A", 100), row("B", 250), row("C", 350), row("D", 400)),
                                row("+A", "C", 350))
                        // no change
                        .push(in(row("D", 400), row("C", 350), row("B", 250), row("A", 100)))
                        // empty snapshot: everything retracted, with the latest values
                        .push(in(),
                                row("-R", "A", 100), row("-R", "B", 250), row("-R", "C", 350), row("-R", "D", 400))
                        .push(in(row("A", 1)), row("+A", "A", 1)),
                new Scenario("snapshot: compareColumns", new MergeStrategy.Snapshot(List.of("city"), List.of("population")),
                        schema("city:string", "population:int64", "note:string"))
                        .push(in(row("A", 100, "x"), row("B", 200, "x")), row("+A", "A", 100, "x"), row("+A", "B", 200, "x"))
                        // only a non-compared column changed: nothing
                        .push(in(row("A", 100, "y"), row("B", 200, "y")))
                        // -C carries the values last recorded (note "x"), +C the new ones
                        .push(in(row("A", 150, "z"), row("B", 200, "z")), row("-C", "A", 100, "x"), row("+C", "A", 150, "z")),
                new Scenario("snapshot: composite key, nulls in data columns", new MergeStrategy.Snapshot(List.of("country", "city"), null),
                        schema("country:string", "city:string", "population:int64"))
                        .push(in(row("US", "Seattle", 2), row("UA", "Kyiv", null), row("UA", "Lviv", 5)),
                                row("+A", "UA", "Kyiv", null), row("+A", "UA", "Lviv", 5), row("+A", "US", "Seattle", 2))
                        // null → null is no change
                        .push(in(row("UA", "Kyiv", null), row("US", "Seattle", 2), row("UA", "Lviv", 5)))
                        // null → value and value → null are changes
                        .push(in(row("UA", "Kyiv", 3), row("US", "Seattle", null), row("UA", "Lviv", 5)),
                                row("-C", "UA", "Kyiv", null), row("+C", "UA", "Kyiv", 3),
                                row("-C", "US", "Seattle", 2), row("+C", "US", "Seattle", null)),
                new Scenario("snapshot: null event_time in the new data is not a change", new MergeStrategy.Snapshot(List.of("city"), null),
                        schema("event_time:timestamp", "city:string", "population:int64"))
                        .push(in(row("2020-01-01", "A", 1), row("2020-01-01", "B", 2)),
                                row("+A", "2020-01-01", "A", 1), row("+A", "2020-01-01", "B", 2))
                        .push(in(row(null, "A", 1), row("2021-01-01", "B", 2)),
                                row("-C", "2020-01-01", "B", 2), row("+C", "2021-01-01", "B", 2))
                        .push(in(row(null, "A", 5)),
                                row("-C", "2020-01-01", "A", 1), row("+C", null, "A", 5), row("-R", "2021-01-01", "B", 2))
                        // the +C above got the fallback event time (the push's system time) in its slice
                        .push(in(row("2050-01-01T00:00:03Z", "A", 5))),
                new Scenario("snapshot: a column added later", new MergeStrategy.Snapshot(List.of("city"), null), cities)
                        .push(in(row("A", 100), row("B", 200)), row("+A", "A", 100), row("+A", "B", 200))
                        // absent before = null: A unchanged, B changed
                        .push(schema("city:string", "population:int64", "area:int64"), in(row("A", 100, null), row("B", 200, 5)),
                                row("-C", "B", 200, null), row("+C", "B", 200, 5))
                        .push(schema("city:string", "population:int64", "area:int64"), in(row("A", 100, null)),
                                row("-R", "B", 200, 5)),
                new Scenario("snapshot: bad input", new MergeStrategy.Snapshot(List.of("city"), null), cities)
                        .fails(in(row("A", 1), BREAK, row("B", 2), row("A", 3)), "duplicate primary key [A] in snapshot: rows 0 and 2 of the new data")
                        .fails(in(row(null, 1)), "null in primary key column 'city' at row 0 of the new data")
                        .fails(schema("town:string", "population:int64"), in(row("A", 1)), "primary key column(s) [city] not found in the new data")
                        .fails(schema("city:string", "population:int64", "op:int32"), in(), "must not have the system column 'op'"),

                // ---- ChangelogStream ----
                new Scenario("changelog stream: passed through in input order", new MergeStrategy.ChangelogStream(List.of("city")), changelog)
                        .push(in(row(0, "B", 2), row(0, "A", 1)), row("+A", "B", 2), row("+A", "A", 1))
                        // a correction pair may span input batches
                        .push(in(row(2, "A", 1), BREAK, row(3, "A", 10), row(1, "B", 2)),
                                row("-C", "A", 1), row("+C", "A", 10), row("-R", "B", 2)),
                new Scenario("changelog stream: validation", new MergeStrategy.ChangelogStream(List.of("city")), changelog)
                        .fails(in(row(0, "A", 1), row(4, "B", 2)), "op must be 0..3 (+A, -R, -C, +C), got 4 at row 1 of the new data")
                        .fails(in(row(null, "A", 1)), "op must be 0..3 (+A, -R, -C, +C), got null at row 0")
                        .fails(in(row(0, "A", 1), row(3, "A", 2)), "+C at row 1 of the new data (key [A]) is not immediately preceded by a -C")
                        .fails(in(row(2, "A", 1), row(0, "B", 2)), "-C at row 0 of the new data (key [A]) is not immediately followed by its +C")
                        .fails(in(row(2, "A", 1), row(3, "B", 2)), "-C at row 0 of the new data (key [A]) is not immediately followed by its +C")
                        .fails(in(row(0, "B", 2), BREAK, row(2, "A", 1)), "-C at row 1 of the new data (key [A]) is not followed by its +C")
                        .fails(schema("city:string", "population:int64"), in(row("A", 1)), "needs an op column 'op'")
                        .fails(in(row(0, null, 1)), "null in primary key column 'city' at row 0"),

                // ---- UpsertStream ----
                new Scenario("upsert stream: classification", new MergeStrategy.UpsertStream(List.of("city")), changelog)
                        .push(in(row(0, "vancouver", 1), row(0, "seattle", 2), BREAK, row(0, "kyiv", 3), row(0, "bakhmut", 4)),
                                row("+A", "bakhmut", 4), row("+A", "kyiv", 3), row("+A", "seattle", 2), row("+A", "vancouver", 1))
                        // a delete carries the old values whatever the input has; +C upserts too
                        .push(in(row(1, "bakhmut", null), row(3, "kyiv", 4)),
                                row("-R", "bakhmut", 4), row("-C", "kyiv", 3), row("+C", "kyiv", 4))
                        .push(in(row(0, "odessa", 5),      // new key
                                        row(0, "kyiv", 4),         // same values: no-op
                                        row(0, "vancouver", 2),    // changed
                                        BREAK,
                                        row(0, "bakhmut", 1),      // back after its retraction
                                        row(1, "seattle", null),   // delete
                                        row(1, "lviv", null)),     // delete of an unknown key: ignored
                                row("+A", "bakhmut", 1), row("+A", "odessa", 5), row("-R", "seattle", 2),
                                row("-C", "vancouver", 1), row("+C", "vancouver", 2))
                        // only the last row per key counts
                        .push(in(row(0, "x", 1), row(0, "x", 2),       // new key updated twice → +A of the last
                                        row(0, "kyiv", 7), row(1, "kyiv", null),  // update then delete → -R of the stored row
                                        row(1, "odessa", null), row(0, "odessa", 5), // delete then identical re-insert → nothing
                                        row(0, "y", 1), row(1, "y", null)),      // insert then delete of a new key → nothing
                                row("-R", "kyiv", 4), row("+A", "x", 2)),
                new Scenario("upsert stream: nulls in data columns", new MergeStrategy.UpsertStream(List.of("city")), changelog)
                        .push(in(row(0, "A", null), row(0, "B", 1)), row("+A", "A", null), row("+A", "B", 1))
                        .push(in(row(0, "A", null), row(0, "B", 1)))
                        .push(in(row(0, "A", 7), row(0, "B", null)),
                                row("-C", "A", null), row("+C", "A", 7), row("-C", "B", 1), row("+C", "B", null)),
                new Scenario("upsert stream: input without op column = all upserts", new MergeStrategy.UpsertStream(List.of("city")), cities)
                        .push(in(row("A", 1), row("B", 2)), row("+A", "A", 1), row("+A", "B", 2))
                        .push(in(row("A", 1), row("B", 3)), row("-C", "B", 2), row("+C", "B", 3)),
                new Scenario("upsert stream: bad input", new MergeStrategy.UpsertStream(List.of("city")), changelog)
                        .fails(in(row(0, "A", 1), row(2, "A", 1)), "upsert stream op must be 0 (+A), 3 (+C) or 1 (-R), got 2 at row 1 of the new data")
                        .fails(in(row(null, "A", 1)), "got null at row 0 of the new data")
                        .fails(in(row(0, null, 1)), "null in primary key column 'city' at row 0"));
    }

    // ---- scenario DSL ------------------------------------------------------------------------------------------

    /** Rows, with {@link #BREAK} between batches. */
    @SuppressWarnings("unchecked")
    static List<List<List<Object>>> in(Object... items) {
        List<List<List<Object>>> batches = new ArrayList<>();
        List<List<Object>> cur = new ArrayList<>();
        for (Object it : items) {
            if (it == BREAK) {
                batches.add(cur);
                cur = new ArrayList<>();
            } else {
                cur.add((List<Object>) it);
            }
        }
        batches.add(cur);
        return batches;
    }

    record Push(Schema schema, List<List<List<Object>>> input, List<List<Object>> expected, String error) {}

    static final class Scenario {
        final String name;
        final MergeStrategy strategy;
        final Schema schema;
        final List<Push> pushes = new ArrayList<>();
        String eventTimeColumn = "event_time";

        Scenario(String name, MergeStrategy strategy, Schema schema) {
            this.name = name;
            this.strategy = strategy;
            this.schema = schema;
        }

        Scenario eventTime(String column) {
            this.eventTimeColumn = column;
            return this;
        }

        @SafeVarargs
        final Scenario push(List<List<List<Object>>> input, List<Object>... expected) {
            return push(null, input, expected);
        }

        @SafeVarargs
        final Scenario push(Schema s, List<List<List<Object>>> input, List<Object>... expected) {
            pushes.add(new Push(s, input, List.of(expected), null));
            return this;
        }

        Scenario fails(List<List<List<Object>>> input, String message) {
            return fails(null, input, message);
        }

        Scenario fails(Schema s, List<List<List<Object>>> input, String message) {
            pushes.add(new Push(s, input, null, message));
            return this;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
