package io.tally.ledger;

/** The order-line book: units booked by sales and units returned by cancels and restocks, per channel line. */
final class OrderLine {

    final String store;
    final String orderId;
    final String lineId;
    final String itemKey;
    long booked;
    long returned;
    /** Units the channel took from its own level for this line (a marketplace lowers its level on the order). */
    long channelTaken;

    boolean dirty;

    OrderLine(
            String store,
            String orderId,
            String lineId,
            String itemKey,
            long booked,
            long returned,
            long channelTaken) {
        this.channelTaken = channelTaken;
        this.store = store;
        this.orderId = orderId;
        this.lineId = lineId;
        this.itemKey = itemKey;
        this.booked = booked;
        this.returned = returned;
    }

    /** A copy to book on (not dirty): the batch's rules change their copies, never the snapshot's lines. */
    OrderLine copy() {
        return new OrderLine(store, orderId, lineId, itemKey, booked, returned, channelTaken);
    }

    static String key(String store, String orderId, String lineId) {
        return store + '\u0000' + orderId + '\u0000' + lineId;
    }

    String key() {
        return key(store, orderId, lineId);
    }

    /** Units the channel took for this line that Tally has booked as sold. */
    long channelCoveredByBooking() {
        return Math.min(booked, channelTaken);
    }

    long returnable() {
        return booked - returned;
    }
}
