package dev.sluice.query;

import java.util.Locale;

/** Result encodings. The JSON ones match kamu's {@code dataFormat} names; Csv/NdJson as in kamu's GraphQL API. */
public enum DataFormat {
    JSON_AOS("JsonAoS", "application/json"),
    JSON_SOA("JsonSoA", "application/json"),
    JSON_AOA("JsonAoA", "application/json"),
    ND_JSON("NdJson", "application/x-ndjson"),
    CSV("Csv", "text/csv"),
    /** Arrow IPC stream format. */
    ARROW("ArrowIpc", "application/vnd.apache.arrow.stream");

    private final String wireName;
    private final String mediaType;

    DataFormat(String wireName, String mediaType) {
        this.wireName = wireName;
        this.mediaType = mediaType;
    }

    public String wireName() {
        return wireName;
    }

    public String mediaType() {
        return mediaType;
    }

    public boolean isJsonDocument() {
        return this == JSON_AOS || this == JSON_SOA || this == JSON_AOA;
    }

    /** Accepts {@code JsonAoS}, {@code JSON_AOS}, {@code json-aos}, … (case, '_' and '-' ignored). */
    public static DataFormat parse(String s) {
        if (s == null) return JSON_AOS;
        String k = squash(s);
        for (DataFormat f : values()) {
            if (squash(f.wireName).equals(k) || squash(f.name()).equals(k)) return f;
        }
        if (k.equals("json")) return JSON_AOS;
        if (k.equals("arrow")) return ARROW;
        throw new InvalidQueryException("unknown dataFormat '" + s + "'");
    }

    static String squash(String s) {
        return s.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
    }
}
