package io.tally.event;

/** The canonical event types of contract C1. */
public enum EventType {
    SALE,
    CANCEL,
    RESTOCK,
    ADJUST,
    SET;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
