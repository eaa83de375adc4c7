package io.tally.event;

import java.util.Locale;

/** How an event names what it is about: a stock key (sku, barcode, handle) or one listing of its store (ref). */
public enum KeyKind {
    SKU,
    BARCODE,
    HANDLE,
    REF;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Stock keys are compared trimmed and case-insensitively: case and whitespace mismatches are the most common
     * cause of broken mappings. Refs are a channel's own ids and are kept as given (trimmed).
     */
    public String normalize(String raw) {
        String trimmed = raw.trim();
        return this == REF ? trimmed : trimmed.toLowerCase(Locale.ROOT);
    }
}
