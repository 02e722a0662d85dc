package dev.sluice.data.read;

/**
 * Cheap internal signal that one value did not convert; the reader that catches it adds row, column and value and
 * throws a {@link BadInputException}. {@link #what} completes "cannot parse 'v' ..." (e.g. {@code "as Int64"}), or,
 * when {@link #full} is set, is the whole reason.
 */
final class Fail extends Exception {
    final String what;
    final boolean full;

    private Fail(String what, boolean full) {
        super(what, null, false, false);
        this.what = what;
        this.full = full;
    }

    /** "cannot parse 'value' {what}". */
    static Fail as(String what) {
        return new Fail(what, false);
    }

    /** A complete reason, e.g. "invalid UTF-8 at byte 123". */
    static Fail reason(String reason) {
        return new Fail(reason, true);
    }

    String message(String valueQuoted) {
        return full ? what : "cannot parse " + valueQuoted + " " + what;
    }
}
