package dev.sluice.odf;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * ODF extension attributes: keys {@code <domain>/<path>}, values any JSON (Map, List, String, Long, Double,
 * Boolean, null). Kept sorted, as kamu's BTreeMap serialization is.
 */
public record ExtraAttributes(Map<String, Object> entries) {
    public ExtraAttributes {
        entries = Collections.unmodifiableMap(new TreeMap<>(entries == null ? Map.of() : entries));
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }
}
