package dev.sluice.odf;

/** Where event time of fetched data comes from; permits order = FlatBuffers union order. */
public sealed interface EventTimeSource {
    default String kind() {
        return getClass().getSimpleName();
    }

    record FromMetadata() implements EventTimeSource {}

    record FromPath(String pattern, String timestampFormat) implements EventTimeSource {}

    record FromSystemTime() implements EventTimeSource {}
}
