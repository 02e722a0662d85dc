package dev.sluice.data.merge;

/** ODF operation types (the {@code op} system column). */
public final class Op {
    public static final int APPEND = 0;
    public static final int RETRACT = 1;
    public static final int CORRECT_FROM = 2;
    public static final int CORRECT_TO = 3;

    private Op() {}

    /** "+A", "-R", "-C", "+C". */
    public static String label(int op) {
        return switch (op) {
            case APPEND -> "+A";
            case RETRACT -> "-R";
            case CORRECT_FROM -> "-C";
            case CORRECT_TO -> "+C";
            default -> "op " + op;
        };
    }
}
