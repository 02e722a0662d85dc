package dev.sluice.odf;

import java.util.List;

/** ODF logical schema (RFC-016). */
public record DataSchema(List<DataField> fields, ExtraAttributes extra) {
    public DataSchema {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }
}
