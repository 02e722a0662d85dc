package dev.sluice.query;

/** How the result schema is rendered: Arrow's JSON schema form, or the ODF DataSchema (via {@code OdfArrow}). */
public enum SchemaFormat {
    ARROW_JSON("ArrowJson"),
    ODF_JSON("OdfJson"),
    ODF_YAML("OdfYaml");

    private final String wireName;

    SchemaFormat(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static SchemaFormat parse(String s) {
        if (s == null) return ARROW_JSON;
        String k = DataFormat.squash(s);
        for (SchemaFormat f : values()) {
            if (DataFormat.squash(f.wireName).equals(k) || DataFormat.squash(f.name()).equals(k)) return f;
        }
        throw new InvalidQueryException("unknown or unsupported schemaFormat '" + s + "'");
    }
}
