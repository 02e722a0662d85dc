package dev.sluice.data.merge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Output rows of a state diff before materialisation: each refers to a row of the old state or of the new input.
 * Emitted sorted by primary key, then op (kamu's order), so a -C (2) is immediately followed by its +C (3).
 */
final class Changes {
    private record Change(Key key, int op, boolean fromOld, int row) {}

    private static final Comparator<Change> ORDER =
            Comparator.comparing(Change::key, Key.ORDER).thenComparingInt(Change::op);

    private final List<Change> changes = new ArrayList<>();

    void append(Key k, int newRow) {
        changes.add(new Change(k, Op.APPEND, false, newRow));
    }

    void retract(Key k, int oldRow) {
        changes.add(new Change(k, Op.RETRACT, true, oldRow));
    }

    void correct(Key k, int oldRow, int newRow) {
        changes.add(new Change(k, Op.CORRECT_FROM, true, oldRow));
        changes.add(new Change(k, Op.CORRECT_TO, false, newRow));
    }

    MergeResult emit(ResultBuilder out, RowTable old, RowTable neu) {
        changes.sort(ORDER);
        for (Change c : changes) out.add(c.op(), c.fromOld() ? old.vectors() : neu.vectors(), c.row());
        return out.finish();
    }
}
