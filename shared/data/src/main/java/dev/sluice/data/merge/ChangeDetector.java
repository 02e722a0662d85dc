package dev.sluice.data.merge;

import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.compare.Range;
import org.apache.arrow.vector.compare.RangeEqualsVisitor;

/**
 * Whether a new row differs from the old row of the same key: any compared column IS DISTINCT FROM (null equals
 * null), except that a null event time in the new row is not a change (the writer fills it in later).
 */
final class ChangeDetector {
    private final RangeEqualsVisitor[] columns;
    private final FieldVector[] newVectors;
    private final boolean[] eventTime;

    /** {@code compared} index both tables' columns; {@code eventTimeColumn} is one of them or -1. */
    ChangeDetector(RowTable old, RowTable neu, int[] compared, int eventTimeColumn) {
        columns = new RangeEqualsVisitor[compared.length];
        newVectors = new FieldVector[compared.length];
        eventTime = new boolean[compared.length];
        List<FieldVector> o = old.vectors();
        List<FieldVector> n = neu.vectors();
        for (int i = 0; i < compared.length; i++) {
            int c = compared[i];
            // Types were checked when the rows were loaded; nullability may differ and must not matter.
            columns[i] = new RangeEqualsVisitor(o.get(c), n.get(c), (a, b) -> true);
            newVectors[i] = n.get(c);
            eventTime[i] = c == eventTimeColumn;
        }
    }

    boolean changed(int oldRow, int newRow) {
        Range r = new Range(oldRow, newRow, 1);
        for (int i = 0; i < columns.length; i++) {
            if (eventTime[i] && newVectors[i].isNull(newRow)) continue;
            if (!columns[i].rangeEquals(r)) return true;
        }
        return false;
    }
}
