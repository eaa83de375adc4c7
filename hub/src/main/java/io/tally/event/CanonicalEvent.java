package io.tally.event;

import java.time.Instant;

/**
 * One inventory event in Tally's own terms, whatever channel it came from.
 *
 * @param keyValue normalised (see {@link KeyKind#normalize})
 * @param quantity a positive count for sale/cancel/restock, a signed delta for adjust, an absolute level for set
 * @param stage    for a sale: {@code created} or {@code paid}; null otherwise
 * @param cause    for a restock: {@code refund} or {@code return}; null when not known. For a cancel:
 *                 {@link #CAUSE_UNBOOKED} when the channel knows the line never reached the stage the store books
 *                 on (a polled order seen cancelled), so there is nothing to release and nothing to wait for
 */
public record CanonicalEvent(
        String id,
        String channel,
        String store,
        EventType type,
        KeyKind keyKind,
        String keyValue,
        long quantity,
        String orderId,
        String lineId,
        String stage,
        String cause,
        Instant occurredAt,
        String payload) {

    public static final String CAUSE_UNBOOKED = "unbooked";

    /** Unique per store: a channel's event ids are only unique within one store. */
    public String idempotencyKey() {
        return store + ":" + id;
    }

    /**
     * The order line a sale, cancel or restock belongs to: the given lineId, else the listing or key it names.
     * Null when the event names no order.
     */
    public String effectiveLineId() {
        if (orderId == null) {
            return null;
        }
        return lineId != null ? lineId : keyValue;
    }

    /** Events about the same thing are batched together; the ledger resolves the stock item. */
    public String correlationKey() {
        return keyKind == KeyKind.REF ? "ref:" + store + ":" + keyValue : keyValue;
    }
}
