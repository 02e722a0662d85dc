package dev.sluice.odf;

import java.util.List;

/** Files associated with a dataset (README etc.). */
public sealed interface Attachments {
    default String kind() {
        return getClass().getSimpleName();
    }

    record Embedded(List<AttachmentEmbedded> items) implements Attachments {}

    record AttachmentEmbedded(String path, String content) {}
}
