package dev.sluice.odf;

import java.util.List;

/** How new data is combined with existing history; permits order = FlatBuffers union order. */
public sealed interface MergeStrategy {
    default String kind() {
        return getClass().getSimpleName();
    }

    record Append() implements MergeStrategy {}

    record Ledger(List<String> primaryKey) implements MergeStrategy {}

    record Snapshot(List<String> primaryKey, List<String> compareColumns) implements MergeStrategy {}

    record ChangelogStream(List<String> primaryKey) implements MergeStrategy {}

    record UpsertStream(List<String> primaryKey) implements MergeStrategy {}
}
